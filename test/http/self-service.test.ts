/**
 * Users switch two-step verification on and off themselves from the settings page: on only after
 * proving the chosen method, off only after the re-authentication step, and never while the
 * account enforces it.
 */
import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../src';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';
import { SERVER_ERROR, smsCode } from '../helpers/twilio-stand-in';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';

const { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } = TWILIO_ACCOUNT;
const BOB_PHONE = '+15005550006';

const { smtp, twilio } = messagingServices();

type Agent = ReturnType<typeof request.agent>;

describe.each(EXPRESS_VERSIONS)('the user’s own switch on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let events: TwoFactorEvent[];

  beforeEach(async () => {
    smtp.drain();
    events = [];
    store = new MemoryStore();
    twilio.drain();
    host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      options: {
        store,
        onEvent: (event) => void events.push(event),
        twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15017122661', apiUrl: twilio.url },
      },
    });
    await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  async function login(email: string): Promise<{ agent: Agent; location: string }> {
    const agent = request.agent(host.app);
    const response = await agent.post('/login').type('form').send({ email, password: 'right' });
    return { agent, location: response.headers.location as string };
  }

  const settingsToken = async (agent: Agent) => csrfFrom((await agent.get('/2fa/settings')).text);

  test('dan turns it on by proving his email; then his next sign-in asks for a code', async () => {
    const { agent, location } = await login('dan@globex.test');
    expect(location).toBe('/');
    const csrf = await settingsToken(agent);
    expect((await agent.get('/2fa/settings')).text).toContain('Turn on two-step verification');
    expect((await agent.post('/2fa/settings/enable').type('form').send({ _csrf: csrf, method: 'email' })).status).toBe(303);
    // Nothing changes until the code comes back.
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false);
    const code = await smtp.nextCode('dan@globex.test');
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(true);
    expect((await agent.get('/2fa/settings')).text).toContain('Two-step verification is on.');
    expect(events.find((e) => e.type === 'user.2fa-switched')).toMatchObject({
      userId: TEST_USERS.dan!.id,
      enabled: true,
      by: { kind: 'user' },
    });
    expect((await smtp.nextNotice('dan@globex.test')).subject).toMatch(/turned on/);
    expect((await login('dan@globex.test')).location).toBe('/2fa');
  });

  test('a method without a destination is refused, and nothing is sent', async () => {
    const { agent } = await login('dan@globex.test');
    const csrf = await settingsToken(agent);
    const sent = smtp.messages.length;
    expect((await agent.post('/2fa/settings/enable').type('form').send({ _csrf: csrf, method: 'sms' })).status).toBe(400);
    expect(smtp.messages.length).toBe(sent);
  });

  test('turning it off needs the re-authentication step', async () => {
    await host.twoFactor.setUserEnabled(TEST_USERS.dan!.id, true);
    const { agent } = await login('dan@globex.test');
    const signInCode = await smtp.nextCode('dan@globex.test');
    const pageToken = csrfFrom((await agent.get('/2fa')).text);
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: pageToken, code: signInCode })).status).toBe(303);
    const csrf = await settingsToken(agent);
    expect((await agent.post('/2fa/settings/disable').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(true);
    const reauth = await smtp.nextCode('dan@globex.test');
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false);
    expect((await smtp.nextNotice('dan@globex.test')).subject).toMatch(/turned off/);
  });

  test('an account that enforces it: no switch on the page, and a posted "off" is refused before any code', async () => {
    const { agent } = await login('alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const pageToken = csrfFrom((await agent.get('/2fa')).text);
    await agent.post('/2fa/verify').type('form').send({ _csrf: pageToken, code });
    const page = (await agent.get('/2fa/settings')).text;
    expect(page).not.toContain('Turn off two-step verification');
    const sent = smtp.messages.length;
    const refused = await agent
      .post('/2fa/settings/disable')
      .type('form')
      .send({ _csrf: csrfFrom(page) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('can’t be turned off');
    expect(smtp.messages.length).toBe(sent);
    expect(await host.twoFactor.isRequired(TEST_USERS.alice!.id)).toBe(true);
  });

  describe('phone only', () => {
    /** bob, signed in with his texted code, switches email codes off (a fresh text proves it). */
    async function bobPhoneOnly(): Promise<void> {
      const { agent } = await login('bob@acme.test');
      const signIn = smsCode((await twilio.nextSms(BOB_PHONE)).body);
      await agent
        .post('/2fa/verify')
        .type('form')
        .send({ _csrf: csrfFrom((await agent.get('/2fa')).text), code: signIn });
      const csrf = await settingsToken(agent);
      expect((await agent.get('/2fa/settings')).text).toContain('Don’t send codes by email');
      expect((await agent.post('/2fa/settings/email-codes').type('form').send({ _csrf: csrf, allowed: '0' })).status).toBe(303);
      expect((await store.getUserSettings(TEST_USERS.bob!.id))?.emailCodes).not.toBe(false);
      const reauth = smsCode((await twilio.nextSms(BOB_PHONE)).body);
      expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth })).status).toBe(303);
      expect((await store.getUserSettings(TEST_USERS.bob!.id))?.emailCodes).toBe(false);
      expect(events.find((e) => e.type === 'email-codes.switched')).toMatchObject({ allowed: false, by: { kind: 'user' } });
    }

    test('email is then neither offered on the page nor accepted as a way', async () => {
      await bobPhoneOnly();
      const { agent } = await login('bob@acme.test');
      await twilio.nextSms(BOB_PHONE);
      const page = (await agent.get('/2fa')).text;
      expect(page).not.toContain('value="email"');
      expect(page).toContain('value="voice"');
      const codeMails = () => smtp.messages.filter((m) => m.to.includes('bob@acme.test') && /^\d{6} /.test(m.subject)).length;
      const before = codeMails();
      expect(
        (
          await agent
            .post('/2fa/resend')
            .type('form')
            .send({ _csrf: csrfFrom(page), method: 'email' })
        ).status,
      ).toBe(400);
      expect(codeMails()).toBe(before);
    });

    test('when the phone cannot be reached the page says so and offers the recovery code, which works', async () => {
      await bobPhoneOnly();
      const [recovery] = await host.twoFactor.generateRecoveryCodes(TEST_USERS.bob!.id);
      twilio.failNext(SERVER_ERROR);
      const { agent } = await login('bob@acme.test');
      const page = (await agent.get('/2fa')).text;
      expect(page).toContain('couldn’t reach your phone');
      expect(page).toContain('name="recoveryCode"');
      expect(
        (
          await agent
            .post('/2fa/recovery')
            .type('form')
            .send({ _csrf: csrfFrom(page), recoveryCode: recovery })
        ).status,
      ).toBe(303);
      expect((await agent.get('/')).text).toBe('Signed in as bob@acme.test');
    });

    test('it cannot be switched on without a phone', async () => {
      const { agent } = await login('alice@acme.test');
      const code = await smtp.nextCode('alice@acme.test');
      await agent
        .post('/2fa/verify')
        .type('form')
        .send({ _csrf: csrfFrom((await agent.get('/2fa')).text), code });
      const csrf = await settingsToken(agent);
      expect((await agent.get('/2fa/settings')).text).not.toContain('Don’t send codes by email');
      expect((await agent.post('/2fa/settings/email-codes').type('form').send({ _csrf: csrf, allowed: '0' })).status).toBe(400);
    });
  });
});

describe.each(EXPRESS_VERSIONS)('an admin types a user’s phone in (SecureClose) on %s', (_name, expressVersion) => {
  const DAN_PHONE = '+14155550111';
  let host: TestApp;
  let store: MemoryStore;
  const admin = { 'X-Admin-Account': 'globex', 'Content-Type': 'application/json' };

  beforeEach(() => {
    smtp.drain();
    twilio.drain();
    store = new MemoryStore();
    host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      options: { store, twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15017122661', apiUrl: twilio.url } },
    });
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  test('the next sign-in sends the code to it; entering it makes the number the user’s', async () => {
    const userPath = `/admin/2fa/users/${TEST_USERS.dan!.id}`;
    const set = await request(host.app).put(`${userPath}/phone`).set(admin).send({ phone: '+1 (415) 555-0111' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ phone: null, unverifiedPhone: '•••• 0111', method: 'sms' });
    expect((await smtp.nextNotice('dan@globex.test')).text).toContain('0111');
    await request(host.app).put(`${userPath}/2fa`).set(admin).send({ enabled: true });

    const agent = request.agent(host.app);
    expect((await agent.post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).headers.location).toBe('/2fa');
    const page = (await agent.get('/2fa')).text;
    expect(page).toContain('•••• 0111');
    // No email proof in front (the admin vouched for the number), and no swapping it on the password alone.
    expect(page).not.toContain('/2fa/phone/change');
    expect(
      (
        await agent
          .post('/2fa/phone/change')
          .type('form')
          .send({ _csrf: csrfFrom(page) })
      ).status,
    ).toBe(400);
    const code = smsCode((await twilio.nextSms(DAN_PHONE)).body);
    expect(
      (
        await agent
          .post('/2fa/verify')
          .type('form')
          .send({ _csrf: csrfFrom(page), code })
      ).status,
    ).toBe(303);
    expect((await agent.get('/')).text).toBe('Signed in as dan@globex.test');
    expect((await request(host.app).get(userPath).set(admin)).body).toMatchObject({ phone: '•••• 0111', unverifiedPhone: null });
    expect(await store.getUserSettings(TEST_USERS.dan!.id)).toMatchObject({ phone: DAN_PHONE, unverifiedPhone: null, method: 'sms' });
  });

  test('a number that cannot be used is a 400 that says why; another account’s user a 403', async () => {
    const bad = await request(host.app).put(`/admin/2fa/users/${TEST_USERS.dan!.id}/phone`).set(admin).send({ phone: '+1 900 555 0100' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('ERR_2FA_INVALID_PHONE');
    const foreign = await request(host.app).put(`/admin/2fa/users/${TEST_USERS.alice!.id}/phone`).set(admin).send({ phone: DAN_PHONE });
    expect(foreign.status).toBe(403);
    expect(await store.getUserSettings(TEST_USERS.dan!.id)).toBeNull();
  });
});
