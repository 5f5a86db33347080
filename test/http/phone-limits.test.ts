/**
 * Attacks on the SMS and voice limits: using them up against a number's owner, toll fraud through
 * high-cost numbers, and dodging the per-IP limit by rotating IPv6 addresses. Real Twilio SDK
 * against the Twilio stand-in, real SMTP, on Express 4 and 5.
 */
import request from 'supertest';
import { DEFAULT_ALLOWED_NUMBER_TYPES, MemoryStore } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

const { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM } = TWILIO_ACCOUNT;
const BOB_PHONE = '+15005550006';
const MINUTE = 60_000;

const { smtp, twilio } = messagingServices();

let host: TestApp | undefined;
let store: MemoryStore;
let now: number;

beforeEach(async () => {
  smtp.drain();
  twilio.drain();
  now = Date.now();
  store = new MemoryStore();
  await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
  // carol must get her codes by SMS but has no phone yet: she is asked for one at sign-in.
  await store.updateUserSettings(TEST_USERS.carol!.id, { enabled: true, method: 'sms' }, DEFAULT_USER_SETTINGS);
});
afterEach(async () => {
  await host?.twoFactor.close();
  await store.close();
  host = undefined;
});

type Express = (typeof EXPRESS_VERSIONS)[number][1];

function build(express: Express, extra: Parameters<typeof createTestApp>[0]['options'] = {}): TestApp {
  return createTestApp({
    express,
    smtpUrl: smtp.url,
    options: {
      store,
      now: () => now,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: twilio.url },
      // Room for every enrolment's email proof and text: the limits under test are the phone ones.
      sendQuota: [{ windowMs: 15 * MINUTE, max: 100 }],
      ...extra,
    },
  });
}

/** carol signs in (from `ip`, when given) and types `phone` on the enrolment form; the answer. */
async function carolEnrols(app: TestApp, phone: string, ip?: string): Promise<request.Response> {
  const agent = request.agent(app.app);
  const from = (test: request.Test): request.Test => (ip ? test.set('X-Forwarded-For', ip) : test);
  expect((await from(agent.post('/login').type('form')).send({ email: 'carol@globex.test', password: 'right' })).headers.location).toBe(
    '/2fa',
  );
  // She proves herself with the code to her email first (that is never an SMS: no limit of these applies).
  const proof = await from(agent.get('/2fa'));
  const emailed = await smtp.nextCode('carol@globex.test');
  await from(agent.post('/2fa/verify').type('form')).send({ _csrf: csrfFrom(proof.text), code: emailed });
  const form = await from(agent.get('/2fa'));
  expect(form.text).toContain('name="phone"');
  return from(agent.post('/2fa/phone').type('form')).send({ _csrf: csrfFrom(form.text), phone, method: 'sms' });
}

function accepted(to: string): number {
  return twilio.requests.filter((r) => r.to === to && r.status === 201).length;
}

describe.each(EXPRESS_VERSIONS)('SMS limits on %s', (_name, express) => {
  test("someone else's enrolment cannot use up a verified owner's per-number budget", async () => {
    // bob's number is one of Twilio's magic test numbers (PERSONAL_NUMBER): let carol type it.
    host = build(express, { phone: { allowedTypes: [...DEFAULT_ALLOWED_NUMBER_TYPES, 'PERSONAL_NUMBER'] } });
    const before = accepted(BOB_PHONE);
    // carol enters bob's number as often as the per-number budget lets anyone (5 an hour).
    for (let i = 0; i < 5; i++) {
      expect((await carolEnrols(host, BOB_PHONE)).status).toBe(303);
      now += 31_000;
    }
    expect(accepted(BOB_PHONE) - before).toBe(5);
    // Her sixth try is refused: unverified sends count per (user, number)…
    now += 15 * MINUTE;
    const sixth = await carolEnrols(host, BOB_PHONE);
    expect(sixth.status).toBe(429);
    expect(sixth.text).toContain('Too many codes were sent to that number');
    expect(accepted(BOB_PHONE) - before).toBe(5);

    // …so bob, whose verified number it is, still gets his sign-in code.
    twilio.drain();
    const bob = request.agent(host.app);
    expect((await bob.post('/login').type('form').send({ email: 'bob@acme.test', password: 'right' })).headers.location).toBe('/2fa');
    const sms = await twilio.nextSms(BOB_PHONE, 2000);
    const page = await bob.get('/2fa');
    expect(page.text).not.toContain('Too many codes');
    const code = /\b(\d{6})\b/.exec(sms.body ?? '')?.[1] ?? '';
    expect(
      (
        await bob
          .post('/2fa/verify')
          .type('form')
          .send({ _csrf: csrfFrom(page.text), code })
      ).status,
    ).toBe(303);
    expect((await bob.get('/')).text).toBe('Signed in as bob@acme.test');
  });

  test.each([
    ['+881 6 1234 5678', '+881612345678', 'Iridium satellite'],
    ['+882 49 123456', '+88249123456', 'international network'],
    ['+870 776 123 456', '+870776123456', 'Inmarsat satellite'],
  ])('a number of no country (%s, %s) is refused before anything is sent', async (typed, e164) => {
    host = build(express);
    const before = twilio.requests.length;
    const refused = await carolEnrols(host, typed);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('satellite');
    expect(refused.text).toContain('name="phone"');
    expect(twilio.requests.slice(before).filter((r) => r.to === e164)).toHaveLength(0);
  });

  test('a host that allows high-cost numbers can send to them', async () => {
    host = build(express, { phone: { allowHighCostNumbers: true } });
    expect((await carolEnrols(host, '+881 6 1234 5678')).status).toBe(303);
    expect((await twilio.nextSms('+881612345678', 2000)).body).toMatch(/^\d{6} /);
  });

  test('the per-IP limit counts an IPv6 client by its /64', async () => {
    host = build(express, { sendQuota: [{ windowMs: 1000, max: 100 }], sendLimits: { perIp: [{ windowMs: 3_600_000, max: 2 }] } });
    host.app.set('trust proxy', true);
    const statuses: number[] = [];
    // Three addresses of one /64, written three ways (compressed, with a zero run, in full).
    for (const [ip, phone] of [
      ['2001:db8:1:2::1', '+14155550100'],
      ['2001:db8:1:2:aaaa::2', '+14155550101'],
      ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '+14155550102'],
    ] as const) {
      statuses.push((await carolEnrols(host, phone, ip)).status);
    }
    expect(statuses).toEqual([303, 303, 429]);
    // The next /64 is another client.
    expect((await carolEnrols(host, '+14155550103', '2001:db8:1:3::1')).status).toBe(303);
  });

  test('an IPv4 client counts as one whether or not its address is written IPv4-mapped', async () => {
    host = build(express, { sendQuota: [{ windowMs: 1000, max: 100 }], sendLimits: { perIp: [{ windowMs: 3_600_000, max: 1 }] } });
    host.app.set('trust proxy', true);
    expect((await carolEnrols(host, '+14155550104', '::ffff:192.0.2.7')).status).toBe(303);
    expect((await carolEnrols(host, '+14155550105', '192.0.2.7')).status).toBe(429);
    expect((await carolEnrols(host, '+14155550106', '192.0.2.8')).status).toBe(303);
  });
});
