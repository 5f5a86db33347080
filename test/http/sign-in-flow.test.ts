import request from 'supertest';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, sessionCookie, TEST_USERS, type TestApp } from '../helpers/test-app';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe.each(EXPRESS_VERSIONS)('sign-in flow on %s', (_name, express) => {
  let host: TestApp;
  let now: number; // the library's clock: tests move it instead of sleeping
  beforeEach(async () => {
    smtp.drain();
    now = Date.now();
    host = createTestApp({ express, smtpUrl: smtp.url, options: { now: () => now } });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(() => host.twoFactor.close());

  async function signInWithPassword(agent: ReturnType<typeof request.agent>, email: string, returnTo?: string) {
    return agent
      .post('/login')
      .type('form')
      .send({ email, password: 'right', ...(returnTo ? { returnTo } : {}) });
  }

  test('an account-enforced user is held pending, gets a code by email, and is signed in with a new session id', async () => {
    const agent = request.agent(host.app);
    const login = await signInWithPassword(agent, 'alice@acme.test', '/reports?year=2026');
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/2fa');
    const pendingSession = sessionCookie(login.headers['set-cookie']);
    expect(pendingSession).toBeDefined();

    // The guard keeps the pending session away from the app.
    const blocked = await agent.get('/').set('Accept', 'text/html');
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/2fa');
    const blockedApi = await agent.get('/api/me').set('Accept', 'application/json');
    expect(blockedApi.status).toBe(401);
    expect(blockedApi.body).toEqual({ error: 'two_factor_required', verify: '/2fa' });

    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    expect(page.text).toContain('a•••e@acme.test');
    const code = await smtp.nextCode('alice@acme.test');

    const verified = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, trust: '1', _csrf: csrfFrom(page.text) });
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/reports?year=2026');
    const verifiedSession = sessionCookie(verified.headers['set-cookie']);
    expect(verifiedSession).toBeDefined();
    expect(verifiedSession).not.toBe(pendingSession);

    const dashboard = await agent.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toBe('Signed in as alice@acme.test');
  });

  test('the session id also changes when the password step succeeds', async () => {
    const agent = request.agent(host.app);
    await agent.get('/2fa'); // no session yet: sent back to login, nothing stored
    const first = await signInWithPassword(agent, 'dan@globex.test');
    const second = await signInWithPassword(agent, 'dan@globex.test');
    expect(sessionCookie(first.headers['set-cookie'])).toBeDefined();
    expect(sessionCookie(second.headers['set-cookie'])).not.toBe(sessionCookie(first.headers['set-cookie']));
  });

  test('a user without 2FA signs in with the password alone', async () => {
    const agent = request.agent(host.app);
    const login = await signInWithPassword(agent, 'dan@globex.test');
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/');
    expect((await agent.get('/')).text).toBe('Signed in as dan@globex.test');
    // No code; but a "new sign-in" notice, since this browser was not trusted.
    expect(smtp.messages.some((m) => m.to.includes('dan@globex.test') && /^\d{6} /.test(m.subject))).toBe(false);
    const notice = await smtp.nextMessage('dan@globex.test', 3000, (m) => /^New sign-in/.test(m.subject));
    expect(notice.text).toMatch(/Browser/);
    expect(notice.text).toMatch(/When/);
  });

  test('a sign-in from a trusted browser sends no "new sign-in" notice; every other one does, unless switched off', async () => {
    await host.twoFactor.enforceAccount('acme');
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const done = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, trust: '1', _csrf: csrfFrom((await agent.get('/2fa')).text) });
    const cookie = ([] as string[])
      .concat(done.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('device_2fa='))!
      .split(';')[0]!;
    await smtp.nextMessage('alice@acme.test', 3000, (m) => /^New sign-in/.test(m.subject));
    const trusted = await request(host.app)
      .post('/login')
      .set('Cookie', cookie)
      .set('User-Agent', CHROME)
      .type('form')
      .send({ email: 'alice@acme.test', password: 'right' });
    expect(trusted.headers.location).toBe('/');
    await expect(
      smtp.nextMessage('alice@acme.test', 500, (m) => /^New sign-in/.test(m.subject) && m.text.includes('Chrome 131')),
    ).rejects.toThrow(/No email/);

    await host.twoFactor.close();
    host = createTestApp({ express, smtpUrl: smtp.url, options: { now: () => now, notify: { newSignIn: false } } });
    // A browser of its own, so a notice still on its way from another test cannot be mistaken for one.
    await signInWithPassword(request.agent(host.app).set('User-Agent', CHROME), 'dan@globex.test');
    await expect(
      smtp.nextMessage('dan@globex.test', 500, (m) => /^New sign-in/.test(m.subject) && m.text.includes('Chrome 131')),
    ).rejects.toThrow(/No email/);
  });

  test('close() waits for the notices already on their way', async () => {
    const own = createTestApp({ express, smtpUrl: smtp.url });
    await signInWithPassword(request.agent(own.app).set('User-Agent', CHROME), 'dan@globex.test');
    await own.twoFactor.close();
    // Delivered by the time close() resolved: nothing waited for it here.
    expect(
      smtp.messages.some((m) => m.to.includes('dan@globex.test') && /^New sign-in/.test(m.subject) && m.text.includes('Chrome 131')),
    ).toBe(true);
  });

  test("a user's own switch requires the code even without account enforcement", async () => {
    await host.twoFactor.setUserEnabled(TEST_USERS.carol!.id, true);
    expect(await host.twoFactor.isRequired(TEST_USERS.carol!.id)).toBe(true);
    const login = await signInWithPassword(request.agent(host.app), 'carol@globex.test');
    expect(login.headers.location).toBe('/2fa');
    await smtp.nextCode('carol@globex.test');
  });

  test('a trusted browser skips the code at the next sign-in, and still needs the password', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const page = await agent.get('/2fa');
    const verified = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: await smtp.nextCode('alice@acme.test'), trust: '1', _csrf: csrfFrom(page.text) });
    const deviceCookie = (verified.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('device_2fa='));
    expect(deviceCookie).toMatch(/HttpOnly/);
    expect(deviceCookie).toMatch(/SameSite=Lax/);

    const devices = await host.twoFactor.listDevices(TEST_USERS.alice!.id);
    expect(devices).toHaveLength(1);
    expect(devices[0]!.expiresAt - devices[0]!.createdAt).toBe(30 * 24 * 60 * 60 * 1000);

    // Same browser (same cookie jar), new session after sign-out.
    await agent.post('/2fa/sign-out').type('form').send({});
    const again = await signInWithPassword(agent, 'alice@acme.test');
    expect(again.headers.location).toBe('/');
    expect((await agent.get('/')).text).toBe('Signed in as alice@acme.test');

    // The device never replaces the password.
    const wrongPassword = await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'wrong' });
    expect(wrongPassword.status).toBe(401);
  });

  test('"Cancel and sign out" cancels the code that went out', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await agent.get('/2fa')).text);
    const out = await agent.post('/2fa/sign-out').type('form').send({ _csrf: csrf });
    expect(out.headers.location).toBe('/login');
    // Signing in again within the resend throttle sends nothing new; the cancelled code is dead.
    await signInWithPassword(agent, 'alice@acme.test');
    const again = csrfFrom((await agent.get('/2fa')).text);
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: again })).status).toBe(400);
  });

  test('unticking "trust this browser" sets no device cookie', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const page = await agent.get('/2fa');
    const verified = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: await smtp.nextCode('alice@acme.test'), _csrf: csrfFrom(page.text) });
    expect(verified.status).toBe(303);
    expect(String(verified.headers['set-cookie'])).not.toContain('device_2fa');
    expect(await host.twoFactor.listDevices(TEST_USERS.alice!.id)).toEqual([]);
  });

  test('an exempt (non-browser) request is never challenged nor redirected', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test'); // this session is pending
    const api = await agent.get('/api/me').set('Authorization', 'Bearer test-token');
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ ok: true });
    const login = await request(host.app)
      .post('/login')
      .set('Authorization', 'Bearer test-token')
      .type('form')
      .send({ email: 'alice@acme.test', password: 'right' });
    // passwordVerified left it to the host: no redirect to the page, no cookie.
    expect(login.headers.location).toBeUndefined();
    expect(login.headers['set-cookie']).toBeUndefined();
  });

  test('resend issues a fresh code; only the newest works', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const first = await smtp.nextCode('alice@acme.test');
    const page = await agent.get('/2fa');

    const throttled = await agent
      .post('/2fa/resend')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(throttled.status).toBe(429);
    expect(throttled.text).toMatch(/wait \d+ seconds/);

    now += 31_000;
    const resent = await agent
      .post('/2fa/resend')
      .type('form')
      .send({ _csrf: csrfFrom(page.text) });
    expect(resent.status).toBe(303);
    const second = await smtp.nextCode('alice@acme.test');
    expect((await agent.get('/2fa')).text).toContain('We sent a new code');

    expect(second).not.toBe(first); // a one-in-a-million coincidence would fail here, not pass silently
    const old = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: first, _csrf: csrfFrom(page.text) });
    expect(old.status).toBe(400);
    const ok = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: second, _csrf: csrfFrom(page.text) });
    expect(ok.status).toBe(303);
  });

  test('a pending sign-in expires after 10 minutes and goes back to the password step', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const page = await agent.get('/2fa');
    now += 10 * 60_000 + 1;
    const late = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, _csrf: csrfFrom(page.text) });
    expect(late.status).toBe(401);
    expect(late.text).toContain('Sign in again');
    expect((await agent.get('/2fa')).headers.location).toBe('/login');
    expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/login');
  });

  test('the verification page carries the security headers', async () => {
    const agent = request.agent(host.app);
    await signInWithPassword(agent, 'alice@acme.test');
    const page = await agent.get('/2fa');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-frame-options']).toBe('DENY');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.text).toContain('inputmode="numeric"');
    expect(page.text).toContain('autocomplete="one-time-code"');
  });
});
