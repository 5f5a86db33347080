/**
 * Fault tests: a mail server or the Twilio API that takes the connection and never answers must not
 * hold the password step. Real black-hole servers, the real nodemailer and Twilio SDK; the password
 * step must answer within `channelTimeoutMs` (plus slack for a loaded machine) with the code step
 * saying the code could not be sent and offering the other methods, which then work.
 */
import nodemailer from 'nodemailer';
import request from 'supertest';
import { MemoryStore, type Channel, type DeliveryFailure, type TwoFactorEvent } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { startBlackHole, type BlackHole } from '../helpers/black-hole';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

const { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM } = TWILIO_ACCOUNT;
const ALICE_PHONE = '+14155550100';
const BOB_PHONE = '+15005550006';
/** Short, so the suite stays fast; the default (8 s) is checked in test/channels/channel-timeouts.test.ts. */
const CHANNEL_TIMEOUT_MS = 500;
/** What a loaded 2-core machine may add on top of the timeout. */
const SLACK_MS = 2500;

const { smtp, twilio } = messagingServices();
let hole: BlackHole | undefined;
let host: TestApp | undefined;
let store: MemoryStore;
let now: number;
let events: TwoFactorEvent[];
let failures: DeliveryFailure[];

beforeEach(async () => {
  smtp.drain();
  twilio.drain();
  now = Date.now();
  events = [];
  failures = [];
  store = new MemoryStore();
  // alice gets codes by email and has a verified phone (so SMS is the other way); bob by SMS.
  await store.updateUserSettings(TEST_USERS.alice!.id, { enabled: true, method: 'email', phone: ALICE_PHONE }, DEFAULT_USER_SETTINGS);
  await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
});
afterEach(async () => {
  await host?.twoFactor.close();
  await hole?.stop();
  await store.close();
  host = undefined;
  hole = undefined;
});

type Express = (typeof EXPRESS_VERSIONS)[number][1];

function build(
  express: Express,
  {
    smtpUrl = smtp.url,
    twilioUrl = twilio.url,
    ...extra
  }: { smtpUrl?: string; twilioUrl?: string } & Parameters<typeof createTestApp>[0]['options'] = {},
): TestApp {
  return createTestApp({
    express,
    smtpUrl,
    options: {
      store,
      now: () => now,
      channelTimeoutMs: CHANNEL_TIMEOUT_MS,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: twilioUrl },
      onEvent: (event) => void events.push(event),
      onDeliveryFailure: (failure) => void failures.push(failure),
      ...extra,
    },
  });
}

/** The password step, timed. */
async function timedLogin(app: TestApp, email: string) {
  const agent = request.agent(app.app);
  const started = Date.now();
  const response = await agent.post('/login').type('form').send({ email, password: 'right' });
  return { agent, response, elapsedMs: Date.now() - started };
}

function expectBounded(elapsedMs: number): void {
  // It waited for the channel (the black hole was really in the way)…
  expect(elapsedMs).toBeGreaterThanOrEqual(CHANNEL_TIMEOUT_MS - 50);
  // …and no longer than the channel timeout allows.
  expect(elapsedMs).toBeLessThan(CHANNEL_TIMEOUT_MS + SLACK_MS);
}

/** The code step after a failed send: says so and offers `otherMethod`; that method then signs the user in. */
async function expectOtherMethodWorks(
  agent: ReturnType<typeof request.agent>,
  otherMethod: 'sms' | 'email',
  code: () => Promise<string>,
): Promise<void> {
  const page = await agent.get('/2fa');
  expect(page.status).toBe(200);
  expect(page.text).toContain('We couldn’t send a code');
  expect(page.text).toContain(`value="${otherMethod}"`);
  now += 31_000;
  const token = csrfFrom(page.text);
  expect((await agent.post('/2fa/resend').type('form').send({ _csrf: token, method: otherMethod })).status).toBe(303);
  expect(
    (
      await agent
        .post('/2fa/verify')
        .type('form')
        .send({ _csrf: token, code: await code() })
    ).status,
  ).toBe(303);
  expect((await agent.get('/')).text).toMatch(/^Signed in as /);
}

function smsCode(body: string | undefined): string {
  const code = /\b(\d{6})\b/.exec(body ?? '')?.[1];
  if (!code) throw new Error(`no code in "${body}"`);
  return code;
}

describe.each(EXPRESS_VERSIONS)('a channel that never answers, on %s', (_name, express) => {
  test('an SMTP server that accepts and never greets: the password step answers within the channel timeout', async () => {
    hole = await startBlackHole();
    host = build(express, { smtpUrl: `smtp://127.0.0.1:${hole.port}` });
    const { agent, response, elapsedMs } = await timedLogin(host, 'alice@acme.test');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/2fa');
    expect(hole.accepted).toBe(1);
    expectBounded(elapsedMs);
    // nodemailer itself gave up too (its greeting timeout is the channel timeout), so no socket lingers.
    await hole.allClosed(SLACK_MS);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ method: 'email', destination: expect.not.stringContaining('alice@acme.test') });
    expect(events.some((e) => e.type === 'delivery.failed' && e.method === 'email')).toBe(true);
    await expectOtherMethodWorks(agent, 'sms', async () => smsCode((await twilio.nextSms(ALICE_PHONE)).body));
  });

  test('an SMTP server that greets and then goes silent: bounded the same way', async () => {
    hole = await startBlackHole({ greeting: '220 mail.test ESMTP' });
    host = build(express, { smtpUrl: `smtp://127.0.0.1:${hole.port}` });
    const { agent, response, elapsedMs } = await timedLogin(host, 'alice@acme.test');
    expect(response.headers.location).toBe('/2fa');
    expect(hole.accepted).toBe(1);
    expectBounded(elapsedMs);
    // nodemailer's socket timeout (10 minutes by default) is the channel timeout here.
    await hole.allClosed(SLACK_MS);
    await expectOtherMethodWorks(agent, 'sms', async () => smsCode((await twilio.nextSms(ALICE_PHONE)).body));
  });

  test('a Twilio API that accepts and never answers: bounded, and the code goes by email instead', async () => {
    hole = await startBlackHole();
    host = build(express, { twilioUrl: `http://127.0.0.1:${hole.port}` });
    const { agent, response, elapsedMs } = await timedLogin(host, 'bob@acme.test');
    expect(response.headers.location).toBe('/2fa');
    expect(hole.accepted).toBe(1);
    expectBounded(elapsedMs);
    // The SDK's own request timeout is the channel timeout: it closes the connection.
    await hole.allClosed(SLACK_MS);
    expect(failures).toEqual([expect.objectContaining({ method: 'sms', destination: '•••• 0006' })]);
    await expectOtherMethodWorks(agent, 'email', () => smtp.nextCode('bob@acme.test'));
  });

  test("the host's own nodemailer transport (whose timeouts are the host's) is bounded by the library", async () => {
    hole = await startBlackHole();
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: hole.port, ignoreTLS: true });
    host = build(express, { email: { transport, from: '"Test" <security@test.example>' } });
    const { agent, response, elapsedMs } = await timedLogin(host, 'alice@acme.test');
    expect(response.headers.location).toBe('/2fa');
    expectBounded(elapsedMs);
    expect(events.find((e) => e.type === 'delivery.failed')).toMatchObject({ method: 'email', errorCode: 'ERR_2FA_DELIVERY_TIMEOUT' });
    await expectOtherMethodWorks(agent, 'sms', async () => smsCode((await twilio.nextSms(ALICE_PHONE)).body));
    transport.close();
  });

  test("the host's own channel that never settles is bounded by the library", async () => {
    let calls = 0;
    const stuck: Channel = {
      method: 'sms',
      send: () => {
        calls++;
        return new Promise<void>(() => undefined);
      },
    };
    host = build(express, { channels: { sms: stuck } });
    const { agent, response, elapsedMs } = await timedLogin(host, 'bob@acme.test');
    expect(response.headers.location).toBe('/2fa');
    expect(calls).toBe(1);
    expectBounded(elapsedMs);
    expect(failures).toHaveLength(1);
    expect(failures[0]!.error.code).toBe('ERR_2FA_DELIVERY_TIMEOUT');
    expect(failures[0]!.error.tryAnotherMethod).toBe(true);
    await expectOtherMethodWorks(agent, 'email', () => smtp.nextCode('bob@acme.test'));
  });
});
