import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, TEST_USERS, type TestApp } from '../helpers/test-app';
import { INVALID_TO_NUMBER, SERVER_ERROR, smsCode, TOO_MANY_REQUESTS, UNSUBSCRIBED, type StandInError } from '../helpers/twilio-stand-in';

const { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM } = TWILIO_ACCOUNT;
const BOB_PHONE = '+15005550006';
const NEW_PHONE = '+14155550100';

const { smtp, twilio } = messagingServices();

type Agent = ReturnType<typeof request.agent>;

let host: TestApp;
let store: MemoryStore;
let now: number;
let events: TwoFactorEvent[];
let verifiedPhones: [string, string][];
let failures: unknown[];

function build(extra: Parameters<typeof createTestApp>[0]['options'] = {}) {
  return createTestApp({
    smtpUrl: smtp.url,
    options: {
      store,
      now: () => now,
      twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: twilio.url },
      onEvent: (event) => void events.push(event),
      onPhoneVerified: (userId, phone) => void verifiedPhones.push([userId, phone]),
      onDeliveryFailure: (failure) => void failures.push(failure),
      ...extra,
    },
  });
}

beforeEach(async () => {
  smtp.drain();
  twilio.drain();
  now = Date.now();
  events = [];
  verifiedPhones = [];
  failures = [];
  store = new MemoryStore();
  await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
  await store.updateUserSettings(TEST_USERS.carol!.id, { enabled: true, method: 'sms' }, DEFAULT_USER_SETTINGS);
  host = build();
});
afterEach(async () => {
  // Whatever a test did, no event carried a full phone number.
  expect(JSON.stringify(events)).not.toMatch(/\+\d{8,15}/);
  await host.twoFactor.close();
  await store.close();
});

/** The six digits a voice call speaks (tags dropped, first six digits). */
function spokenCode(twiml: string): string {
  return (twiml.replace(/<[^>]+>/g, ' ').match(/\d/g) ?? []).slice(0, 6).join('');
}

async function login(email: string, agent: Agent = request.agent(host.app)) {
  const response = await agent.post('/login').type('form').send({ email, password: 'right' });
  return { agent, response };
}

async function csrf(agent: Agent, path = '/2fa') {
  return csrfFrom((await agent.get(path)).text);
}

describe('SMS and voice sign-in codes', () => {
  test('bob gets his code by SMS through the real Twilio SDK, and it signs him in', async () => {
    const { agent, response } = await login('bob@acme.test');
    expect(response.headers.location).toBe('/2fa');
    const sms = await twilio.nextSms(BOB_PHONE);
    expect(sms.from).toBe(FROM);
    expect(sms.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(sms.body).toMatch(/^\d{6} is your Test Site verification code/);
    const page = await agent.get('/2fa');
    expect(page.text).toContain('•••• 0006');
    expect(page.text).not.toContain(BOB_PHONE);
    const done = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: smsCode(sms.body), _csrf: csrfFrom(page.text) });
    expect(done.status).toBe(303);
    expect((await agent.get('/')).text).toBe('Signed in as bob@acme.test');
  });

  test('"send the code another way": a call replaces the SMS code; the old code stops working', async () => {
    const { agent } = await login('bob@acme.test');
    const smsCodeValue = smsCode((await twilio.nextSms(BOB_PHONE)).body);
    const token = await csrf(agent);
    expect((await agent.get('/2fa')).text).toContain('value="voice"');
    now += 31_000;
    const switched = await agent.post('/2fa/resend').type('form').send({ _csrf: token, method: 'voice' });
    expect(switched.status).toBe(303);
    const call = await twilio.nextCall(BOB_PHONE);
    expect(call.from).toBe(FROM);
    expect(call.twiml).toMatch(/^<\?xml|^<Response>/);
    const voiceCode = spokenCode(call.twiml ?? '');
    expect(voiceCode).toMatch(/^\d{6}$/);
    // Spoken digit by digit, twice.
    const spoken = voiceCode.split('').join(', ');
    expect((call.twiml ?? '').split(spoken).length - 1).toBe(2);
    expect((await agent.get('/2fa')).text).toContain('calling');
    expect(voiceCode).not.toBe(smsCodeValue);
    expect((await agent.post('/2fa/verify').type('form').send({ code: smsCodeValue, _csrf: token })).status).toBe(400);
    expect((await agent.post('/2fa/verify').type('form').send({ code: voiceCode, _csrf: token })).status).toBe(303);
  });

  test('switching on the page is not held by the resend wait, but the same method again is', async () => {
    const { agent } = await login('bob@acme.test');
    await twilio.nextSms(BOB_PHONE);
    const token = await csrf(agent);
    expect((await agent.post('/2fa/resend').type('form').send({ _csrf: token, method: 'voice' })).status).toBe(303);
    await twilio.nextCall(BOB_PHONE);
    const before = twilio.requests.length;
    expect((await agent.post('/2fa/resend').type('form').send({ _csrf: token, method: 'voice' })).status).toBe(429);
    expect(twilio.requests.length).toBe(before);
  });

  test.each<[string, StandInError]>([
    ['invalid number', INVALID_TO_NUMBER],
    ['unsubscribed', UNSUBSCRIBED],
    ['rate limited', TOO_MANY_REQUESTS],
    ['server error', SERVER_ERROR],
  ])('a Twilio failure (%s) is a clear page with the other methods, never a 500; email still works', async (_label, error) => {
    twilio.failNext(error);
    const { agent } = await login('bob@acme.test');
    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    expect(page.text).toContain('We couldn’t send a code');
    expect(page.text).toContain('value="email"');
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0], Object.getOwnPropertyNames(failures[0]))).not.toContain(BOB_PHONE);
    expect(events.some((e) => e.type === 'delivery.failed')).toBe(true);
    now += 31_000;
    const byEmail = await agent
      .post('/2fa/resend')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), method: 'email' });
    expect(byEmail.status).toBe(303);
    const code = await smtp.nextCode('bob@acme.test');
    expect(
      (
        await agent
          .post('/2fa/verify')
          .type('form')
          .send({ code, _csrf: csrfFrom(page.text) })
      ).status,
    ).toBe(303);
  });

  test('a pending session cannot change the method or reach settings', async () => {
    const { agent } = await login('bob@acme.test');
    const token = await csrf(agent);
    const attempt = await agent.post('/2fa/settings/method').type('form').send({ _csrf: token, method: 'email' });
    expect(attempt.status).toBe(303);
    expect(attempt.headers.location).toBe('/2fa');
    expect((await agent.get('/2fa/settings')).headers.location).toBe('/2fa');
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.method).toBe('sms');
  });
});

describe('enrolling a phone at sign-in', () => {
  /** Carol signs in with her password, proves herself with the code sent to her email, and is asked for a phone. */
  async function carolAtPhoneForm() {
    const textsBefore = twilio.requests.length;
    const { agent, response } = await login('carol@globex.test');
    expect(response.headers.location).toBe('/2fa');
    const token = await csrf(agent);
    expect((await agent.get('/2fa')).text).not.toContain('name="phone"');
    const emailed = await smtp.nextCode('carol@globex.test');
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: token, code: emailed })).headers.location).toBe('/2fa');
    const page = await agent.get('/2fa');
    expect(page.text).toContain('name="phone"');
    // No text goes anywhere before she names a number: none is on file.
    expect(twilio.requests.length).toBe(textsBefore);
    return { agent, token: csrfFrom(page.text) };
  }

  test('carol adds a phone: a wrong code stores nothing; the right one stores it, calls the hook and signs her in', async () => {
    const { agent, token } = await carolAtPhoneForm();
    const invalid = await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: 'call me maybe', method: 'sms' });
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('doesn’t look like a phone number');
    const sent = await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: '+1 (415) 555-0100', method: 'sms' });
    expect(sent.status).toBe(303);
    const code = smsCode((await twilio.nextSms(NEW_PHONE)).body);
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: token, code: wrong })).status).toBe(400);
    expect((await store.getUserSettings(TEST_USERS.carol!.id))?.phone).toBeNull();
    expect(verifiedPhones).toEqual([]);
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: token, code, trust: '1' })).status).toBe(303);
    expect((await agent.get('/')).text).toBe('Signed in as carol@globex.test');
    expect(await store.getUserSettings(TEST_USERS.carol!.id)).toMatchObject({ phone: NEW_PHONE, method: 'sms' });
    expect(verifiedPhones).toEqual([[TEST_USERS.carol!.id, NEW_PHONE]]);
    expect(events.find((e) => e.type === 'phone.enrolled')).toMatchObject({ phone: '•••• 0100' });

    // Later, on a new browser, her code goes by SMS to that number.
    now += 31_000;
    await login('carol@globex.test');
    expect(smsCode((await twilio.nextSms(NEW_PHONE)).body)).toMatch(/^\d{6}$/);
  });

  test("a number entered by one user cannot be claimed with another user's code", async () => {
    const carol = await carolAtPhoneForm();
    await carol.agent.post('/2fa/phone').type('form').send({ _csrf: carol.token, phone: NEW_PHONE, method: 'sms' });
    const carolCode = smsCode((await twilio.nextSms(NEW_PHONE)).body);
    const bob = await login('bob@acme.test');
    const bobToken = await csrf(bob.agent);
    const bobCode = smsCode((await twilio.nextSms(BOB_PHONE)).body);
    const attempt = carolCode === bobCode ? (carolCode === '000000' ? '111111' : '000000') : carolCode;
    expect((await bob.agent.post('/2fa/verify').type('form').send({ _csrf: bobToken, code: attempt })).status).toBe(400);
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.phone).toBe(BOB_PHONE);
  });

  test('Twilio saying the number cannot take texts is shown as such, on the phone form', async () => {
    const { agent, token } = await carolAtPhoneForm();
    twilio.failNext(INVALID_TO_NUMBER);
    const refused = await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: NEW_PHONE, method: 'sms' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('can’t receive text messages');
    expect(refused.text).toContain('name="phone"');
  });

  test('destination countries can be restricted', async () => {
    await host.twoFactor.close();
    host = build({ phone: { allowedCountries: ['US'] } });
    const { agent, token } = await carolAtPhoneForm();
    const refused = await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: '+44 20 7183 8750', method: 'sms' });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('can’t send codes to numbers in that country');
    expect(twilio.requests.filter((r) => r.to === '+442071838750')).toHaveLength(0);
  });

  test('sends to a number being enrolled are limited per user and number, across sessions', async () => {
    await host.twoFactor.close();
    host = build({ sendQuota: [{ windowMs: 1000, max: 100 }], sendLimits: { perPhone: [{ windowMs: 3_600_000, max: 2 }] } });
    const sentBefore = twilio.requests.length;
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const { agent, token } = await carolAtPhoneForm();
      statuses.push((await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: NEW_PHONE, method: 'sms' })).status);
    }
    expect(statuses).toEqual([303, 303, 429]);
    expect(twilio.requests.slice(sentBefore).filter((r) => r.to === NEW_PHONE && r.status === 201)).toHaveLength(2);
  });

  test('sends per user hold across sessions (a new session does not reset them)', async () => {
    await host.twoFactor.close();
    // Each session sends two codes: the email proof, then the text to the new number.
    host = build({ sendQuota: [{ windowMs: 900_000, max: 3 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { agent, token } = await carolAtPhoneForm();
      statuses.push((await agent.post('/2fa/phone').type('form').send({ _csrf: token, phone: NEW_PHONE, method: 'sms' })).status);
    }
    expect(statuses).toEqual([303, 429]);
  });

  test('sends per client IP are limited', async () => {
    await host.twoFactor.close();
    host = build({ sendQuota: [{ windowMs: 1000, max: 100 }], sendLimits: { perIp: [{ windowMs: 3_600_000, max: 1 }] } });
    const first = await carolAtPhoneForm();
    expect((await first.agent.post('/2fa/phone').type('form').send({ _csrf: first.token, phone: NEW_PHONE, method: 'sms' })).status).toBe(
      303,
    );
    const second = await carolAtPhoneForm();
    expect(
      (await second.agent.post('/2fa/phone').type('form').send({ _csrf: second.token, phone: '+12025550123', method: 'sms' })).status,
    ).toBe(429);
  });
});

describe('changing the phone from settings', () => {
  async function bobSignedIn() {
    const { agent } = await login('bob@acme.test');
    const token = await csrf(agent);
    const code = smsCode((await twilio.nextSms(BOB_PHONE)).body);
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: token, code })).status).toBe(303);
    now += 31_000;
    return { agent, token: await csrf(agent, '/2fa/settings') };
  }

  test('needs a fresh code to the current method first, then a code to the new number; the user is told by email', async () => {
    const { agent, token } = await bobSignedIn();
    // Straight to a new number: refused, nothing sent.
    const before = twilio.requests.length;
    const direct = await agent.post('/2fa/settings/phone').type('form').send({ _csrf: token, phone: NEW_PHONE, method: 'sms' });
    expect(direct.status).toBe(303);
    expect(twilio.requests.length).toBe(before);

    expect((await agent.post('/2fa/settings/phone/start').type('form').send({ _csrf: token })).status).toBe(303);
    const reauth = smsCode((await twilio.nextSms(BOB_PHONE)).body);
    expect((await agent.get('/2fa/settings')).text).toContain('confirm it’s you');
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: reauth })).status).toBe(303);
    expect((await agent.get('/2fa/settings')).text).toContain('name="phone"');
    now += 31_000;
    expect((await agent.post('/2fa/settings/phone').type('form').send({ _csrf: token, phone: NEW_PHONE, method: 'sms' })).status).toBe(303);
    const confirm = smsCode((await twilio.nextSms(NEW_PHONE)).body);
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.phone).toBe(BOB_PHONE);
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: confirm })).status).toBe(303);
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.phone).toBe(NEW_PHONE);
    expect(verifiedPhones).toEqual([[TEST_USERS.bob!.id, NEW_PHONE]]);
    const notice = await smtp.nextNotice('bob@acme.test');
    expect(notice.text).toContain('0100');
    expect(notice.text).not.toContain(NEW_PHONE);
    expect(events.find((e) => e.type === 'phone.changed')).toMatchObject({ by: { kind: 'user' }, phone: '•••• 0100' });
  });

  test('the method can be switched to voice or email, but not to a method without a destination', async () => {
    const { agent, token } = await bobSignedIn();
    expect((await agent.post('/2fa/settings/method').type('form').send({ _csrf: token, method: 'voice' })).status).toBe(303);
    // Only after a fresh code to the current method.
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.method).toBe('sms');
    const reauth = smsCode((await twilio.nextSms(BOB_PHONE)).body);
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: token, code: reauth })).status).toBe(303);
    expect((await store.getUserSettings(TEST_USERS.bob!.id))?.method).toBe('voice');
    expect((await agent.post('/2fa/settings/method').type('form').send({ _csrf: token, method: 'fax' })).status).toBe(400);
    expect(events.find((e) => e.type === 'method.changed')).toMatchObject({ from: 'sms', to: 'voice' });
    const notice = await smtp.nextNotice('bob@acme.test');
    expect(notice.subject.length).toBeGreaterThan(0);
  });
});
