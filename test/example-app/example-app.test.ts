import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import type { Redis } from 'ioredis';
import { createExampleApp, PHONE_OPTIONS } from '../../example-app/app';
import { normalisePhone } from '../../src';
import { scanKeys, startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { csrfFrom } from '../helpers/test-app';
import { HTML, SECRETS, type Agent, type ExampleApp } from './support';

/** The login form's CSRF token (showing the form starts the session that holds it). */
async function loginToken(agent: Agent): Promise<string> {
  return csrfFrom((await agent.get('/login')).text);
}

/** Password step through the login form; returns where the app redirected. */
async function signIn(agent: Agent, email: string, password = 'demo-password', returnTo = '/'): Promise<string> {
  const _csrf = await loginToken(agent);
  const res = await agent.post('/login').type('form').send({ email, password, returnTo, _csrf });
  expect(res.status).toBe(303);
  return res.headers.location as string;
}

/** Code step: posts the code with the page's CSRF token and "trust this browser" ticked. */
async function enterCode(agent: Agent, code: string): Promise<request.Response> {
  const page = await agent.get('/2fa').set(HTML);
  expect(page.status).toBe(200);
  const res = await agent
    .post('/2fa/verify')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), code, trust: '1' });
  expect(res.status).toBe(303);
  return res;
}

/** The session id from a response's session cookie (`sid` on plain HTTP; `s:<id>.<signature>`). */
function sessionId(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const value = cookies
    .find((c) => c.startsWith('sid='))
    ?.split(';')[0]
    ?.slice('sid='.length);
  return value ? /^s:([^.]+)\./.exec(decodeURIComponent(value))?.[1] : undefined;
}

async function expectDashboard(agent: Agent, email: string): Promise<string> {
  const res = await agent.get('/').set(HTML);
  expect(res.status).toBe(200);
  expect(res.text).toContain(`Signed in as ${email}`);
  return res.text;
}

/** Signs out with the dashboard's CSRF token. */
async function signOut(agent: Agent): Promise<void> {
  const dashboard = await agent.get('/').set(HTML);
  const res = await agent
    .post('/logout')
    .type('form')
    .send({ _csrf: csrfFrom(dashboard.text) });
  expect(res.status).toBe(303);
  expect(res.headers.location).toBe('/login');
}

/** Keeps the example app's JSON event lines out of the test output, and returns them. */
function captureLog(): { lines: string[]; restore(): void } {
  const lines: string[] = [];
  const spy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
  return { lines, restore: () => spy.mockRestore() };
}

describe('example app phone numbers', () => {
  test.each([
    ['+1 500 555 0006', 'ok', "Twilio's magic test number (the demo's)"],
    ['415 555 0100', 'ok', 'a US number typed without +1'],
    ['+1 613 555 0123', 'ok', 'Canada'],
    ['+44 7400 123456', 'ok', 'the United Kingdom'],
    ['+33 6 12 34 56 78', 'country-not-allowed', 'France, not a country of ours'],
    ['+53 5 123 4567', 'country-not-allowed', 'Cuba, not a country of ours'],
    ['+881 6 1234 5678', 'country-not-allowed', 'a satellite phone'],
    ['+1 900 555 0123', 'not-mobile-or-fixed', 'a US premium-rate number'],
  ])('%s: %s (%s)', (typed, expected) => {
    const parsed = normalisePhone(typed, PHONE_OPTIONS);
    expect(parsed.ok ? 'ok' : parsed.reason).toBe(expected);
  });
});

describe('example app, development (memory stores, development outbox)', () => {
  const previousNodeEnv = process.env.NODE_ENV;
  let example: ExampleApp;
  let logged: string[];
  let logSpy: jest.SpyInstance;

  beforeAll(async () => {
    // The library reads NODE_ENV from process.env for its outbox; the app reads it from `env`.
    process.env.NODE_ENV = 'development';
    logged = [];
    logSpy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
    example = await createExampleApp({ NODE_ENV: 'development' });
  });

  afterAll(async () => {
    await example?.close();
    logSpy.mockRestore();
    process.env.NODE_ENV = previousNodeEnv;
  });

  it('serves a login form carrying returnTo, escaped', async () => {
    const res = await request(example.app).get('/login').query({ returnTo: '/"><script>alert(1)</script>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="email"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('name="returnTo" value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).not.toContain('<script>');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('alice: password, then the code from the outbox, then the dashboard', async () => {
    const agent = request.agent(example.app);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');

    // Half signed in: the guard keeps her off the dashboard.
    const blocked = await agent.get('/').set(HTML);
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/2fa');

    const outbox = await agent.get('/2fa/outbox').set(HTML);
    expect(outbox.status).toBe(200);
    const code = /<td class="code-cell">(\d{6})<\/td><td>alice@acme\.test<\/td>/.exec(outbox.text)?.[1];
    expect(code).toBeDefined();
    // The same code was printed to the console (masked destination).
    expect(logged.some((line) => line.includes(`code ${code}`))).toBe(true);

    expect((await enterCode(agent, code as string)).headers.location).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');

    // Signing out needs the page's CSRF token; without it nothing happens.
    const forged = await agent.post('/logout').type('form').send({ _csrf: 'forged' });
    expect(forged.status).toBe(403);
    await expectDashboard(agent, 'alice@acme.test');

    // Signing out ends the session: the dashboard sends her back to the login page.
    await signOut(agent);
    const after = await agent.get('/').set(HTML);
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login?returnTo=/');
  });

  it('dan (2FA off) signs in without a code', async () => {
    const agent = request.agent(example.app);
    const sent = logged.length;
    expect(await signIn(agent, 'DAN@globex.test ')).toBe('/');
    await expectDashboard(agent, 'dan@globex.test');
    expect(logged.slice(sent).some((line) => line.includes('[2fa outbox]') && line.includes(': code '))).toBe(false);
    // Only the "new sign-in" notice, as dan's browser was not trusted.
    expect(logged.slice(sent).filter((line) => line.includes('[2fa outbox] notice'))).toEqual([expect.stringContaining('new-sign-in')]);
  });

  it('a wrong password or an unknown email gets 401 with the same generic message', async () => {
    for (const [email, password] of [
      ['alice@acme.test', 'wrong-password'],
      ['nobody@acme.test', 'demo-password'],
    ]) {
      const agent = request.agent(example.app);
      const _csrf = await loginToken(agent);
      const res = await agent.post('/login').type('form').send({ email, password, returnTo: '/', _csrf });
      expect(res.status).toBe(401);
      expect(res.text).toContain('Wrong email or password.');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await agent.get('/').set(HTML)).headers.location).toBe('/login?returnTo=/');
    }
  });

  it('refuses the development secret outside development', async () => {
    await expect(createExampleApp({ NODE_ENV: 'production', SESSION_SECRET: 'x' })).rejects.toThrow(/TWO_FACTOR_SECRET must be set/);
  });

  it('alice sets up an authenticator app from /2fa/settings, makes it her method and signs in with it from a new browser', async () => {
    const newestCode = async (agent: Agent): Promise<string> =>
      /<td class="code-cell">(\d{6})<\/td><td>alice@acme\.test<\/td>/.exec((await agent.get('/2fa/outbox').set(HTML)).text)?.[1] ?? '';
    const agent = request.agent(example.app);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');
    await enterCode(agent, await newestCode(agent));
    const csrf = csrfFrom((await agent.get('/2fa/settings').set(HTML)).text);

    // Behind the re-authentication step: a code first, then the QR code and the key.
    expect((await agent.post('/2fa/settings/methods/add').type('form').send({ _csrf: csrf, method: 'totp' })).status).toBe(303);
    expect(
      (
        await agent
          .post('/2fa/settings/verify')
          .type('form')
          .send({ _csrf: csrf, code: await newestCode(agent) })
      ).status,
    ).toBe(303);
    const setup = (await agent.get('/2fa/settings').set(HTML)).text;
    expect(setup).toContain('<h1>Authenticator app</h1>');
    expect(setup).toMatch(/<div class="qr" role="img" aria-label="[^"]+"><svg /);
    const key = /<p class="secret-key" translate="no">([A-Z2-7 ]+)<\/p>/.exec(setup)?.[1]?.replace(/ /g, '') ?? '';
    const codeAt = (at: number) =>
      TOTP.generate({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
    expect(
      (
        await agent
          .post('/2fa/settings/enrol')
          .type('form')
          .send({ _csrf: csrf, code: codeAt(Date.now()), label: 'Pixel' })
      ).status,
    ).toBe(303);
    const settings = (await agent.get('/2fa/settings').set(HTML)).text;
    expect(settings).toContain('Your authenticator app is set up.');
    expect(settings).toContain('Pixel');
    expect((await agent.post('/2fa/settings/method').type('form').send({ _csrf: csrf, method: 'totp' })).status).toBe(303);
    expect((await agent.get('/2fa/settings').set(HTML)).text).toContain('From now on, we’ll ask for a code from your authenticator app.');

    // A new browser: the app's code (the next step's: the set-up used this one), nothing sent.
    const sent = logged.filter((line) => line.includes(': code ')).length;
    const other = request.agent(example.app);
    expect(await signIn(other, 'alice@acme.test')).toBe('/2fa');
    expect((await other.get('/2fa').set(HTML)).text).toContain(
      'Enter the 6-digit code your authenticator app shows for <strong>Example Co</strong>.',
    );
    expect((await enterCode(other, codeAt(Date.now() + 30_000))).headers.location).toBe('/');
    await expectDashboard(other, 'alice@acme.test');
    expect(logged.filter((line) => line.includes(': code ')).length).toBe(sent);
    // The audit log never carries the key.
    expect(logged.join('\n')).not.toContain(key);
  });
});

describe('example app with REDIS_URL and SMTP_URL', () => {
  let redis: TestRedis;
  let smtp: TestSmtpServer;
  let example: ExampleApp;
  let client: Redis;

  let log: ReturnType<typeof captureLog>;

  beforeAll(async () => {
    log = captureLog();
    [redis, smtp] = await Promise.all([startRedis(), startSmtpServer()]);
    client = redis.client();
    example = await createExampleApp({
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: '"Example Co" <security@example.test>',
      ...SECRETS,
    });
  });

  afterAll(async () => {
    await example?.close();
    await Promise.all([redis?.stop(), smtp?.stop()]);
    log.restore();
  });

  const scan = (pattern: string) => scanKeys(client, pattern);

  it('alice signs in with the code sent by email, and her session is stored in Redis', async () => {
    const agent = request.agent(example.app);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');
    const code = await smtp.nextCode('alice@acme.test');
    const verified = await enterCode(agent, code);
    expect(verified.headers.location).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');

    // The session cookie names a session that really is in Redis, holding the verified state.
    const sid = sessionId(verified);
    expect(sid).toBeDefined();
    const sessionKeys = await scan('sess:*');
    expect(sessionKeys).toContain(`sess:${sid}`);
    expect(await client.get(`sess:${sid}`)).toContain('"verified"');
    // The library's ephemeral state is there too, under its own prefix.
    expect((await scan('2fa:*')).length).toBeGreaterThan(0);

    // The trusted browser skips the code on the next sign-in; no second email.
    await signOut(agent);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');
    await expect(smtp.nextCode('alice@acme.test', 300)).rejects.toThrow(/No email/);
  });
});

describe('example app: API token, admin page and JSON admin API', () => {
  let smtp: TestSmtpServer;
  let example: ExampleApp;
  let log: ReturnType<typeof captureLog>;
  let acmeAdmin: Agent;
  let globexAdmin: Agent;
  let alice: Agent;

  beforeAll(async () => {
    log = captureLog();
    smtp = await startSmtpServer();
    example = await createExampleApp({ NODE_ENV: 'test', SMTP_URL: smtp.url, ...SECRETS });
    // First, as the library sends each user at most one code per 30 s.
    acmeAdmin = await signInFully('admin@acme.test');
    globexAdmin = await signInFully('admin@globex.test');
    alice = await signInFully('alice@acme.test');
  });

  afterAll(async () => {
    await example?.close();
    await smtp?.stop();
    log.restore();
  });

  /** Password, then the emailed code with "trust this browser": a fully verified session. */
  async function signInFully(email: string): Promise<Agent> {
    const agent = request.agent(example.app);
    expect(await signIn(agent, email, 'demo-password', '/')).toBe('/2fa');
    await enterCode(agent, await smtp.nextCode(email));
    return agent;
  }

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const events = (type: string): Array<Record<string, unknown>> =>
    log.lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((e) => e.type === type);

  describe('GET /api/me with a Bearer token', () => {
    it('answers JSON with no 2FA step: no cookie, no redirect, even when asking for HTML', async () => {
      for (const accept of ['application/json', 'text/html']) {
        const res = await request(example.app).get('/api/me').set(bearer('demo-token')).set('Accept', accept);
        expect(res.status).toBe(200);
        expect(res.type).toBe('application/json');
        expect(res.body).toEqual({ id: 'alice', email: 'alice@acme.test', accountId: 'acme' });
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(res.headers.location).toBeUndefined();
      }
    });

    it('refuses a wrong or missing token with 401 JSON', async () => {
      for (const headers of [bearer('demo-token-x'), bearer('DEMO-TOKEN'), { Authorization: 'Basic ZGVtbzpkZW1v' }, {}]) {
        const res = await request(example.app).get('/api/me').set(headers).set(HTML);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: 'invalid_token' });
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(res.headers['set-cookie']).toBeUndefined();
      }
    });

    it('a browser session for alice still has to verify, while her token works from the same client', async () => {
      const agent = request.agent(example.app); // a new browser: not trusted
      expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');
      expect((await agent.get('/').set(HTML)).headers.location).toBe('/2fa');
      const withoutToken = await agent.get('/api/me');
      expect(withoutToken.status).toBe(401);
      expect(withoutToken.body).toMatchObject({ error: 'two_factor_required' });
      const withToken = await agent.get('/api/me').set(bearer('demo-token'));
      expect(withToken.status).toBe(200);
      expect(withToken.body.email).toBe('alice@acme.test');
      // The Bearer request did not sign the browser session in.
      expect((await agent.get('/').set(HTML)).headers.location).toBe('/2fa');
    });

    it('the password form refuses a request carrying a Bearer token (exempt: the app answers, not the library)', async () => {
      const agent = request.agent(example.app);
      const _csrf = await loginToken(agent);
      const res = await agent
        .post('/login')
        .set(bearer('demo-token'))
        .type('form')
        .send({ email: 'dan@globex.test', password: 'demo-password', returnTo: '/', _csrf });
      expect(res.status).toBe(400);
      expect(res.headers['set-cookie']).toBeUndefined();
    });

    it('alice blocks apps that can’t ask for a code: her token gets a 403 until she allows them again with a code', async () => {
      const me = () => request(example.app).get('/api/me').set(bearer('demo-token'));
      const csrf = csrfFrom((await alice.get('/2fa/settings').set(HTML)).text);
      expect((await alice.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: '1' })).status).toBe(303);
      expect(example.db.users.get('alice')?.twoFactor.blockClients).toBe(true);
      const refused = await me();
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'two_factor_client_blocked', blockedBy: 'user' });
      expect((await me().set(HTML)).text).toContain('This app is blocked');
      // An unknown token passes the guard untouched, and the route refuses it as before.
      expect((await request(example.app).get('/api/me').set(bearer('other-token'))).status).toBe(401);

      smtp.drain();
      expect((await alice.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: '0' })).status).toBe(303);
      expect((await me()).status).toBe(403);
      const code = await smtp.nextCode('alice@acme.test');
      expect((await alice.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
      expect(example.db.users.get('alice')?.twoFactor.blockClients).toBe(false);
      expect((await me()).status).toBe(200);
      expect(events('client.blocked')).toContainEqual(expect.objectContaining({ userId: 'alice', client: 'api', blockedBy: 'user' }));
    });

    it('the acme admin blocks API tokens for the whole account, and allows them again', async () => {
      const me = () => request(example.app).get('/api/me').set(bearer('demo-token'));
      const csrf = csrfFrom((await acmeAdmin.get('/admin').set(HTML)).text);
      expect((await acmeAdmin.post('/admin/account/clients').type('form').send({ _csrf: csrf, blocked: 'true' })).status).toBe(303);
      expect((await acmeAdmin.get('/admin').set(HTML)).text).toContain('blocked for every user');
      expect(example.db.accounts.get('acme')?.blockClients).toBe(true);
      expect((await me()).body).toMatchObject({ error: 'two_factor_client_blocked', blockedBy: 'account' });
      // The JSON admin API says so, and switches it back; the globex admin cannot touch acme's users.
      expect((await acmeAdmin.get('/admin/api/account')).body).toMatchObject({ blockClients: true });
      expect((await globexAdmin.put('/admin/api/users/alice/clients').send({ blocked: true })).status).toBe(403);
      expect((await acmeAdmin.put('/admin/api/account/clients').send({ blocked: false })).body).toMatchObject({ blockClients: false });
      expect((await me()).status).toBe(200);
      expect(events('account.clients-switched')).toContainEqual(
        expect.objectContaining({ accountId: 'acme', blocked: true, by: { kind: 'admin', adminId: 'admin-acme' } }),
      );
      // One user's, from the page: alice's token is refused, then allowed again.
      const page = await acmeAdmin.get('/admin').set(HTML);
      expect(
        (
          await acmeAdmin
            .post('/admin/users/alice/clients')
            .type('form')
            .send({ _csrf: csrfFrom(page.text), blocked: 'true' })
        ).status,
      ).toBe(303);
      expect((await acmeAdmin.get('/admin').set(HTML)).text).toContain('API tokens blocked.');
      expect((await me()).body).toMatchObject({ blockedBy: 'user' });
      expect(
        (
          await acmeAdmin
            .post('/admin/users/alice/clients')
            .type('form')
            .send({ _csrf: csrfFrom(page.text), blocked: 'false' })
        ).status,
      ).toBe(303);
      expect((await me()).status).toBe(200);
    });
  });

  describe('admin', () => {
    async function adminPage(agent: Agent): Promise<string> {
      const res = await agent.get('/admin').set(HTML);
      expect(res.status).toBe(200);
      return res.text;
    }

    /** Posts one of the /admin forms with the page's CSRF token; returns the page it leads to. */
    async function adminPost(agent: Agent, path: string, fields: Record<string, string> = {}): Promise<request.Response> {
      const csrf = csrfFrom(await adminPage(agent));
      return agent
        .post(path)
        .type('form')
        .send({ _csrf: csrf, ...fields });
    }

    async function followAdminPost(agent: Agent, path: string, fields: Record<string, string> = {}): Promise<string> {
      const res = await adminPost(agent, path, fields);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/admin');
      return adminPage(agent);
    }

    it('the dashboard links to the security settings, and for admins to /admin', async () => {
      const adminDashboard = await expectDashboard(acmeAdmin, 'admin@acme.test');
      expect(adminDashboard).toContain('href="/2fa/settings"');
      expect(adminDashboard).toContain('href="/admin"');
      const aliceDashboard = await expectDashboard(alice, 'alice@acme.test');
      expect(aliceDashboard).toContain('href="/2fa/settings"');
      expect(aliceDashboard).not.toContain('href="/admin"');
      expect((await alice.get('/2fa/settings').set(HTML)).status).toBe(200);
    });

    it('an acme admin sees only acme users, on the page and through the JSON API', async () => {
      const page = await adminPage(acmeAdmin);
      for (const email of ['alice@acme.test', 'bob@acme.test', 'admin@acme.test']) expect(page).toContain(email);
      for (const email of ['carol@globex.test', 'dan@globex.test', 'admin@globex.test']) expect(page).not.toContain(email);
      // bob's phone is shown masked.
      expect(page).toContain('•••• 0006');
      expect(page).not.toContain('5550006');

      const users = await acmeAdmin.get('/admin/api/users');
      expect(users.status).toBe(200);
      expect((users.body as Array<{ userId: string }>).map((u) => u.userId).sort()).toEqual(['admin-acme', 'alice', 'bob']);
    });

    it('an acme admin cannot read or change a globex user: 403 from the JSON API and from a crafted form post', async () => {
      const carolBefore = structuredClone(example.db.users.get('carol')?.twoFactor);
      const api = [
        acmeAdmin.get('/admin/api/users/carol'),
        acmeAdmin.get('/admin/api/users/carol/devices'),
        acmeAdmin.put('/admin/api/users/carol/2fa').send({ enabled: false }),
        acmeAdmin.post('/admin/api/users/dan/phone/reset').send({}),
        acmeAdmin.delete('/admin/api/users/carol/devices'),
        acmeAdmin.delete('/admin/api/users/carol/devices/some-device'),
        acmeAdmin.get('/admin/api/users/nobody'),
      ];
      for (const res of await Promise.all(api)) {
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ error: expect.any(String) });
      }
      for (const [path, fields] of [
        ['/admin/users/carol/2fa', { enabled: 'false' }],
        ['/admin/users/carol/phone/reset', {}],
        ['/admin/users/carol/phone', { phone: '+14155550111' }],
        ['/admin/users/carol/devices/revoke-all', {}],
        ['/admin/users/admin-globex/devices/revoke', { deviceId: 'x' }],
      ] as const) {
        const res = await adminPost(acmeAdmin, path, fields);
        expect(res.status).toBe(403);
        expect(res.text).toContain('not in your account');
      }
      expect(example.db.users.get('carol')?.twoFactor).toEqual(carolBefore);
      expect(await example.twoFactor.listDevices('admin-globex')).toHaveLength(1);
    });

    it('refuses /admin form posts without the CSRF token', async () => {
      for (const fields of [{}, { _csrf: 'forged', enabled: 'true' }]) {
        const res = await acmeAdmin.post('/admin/users/alice/2fa').type('form').send(fields);
        expect(res.status).toBe(403);
      }
      expect(example.db.users.get('alice')?.twoFactor.enabled).toBe(false);
    });

    it('switching off 2FA in an enforcing account is refused with a visible message', async () => {
      const page = await followAdminPost(acmeAdmin, '/admin/users/admin-acme/2fa', { enabled: 'false' });
      expect(page).toContain('can’t be turned off');
      expect(page).toContain('role="alert"');
      expect(example.db.users.get('admin-acme')?.twoFactor.enabled).toBe(true);
      // The JSON API refuses the same with 409.
      const api = await acmeAdmin.put('/admin/api/users/admin-acme/2fa').send({ enabled: false });
      expect(api.status).toBe(409);
      // Switching on is fine.
      expect(await followAdminPost(acmeAdmin, '/admin/users/alice/2fa', { enabled: 'true' })).toContain('now on for alice@acme.test');
      expect(example.db.users.get('alice')?.twoFactor.enabled).toBe(true);
    });

    it('an admin resets a phone and revokes trusted browsers of their users', async () => {
      let page = await followAdminPost(acmeAdmin, '/admin/users/bob/phone/reset');
      expect(page).toContain('bob@acme.test has no phone number now');
      expect(example.db.users.get('bob')?.twoFactor).toMatchObject({ phone: null, method: 'email' });

      // alice trusted her browser when she signed in: one device, listed with a revoke button.
      const [device] = await example.twoFactor.listDevices('alice');
      expect(device).toBeDefined();
      expect(page).toContain(`name="deviceId" value="${device!.id}"`);
      page = await followAdminPost(acmeAdmin, '/admin/users/alice/devices/revoke', { deviceId: device!.id });
      expect(page).toContain('no longer trusted');
      expect(await example.twoFactor.listDevices('alice')).toHaveLength(0);

      // The admin's own browser: revoke all.
      expect(await example.twoFactor.listDevices('admin-acme')).toHaveLength(1);
      expect(await followAdminPost(acmeAdmin, '/admin/users/admin-acme/devices/revoke-all')).toContain('1 trusted browser(s) revoked');
      expect(await example.twoFactor.listDevices('admin-acme')).toHaveLength(0);

      // Each step is an audit event naming the admin.
      expect(events('phone.changed')).toContainEqual(
        expect.objectContaining({ userId: 'bob', phone: null, by: { kind: 'admin', adminId: 'admin-acme' } }),
      );
      expect(events('device.revoked')).toContainEqual(
        expect.objectContaining({ userId: 'alice', by: { kind: 'admin', adminId: 'admin-acme' } }),
      );
    });

    it('an admin types a user’s mobile number in: shown unconfirmed until the user’s next sign-in proves it', async () => {
      let page = await followAdminPost(globexAdmin, '/admin/users/dan/phone', { phone: '415 555 0111' });
      expect(page).toContain('Codes for dan@globex.test go to •••• 0111 from their next sign-in');
      expect(page).toContain('•••• 0111 (not yet confirmed)');
      expect(example.db.users.get('dan')?.twoFactor).toMatchObject({ phone: null, unverifiedPhone: '+14155550111', method: 'sms' });
      page = await followAdminPost(globexAdmin, '/admin/users/dan/phone', { phone: '+1 900 555 0100' });
      expect(page).toContain('can’t receive verification codes');
      expect(events('phone.set-by-admin')).toContainEqual(
        expect.objectContaining({ userId: 'dan', phone: '•••• 0111', by: { kind: 'admin', adminId: 'admin-globex' } }),
      );
    });

    it('enforcing the account works, shows since when, and offers no way back', async () => {
      let page = await adminPage(globexAdmin);
      expect(page).toContain('Enforce two-step verification for the whole account');
      expect(page).not.toContain('Enforced since');

      page = await followAdminPost(globexAdmin, '/admin/account/enforce');
      expect(page).toMatch(/Enforced since \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(page).not.toContain('Enforce two-step verification for the whole account');
      expect(page).not.toContain('/admin/account/enforce');
      expect(example.db.accounts.get('globex')).toMatchObject({ twoFactorEnforced: true });
      expect(events('enforcement.enabled')).toContainEqual(
        expect.objectContaining({ accountId: 'globex', by: { kind: 'admin', adminId: 'admin-globex' } }),
      );

      // No off switch: not through the JSON API, not through a form.
      const off = await globexAdmin.delete('/admin/api/account/enforce');
      expect(off.status).toBe(409);
      expect((await adminPost(globexAdmin, '/admin/account/unenforce')).status).toBe(404);
      expect(example.db.accounts.get('globex')).toMatchObject({ twoFactorEnforced: true });
      // And carol's own switch cannot be turned off any more.
      expect(await followAdminPost(globexAdmin, '/admin/users/carol/2fa', { enabled: 'false' })).toContain('can’t be turned off');
      // dan (own switch off) now needs a code.
      expect(await signIn(request.agent(example.app), 'dan@globex.test')).toBe('/2fa');
    });

    it("the session policy: switched on for globex once (its users signed out), never off; acme's dashboard includes the warning", async () => {
      smtp.drain(); // codes earlier tests left unread
      const dan = request.agent(example.app);
      // dan's own switch is off: a code only while globex enforces 2FA (an earlier test switches it on).
      if ((await signIn(dan, 'dan@globex.test')) === '/2fa') await enterCode(dan, await smtp.nextCode('dan@globex.test'));
      expect((await dan.get('/')).status).toBe(200);
      let page = await adminPage(globexAdmin);
      expect(page).toContain('End idle sessions for the whole account');
      page = await followAdminPost(globexAdmin, '/admin/account/session-policy');
      expect(page).toContain('Every user was signed out once.');
      expect(page).not.toContain('End idle sessions for the whole account');
      expect(example.db.accounts.get('globex')).toMatchObject({ sessionPolicy: true });
      expect((await dan.get('/')).headers.location).toBe('/login?returnTo=/');
      expect((await globexAdmin.delete('/admin/api/account/session-policy')).status).toBe(409);
      expect(example.db.accounts.get('globex')).toMatchObject({ sessionPolicy: true });

      smtp.drain();
      const alice = await signInFully('alice@acme.test');
      const dashboard = await alice.get('/');
      expect(dashboard.text).toContain('<script src="/2fa/session.js" defer></script>');
      expect(dashboard.headers['content-security-policy']).toContain("script-src 'self'; connect-src 'self'");
      expect((await alice.get('/2fa/session/status')).body).toMatchObject({ active: true, warningMs: 120_000, loginPath: '/login' });
    });

    it('a non-admin gets 403 and an anonymous visitor is sent to the login page', async () => {
      const page = await alice.get('/admin').set(HTML);
      expect(page.status).toBe(403);
      expect(page.text).toContain('Only account admins');
      const api = await alice.get('/admin/api/users');
      expect(api.status).toBe(403);
      expect(
        await alice
          .put('/admin/api/users/alice/2fa')
          .send({ enabled: false })
          .then((r) => r.status),
      ).toBe(403);
      const post = await alice.post('/admin/account/enforce').type('form').send({});
      expect(post.status).toBe(403);

      const anonymous = request.agent(example.app);
      const redirected = await anonymous.get('/admin').set(HTML);
      expect(redirected.status).toBe(303);
      expect(redirected.headers.location).toBe('/login?returnTo=%2Fadmin');
      expect((await anonymous.get('/admin/api/users')).status).toBe(401);

      // Half signed in (password only) is not an admin either.
      const pending = request.agent(example.app);
      expect(await signIn(pending, 'admin@acme.test')).toBe('/2fa');
      expect((await pending.get('/admin').set(HTML)).headers.location).toBe('/2fa');
      expect((await pending.get('/admin/api/users')).status).toBe(401);
    });

    it('logs every event as one JSON line without codes or full phone numbers', () => {
      const json = log.lines.filter((line) => line.startsWith('{'));
      expect(json.length).toBeGreaterThan(5);
      const codes = smtp.messages.map((m) => /^(\d{6}) /.exec(m.subject)?.[1]).filter(Boolean);
      expect(codes.length).toBeGreaterThan(3);
      for (const line of json) {
        expect(() => JSON.parse(line)).not.toThrow();
        expect(line).not.toContain('5550006');
        for (const code of codes) expect(line).not.toContain(`"${code}"`);
      }
      expect(events('challenge.issued').length).toBeGreaterThan(0);
    });
  });
});
