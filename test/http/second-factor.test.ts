/**
 * Attacks on the second factor itself, by someone who has the password (or a copied session
 * cookie): codes that cross sign-in attempts, a phone enrolled on the password alone, sensitive
 * changes without a fresh proof, and a lock-out that guessing can outlast.
 */
import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, sessionCookie, TEST_USERS, type TestApp } from '../helpers/test-app';
import { smsCode } from '../helpers/twilio-stand-in';

const { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } = TWILIO_ACCOUNT;
const BOB_PHONE = '+15005550006';
const ATTACKER_PHONE = '+14155550199';
const CAROL_PHONE = '+14155550100';
const HOUR = 3_600_000;

const { smtp, twilio } = messagingServices();

type Agent = ReturnType<typeof request.agent>;

describe.each(EXPRESS_VERSIONS)('the second factor on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let now: number;
  let events: TwoFactorEvent[];

  function build(options: Parameters<typeof createTestApp>[0]['options'] = {}): TestApp {
    return createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      options: {
        store,
        now: () => now,
        twilio: { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '+15017122661', apiUrl: twilio.url },
        phone: { allowedTypes: ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER'] },
        onEvent: (event) => void events.push(event),
        ...options,
      },
    });
  }

  beforeEach(async () => {
    smtp.drain();
    twilio.drain();
    now = Date.now();
    events = [];
    store = new MemoryStore();
    await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
    await store.updateUserSettings(TEST_USERS.carol!.id, { enabled: true, method: 'sms' }, DEFAULT_USER_SETTINGS);
    host = build();
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  async function login(email: string, agent: Agent = request.agent(host.app)) {
    const response = await agent.post('/login').type('form').send({ email, password: 'right' });
    expect(response.headers.location).toBe('/2fa');
    return agent;
  }

  const page = async (agent: Agent, path = '/2fa') => (await agent.get(path)).text;
  const token = async (agent: Agent, path = '/2fa') => csrfFrom(await page(agent, path));
  const signedInAs = async (agent: Agent) => (await agent.get('/')).text;

  /** Alice with the password and her emailed code: a fully signed-in session. */
  async function aliceSignedIn(): Promise<Agent & { cookie: string }> {
    const agent = await login('alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const verified = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, _csrf: await token(agent) });
    expect(verified.status).toBe(303);
    expect(await signedInAs(agent)).toBe('Signed in as alice@acme.test');
    return Object.assign(agent, { cookie: sessionCookie(verified.headers['set-cookie']) ?? '' });
  }

  describe('a code belongs to one sign-in attempt', () => {
    test("the code sent for browser A's sign-in does not sign in browser B", async () => {
      const a = await login('alice@acme.test');
      const codeForA = await smtp.nextCode('alice@acme.test');
      const b = await login('alice@acme.test');
      const attempt = await b
        .post('/2fa/verify')
        .type('form')
        .send({ code: codeForA, _csrf: await token(b) });
      expect(attempt.status).toBe(400);
      expect(await signedInAs(b)).not.toContain('Signed in');
      // A's own code still works for A.
      expect(
        (
          await a
            .post('/2fa/verify')
            .type('form')
            .send({ code: codeForA, _csrf: await token(a) })
        ).status,
      ).toBe(303);
    });

    test('a second browser signing in moments later gets a code of its own, and each works only for its browser', async () => {
      const a = await login('alice@acme.test');
      const codeForA = await smtp.nextCode('alice@acme.test');
      const b = await login('alice@acme.test');
      const codeForB = await smtp.nextCode('alice@acme.test', 2000);
      expect(await page(b)).not.toContain('moments ago');
      expect(
        (
          await b
            .post('/2fa/verify')
            .type('form')
            .send({ code: codeForB, _csrf: await token(b) })
        ).status,
      ).toBe(303);
      expect(
        (
          await a
            .post('/2fa/verify')
            .type('form')
            .send({ code: codeForA, _csrf: await token(a) })
        ).status,
      ).toBe(303);
    });

    test('after "cancel and sign out" a new sign-in gets a fresh code at once', async () => {
      const a = await login('alice@acme.test');
      await smtp.nextCode('alice@acme.test');
      expect(
        (
          await a
            .post('/2fa/sign-out')
            .type('form')
            .send({ _csrf: await token(a) })
        ).headers.location,
      ).toBe('/login');
      await login('alice@acme.test', a);
      const fresh = await smtp.nextCode('alice@acme.test', 2000);
      expect(
        (
          await a
            .post('/2fa/verify')
            .type('form')
            .send({ code: fresh, _csrf: await token(a) })
        ).status,
      ).toBe(303);
    });

    test('another way (SMS → call → email) is not held by the resend wait; the per-user quota still is', async () => {
      const bob = await login('bob@acme.test');
      await twilio.nextSms(BOB_PHONE);
      const csrf = await token(bob);
      expect((await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'voice' })).status).toBe(303);
      await twilio.nextCall(BOB_PHONE);
      expect((await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'email' })).status).toBe(303);
      const emailed = await smtp.nextCode('bob@acme.test');
      // The same method again within 30 s waits.
      const again = await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'email' });
      expect(again.status).toBe(429);
      expect(again.text).toContain('Please wait');
      // Five sends per user per 15 minutes, whatever the method or browser.
      now += 31_000;
      expect((await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'email' })).status).toBe(303);
      now += 31_000;
      expect((await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'sms' })).status).toBe(303);
      now += 31_000;
      expect((await bob.post('/2fa/resend').type('form').send({ _csrf: csrf, method: 'voice' })).status).toBe(429);
      const other = request.agent(host.app);
      await other.post('/login').type('form').send({ email: 'bob@acme.test', password: 'right' });
      expect(await page(other)).toContain('Too many codes');
      expect(emailed).toMatch(/^\d{6}$/);
    });
  });

  describe('a first phone is enrolled only after the email on file proves the user', () => {
    test('with the password alone, carol cannot make an attacker’s number her second factor', async () => {
      const carol = await login('carol@globex.test');
      const first = await page(carol);
      expect(first).not.toContain('name="phone"');
      // The code to the email on file comes first.
      await smtp.nextCode('carol@globex.test');
      const attempt = await carol
        .post('/2fa/phone')
        .type('form')
        .send({ _csrf: csrfFrom(first), phone: ATTACKER_PHONE, method: 'sms' });
      expect(attempt.status).toBe(400);
      expect(twilio.requests.filter((r) => r.to === ATTACKER_PHONE)).toHaveLength(0);
      expect(await signedInAs(carol)).not.toContain('Signed in');
      expect((await store.getUserSettings(TEST_USERS.carol!.id))?.phone).toBeNull();
    });

    test('email code, then the number, then its own code: saved and signed in', async () => {
      const carol = await login('carol@globex.test');
      const csrf = await token(carol);
      const emailed = await smtp.nextCode('carol@globex.test');
      // The email code proves the user; it does not sign her in.
      expect((await carol.post('/2fa/verify').type('form').send({ _csrf: csrf, code: emailed })).headers.location).toBe('/2fa');
      expect(await signedInAs(carol)).not.toContain('Signed in');
      expect(await page(carol)).toContain('name="phone"');
      expect((await carol.post('/2fa/phone').type('form').send({ _csrf: csrf, phone: CAROL_PHONE, method: 'sms' })).status).toBe(303);
      const texted = smsCode((await twilio.nextSms(CAROL_PHONE)).body);
      expect((await store.getUserSettings(TEST_USERS.carol!.id))?.phone).toBeNull();
      expect((await carol.post('/2fa/verify').type('form').send({ _csrf: csrf, code: texted })).status).toBe(303);
      expect(await signedInAs(carol)).toBe('Signed in as carol@globex.test');
      expect((await store.getUserSettings(TEST_USERS.carol!.id))?.phone).toBe(CAROL_PHONE);
    });

    test('a recovery code stands in for the email code', async () => {
      const [recovery] = await host.twoFactor.generateRecoveryCodes(TEST_USERS.carol!.id);
      const carol = await login('carol@globex.test');
      const csrf = await token(carol);
      expect((await carol.post('/2fa/recovery').type('form').send({ _csrf: csrf, recoveryCode: recovery })).headers.location).toBe('/2fa');
      expect(await signedInAs(carol)).not.toContain('Signed in');
      expect(await page(carol)).toContain('name="phone"');
    });

    test('a host that opts out (phoneEnrolmentProof: "none") gets the phone form first, as documented', async () => {
      await host.twoFactor.close();
      host = build({ phoneEnrolmentProof: 'none' });
      const carol = await login('carol@globex.test');
      expect(await page(carol)).toContain('name="phone"');
    });
  });

  describe('every change to the second factor needs a fresh proof, which rotates the session', () => {
    test('new recovery codes: a signed-in session alone gets a code step, not codes', async () => {
      const alice = await aliceSignedIn();
      const csrf = await token(alice, '/2fa/settings');
      const attempt = await alice.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      expect(attempt.text ?? '').not.toMatch(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/);
      expect(await store.countRecoveryCodes(TEST_USERS.alice!.id)).toBe(0);
      const reauth = await smtp.nextCode('alice@acme.test');
      expect(await page(alice, '/2fa/settings')).toContain('confirm it’s you');
      const shown = await alice.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth });
      expect(shown.status).toBe(200);
      expect([...shown.text.matchAll(/<li>([a-z2-9]{5}-[a-z2-9]{5})<\/li>/g)]).toHaveLength(10);
      expect(await store.countRecoveryCodes(TEST_USERS.alice!.id)).toBe(10);
      const notice = await smtp.nextNotice('alice@acme.test');
      expect(notice.subject).toMatch(/recovery codes/i);
    });

    test('the preferred method changes only after a fresh code', async () => {
      const bob = await login('bob@acme.test');
      const code = smsCode((await twilio.nextSms(BOB_PHONE)).body);
      expect(
        (
          await bob
            .post('/2fa/verify')
            .type('form')
            .send({ code, _csrf: await token(bob) })
        ).status,
      ).toBe(303);
      const csrf = await token(bob, '/2fa/settings');
      await bob.post('/2fa/settings/method').type('form').send({ _csrf: csrf, method: 'email' });
      expect((await store.getUserSettings(TEST_USERS.bob!.id))?.method).toBe('sms');
      const reauth = smsCode((await twilio.nextSms(BOB_PHONE)).body);
      expect((await bob.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth })).status).toBe(303);
      expect((await store.getUserSettings(TEST_USERS.bob!.id))?.method).toBe('email');
    });

    test('a copied session cookie dies when the user passes the re-authentication', async () => {
      const alice = await aliceSignedIn();
      expect(alice.cookie).toContain('connect.sid=');
      const copy = () => request(host.app).get('/').set('Cookie', alice.cookie);
      expect((await copy()).text).toBe('Signed in as alice@acme.test');
      const csrf = await token(alice, '/2fa/settings');
      now += 31_000;
      await alice.post('/2fa/settings/phone/start').type('form').send({ _csrf: csrf });
      const reauth = await smtp.nextCode('alice@acme.test');
      const passed = await alice.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth });
      expect(passed.status).toBe(303);
      expect(await signedInAs(alice)).toBe('Signed in as alice@acme.test');
      expect((await copy()).text).not.toContain('Signed in');
    });

    test('within the window a second change needs no new code; after it, one is needed again', async () => {
      const alice = await aliceSignedIn();
      let csrf = await token(alice, '/2fa/settings');
      await alice.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      await alice
        .post('/2fa/settings/verify')
        .type('form')
        .send({ _csrf: csrf, code: await smtp.nextCode('alice@acme.test') });
      csrf = await token(alice, '/2fa/settings');
      now += 5 * 60_000;
      const inside = await alice.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      expect([...inside.text.matchAll(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/g)]).toHaveLength(10);
      now += 6 * 60_000;
      const after = await alice.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      expect(after.text ?? '').not.toMatch(/<li>[a-z2-9]{5}-[a-z2-9]{5}<\/li>/);
      await smtp.nextCode('alice@acme.test');
    });
  });

  describe('after 100 consecutive failures the code step stays shut', () => {
    // The guesser keeps one pending sign-in open across the days the back-off makes this take.
    beforeEach(async () => {
      await host.twoFactor.close();
      host = build({ pendingTtlMs: 30 * 24 * HOUR });
      await host.twoFactor.enforceAccount('acme');
    });

    /** 100 wrong codes, each after the back-off of the one before has run out. */
    async function hundredFailures(agent: Agent, csrf: string): Promise<void> {
      for (let i = 0; i < 100; i++) {
        const response = await agent.post('/2fa/verify').type('form').send({ code: '000000', _csrf: csrf });
        expect([400, 429]).toContain(response.status);
        now += 2 * HOUR;
      }
    }

    test('no new code, no code accepted, until a recovery code; the user is told and notified', async () => {
      const [recovery] = await host.twoFactor.generateRecoveryCodes(TEST_USERS.alice!.id);
      const alice = await login('alice@acme.test');
      await smtp.nextCode('alice@acme.test');
      const csrf = await token(alice);
      await hundredFailures(alice, csrf);
      expect(events.filter((e) => e.type === 'user.locked-out')).toHaveLength(1);
      await smtp.nextNotice('alice@acme.test', 3000);

      now += 3 * 24 * HOUR;
      const codeMails = () => smtp.messages.filter((m) => m.to.includes('alice@acme.test') && /^\d{6} /.test(m.subject)).length;
      const sentBefore = codeMails();
      const resend = await alice.post('/2fa/resend').type('form').send({ _csrf: csrf });
      expect(resend.status).toBe(429);
      expect(resend.text).toContain('recovery code');
      expect(codeMails()).toBe(sentBefore);
      const fresh = request.agent(host.app);
      await fresh.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
      expect(await page(fresh)).toContain('administrator');

      expect((await alice.post('/2fa/recovery').type('form').send({ _csrf: csrf, recoveryCode: recovery })).status).toBe(303);
      expect(await signedInAs(alice)).toBe('Signed in as alice@acme.test');
      expect(await store.getFailureState(TEST_USERS.alice!.id, now)).toMatchObject({ failures: 0, lockedForMs: 0, lockedOut: false });
    });

    test('an admin of the account clears it', async () => {
      const alice = await login('alice@acme.test');
      await smtp.nextCode('alice@acme.test');
      const csrf = await token(alice);
      await hundredFailures(alice, csrf);
      expect((await store.getFailureState(TEST_USERS.alice!.id, now)).lockedOut).toBe(true);
      const foreign = await request(host.app).delete(`/admin/2fa/users/${TEST_USERS.alice!.id}/lockout`).set('X-Admin-Account', 'globex');
      expect(foreign.status).toBe(403);
      const cleared = await request(host.app).delete(`/admin/2fa/users/${TEST_USERS.alice!.id}/lockout`).set('X-Admin-Account', 'acme');
      expect(cleared.status).toBe(200);
      expect(events.find((e) => e.type === 'user.unlocked')).toMatchObject({ by: { kind: 'admin', adminId: 'test-admin' } });
      expect((await alice.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
      const code = await smtp.nextCode('alice@acme.test');
      expect((await alice.post('/2fa/verify').type('form').send({ code, _csrf: csrf })).status).toBe(303);
    });
  });
});

describe('session state from another release', () => {
  let host: TestApp;
  beforeEach(() => {
    smtp.drain();
    host = createTestApp({ smtpUrl: smtp.url });
    // A stand-in for a deploy: the session holds state written by an older or newer release.
    host.app.post('/plant', (req, res) => {
      (req.session as unknown as Record<string, unknown>).deviceTwoFactor = JSON.parse(String(req.headers['x-state']));
      res.end('planted');
    });
  });
  afterEach(() => host.twoFactor.close());

  test.each([
    ['a pending sign-in of an unknown version', { v: 99, status: 'pending', stage: 'code', userId: 'u-alice', since: Date.now() }],
    ['a pending sign-in from before versioning', { status: 'pending', stage: 'code', userId: 'u-alice', since: Date.now(), csrf: 'x' }],
    ['garbage', { v: 2, status: 'verified' }],
    // Version 2 kept its stage on the state itself; its steps cannot be carried over.
    [
      'a pending sign-in of version 2',
      {
        v: 2,
        status: 'pending',
        stage: 'code',
        attempt: 'a',
        userId: 'u-alice',
        since: Date.now(),
        csrf: 'x',
        method: 'email',
        destination: 'a',
        methods: ['email'],
        lockedUntil: 0,
        returnTo: '/',
      },
    ],
    [
      'a pending sign-in of this version without its step',
      { v: 3, status: 'pending', userId: 'u-alice', since: Date.now(), csrf: 'x', returnTo: '/' },
    ],
    [
      'a pending sign-in of this version with a step of no kind',
      { v: 3, status: 'pending', userId: 'u-alice', since: Date.now(), csrf: 'x', returnTo: '/', flow: {} },
    ],
  ])('%s goes back to the password step, never a 500', async (_label, state) => {
    const agent = request.agent(host.app);
    expect((await agent.post('/plant').set('X-State', JSON.stringify(state))).text).toBe('planted');
    expect((await agent.get('/2fa')).headers.location).toBe('/login');
    expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/login');
  });

  test('a signed-in session from before versioning stays signed in', async () => {
    const agent = request.agent(host.app);
    await agent.post('/plant').set('X-State', JSON.stringify({ status: 'verified', userId: 'u-alice', verifiedAt: Date.now(), csrf: 'x' }));
    expect((await agent.get('/')).text).toBe('Signed in as alice@acme.test');
  });

  test('a signed-in session of version 2 stays signed in, without its re-authentication window or step under way', async () => {
    const agent = request.agent(host.app);
    const v2 = {
      v: 2,
      status: 'verified',
      userId: 'u-alice',
      verifiedAt: Date.now(),
      csrf: 'x',
      sudoUntil: Date.now() + 600_000,
      reauth: { attempt: 'a', since: Date.now(), method: 'email', destination: 'a', change: { kind: 'disable' } },
    };
    await agent.post('/plant').set('X-State', JSON.stringify(v2));
    expect((await agent.get('/')).text).toBe('Signed in as alice@acme.test');
    const page = await agent.get('/2fa/settings');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Two-step verification');
    // The old window does not carry over: a change to the second factor asks for a code first.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const asked = await agent.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
    expect(asked.status).toBe(303);
    expect((await agent.get('/2fa/settings')).text).toContain('First, confirm it’s you');
  });
});
