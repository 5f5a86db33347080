import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import request from 'supertest';
import { deviceTwoFactor, MemoryStore, type DeviceTwoFactorOptions } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { isLoopbackAddress } from '../../src/http/local-client';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../helpers/test-app';

type Agent = ReturnType<typeof request.agent>;

/** Headers a browser on https://evil.test sends with a form post to the app. */
const CROSS_SITE = { Origin: 'https://evil.test', 'Sec-Fetch-Site': 'cross-site' };
/** Headers a browser on the app's own page sends (the test names the Host so the origin is known). */
const SAME_ORIGIN = { Host: 'app.example', Origin: 'http://app.example', 'Sec-Fetch-Site': 'same-origin' };

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

describe.each(EXPRESS_VERSIONS)('hardening on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let now: number;

  function build(options: Partial<DeviceTwoFactorOptions> = {}): TestApp {
    return createTestApp({ express: expressVersion, smtpUrl: smtp.url, options: { store, now: () => now, ...options } });
  }

  beforeEach(async () => {
    smtp.drain();
    now = Date.now();
    store = new MemoryStore();
    host = build();
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  /** Password step for alice in a fresh browser: the agent, the page's CSRF token and the emailed code. */
  async function pendingAlice(agent: Agent = request.agent(host.app)) {
    expect((await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' })).headers.location).toBe('/2fa');
    const code = await smtp.nextCode('alice@acme.test');
    return { agent, code, csrf: csrfFrom((await agent.get('/2fa')).text) };
  }

  async function verifiedAlice(): Promise<{ agent: Agent; csrf: string }> {
    const { agent, code, csrf } = await pendingAlice();
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf })).status).toBe(303);
    now += 31_000;
    return { agent, csrf: csrfFrom((await agent.get('/2fa/settings')).text) };
  }

  const stillPending = async (agent: Agent) => expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/2fa');
  const globexEnforced = async () => (await store.ensureAccountSettings('globex', { enforced: false, enforcedAt: null })).enforced;

  describe('item 6: admin writes are JSON only, whatever parsed the body', () => {
    test.each([
      [
        'a host urlencoded parser, a form post',
        (app: ReturnType<typeof expressVersion>) => app.use(expressVersion.urlencoded({ extended: false })),
        'application/x-www-form-urlencoded',
        'enabled=true',
      ],
      [
        'a host JSON parser for every type, a text/plain post',
        (app: ReturnType<typeof expressVersion>) => app.use(expressVersion.json({ type: () => true })),
        'text/plain',
        '{"enabled":true}',
      ],
    ])('behind %s: refused, nothing changes', async (_label, parser, type, body) => {
      const app = expressVersion();
      parser(app);
      app.use(host.app);
      const enforce = await request(app)
        .post('/admin/2fa/account/enforce')
        .set('x-admin-account', 'globex')
        .set('Content-Type', type)
        .send(body);
      expect(enforce.status).toBe(400);
      expect(enforce.type).toBe('application/json');
      expect(await globexEnforced()).toBe(false);
      const switchOn = await request(app)
        .put(`/admin/2fa/users/${TEST_USERS.dan!.id}/2fa`)
        .set('x-admin-account', 'globex')
        .set('Content-Type', type)
        .send(body);
      expect(switchOn.status).toBe(400);
      expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false);
      // The same host parser with JSON is fine.
      const json = await request(app)
        .post('/admin/2fa/account/enforce')
        .set('x-admin-account', 'globex')
        .set('Content-Type', 'application/json')
        .send('{}');
      expect(json.status).toBe(200);
    });
  });

  describe('item 6: Fetch Metadata and Origin on every state-changing route', () => {
    const admin = { 'x-admin-account': 'globex', 'Content-Type': 'application/json' };

    test.each([
      ['a foreign Origin', { Origin: 'https://evil.test' }],
      ['a sandboxed frame or cross-site redirect (Origin: null, cross-site)', { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' }],
      ['an unknown Sec-Fetch-Site value', { 'Sec-Fetch-Site': 'cross-origin' }],
      ['Sec-Fetch-Site: cross-site without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
      [
        'a sibling subdomain (same-site, foreign origin)',
        { Host: 'app.example', Origin: 'http://evil.app.example', 'Sec-Fetch-Site': 'same-site' },
      ],
      ['the right host on another scheme', { Host: 'app.example', Origin: 'https://app.example' }],
      [
        'a same-origin Origin that the browser calls cross-site',
        { Host: 'app.example', Origin: 'http://app.example', 'Sec-Fetch-Site': 'cross-site' },
      ],
    ])('admin API refuses %s with a JSON 403', async (_label, headers) => {
      const enforce = await request(host.app).post('/admin/2fa/account/enforce').set(admin).set(headers).send('{}');
      expect(enforce.status).toBe(403);
      expect(enforce.body).toMatchObject({ error: 'cross_site_request' });
      expect(await globexEnforced()).toBe(false);
      const revoke = await request(host.app).delete(`/admin/2fa/users/${TEST_USERS.dan!.id}/devices`).set(admin).set(headers);
      expect(revoke.status).toBe(403);
      // Reads stay open (the browser's CORS rules keep another site from reading the answer).
      expect((await request(host.app).get('/admin/2fa/users').set(admin).set(headers)).status).toBe(200);
    });

    test('admin API: same-origin browsers and clients without either header pass', async () => {
      expect(
        (await request(host.app).put(`/admin/2fa/users/${TEST_USERS.dan!.id}/2fa`).set(admin).set(SAME_ORIGIN).send({ enabled: true }))
          .status,
      ).toBe(200);
      expect((await request(host.app).post('/admin/2fa/account/enforce').set(admin).send({})).status).toBe(200);
    });

    test('the code step: a cross-site post with the right code and token is refused and signs nobody in', async () => {
      const { agent, code, csrf } = await pendingAlice();
      for (const headers of [
        { Origin: 'https://evil.test' },
        { 'Sec-Fetch-Site': 'cross-site' },
        { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
      ]) {
        const res = await agent.post('/2fa/verify').set(headers).type('form').send({ code, _csrf: csrf });
        expect(res.status).toBe(403);
        expect(res.type).toBe('text/html');
        await stillPending(agent);
      }
      // The code was never checked: the same browser, from its own page, still gets in with it.
      const own = await agent.post('/2fa/verify').set(SAME_ORIGIN).type('form').send({ code, _csrf: csrf });
      expect(own.status).toBe(303);
      expect(own.headers.location).toBe('/');
    });

    test.each([
      ['"Sec-Fetch-Site: none" (typed, bookmarked)', { 'Sec-Fetch-Site': 'none' }],
      [
        'the page’s own form under Referrer-Policy: no-referrer (Origin: null, same-origin)',
        { Host: 'app.example', Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
      ],
      ['Origin: null from a browser without Fetch Metadata', { Origin: 'null' }],
    ])('%s goes on to the CSRF check', async (_label, headers) => {
      const { agent, code, csrf } = await pendingAlice();
      const forged = await agent.post('/2fa/verify').set(headers).type('form').send({ code, _csrf: 'forged' });
      expect(forged.status).toBe(403);
      expect(forged.text).toContain('This form has expired');
      expect((await agent.post('/2fa/verify').set(headers).type('form').send({ code, _csrf: csrf })).status).toBe(303);
    });

    test('every form of the library refuses a cross-site post; settings change nothing', async () => {
      const { agent, csrf } = await verifiedAlice();
      const posts = ['/verify', '/recovery', '/resend', '/phone', '/phone/change', '/sign-out'].concat(
        [
          '/method',
          '/phone/start',
          '/verify',
          '/phone',
          '/resend',
          '/cancel',
          '/devices/revoke',
          '/devices/revoke-all',
          '/recovery-codes',
          '/enable',
          '/disable',
        ].map((p) => `/settings${p}`),
      );
      for (const path of posts) {
        const res = await agent.post(`/2fa${path}`).set(CROSS_SITE).type('form').send({ _csrf: csrf, method: 'email' });
        expect([path, res.status]).toEqual([path, 403]);
      }
      expect(await store.countRecoveryCodes(TEST_USERS.alice!.id)).toBe(0);
      // Still signed in: the cross-site sign-out did nothing.
      expect((await agent.get('/')).text).toContain('Signed in as alice@acme.test');
      // From the app's own page the same post goes through (to the re-authentication step).
      const own = await agent.post('/2fa/settings/recovery-codes').set(SAME_ORIGIN).type('form').send({ _csrf: csrf });
      expect([own.status, own.headers.location]).toEqual([303, '/2fa/settings']);
      expect((await agent.get('/2fa/settings')).text).toContain('confirm it’s you');
    });

    test('behind a TLS proxy the own origin follows `trust proxy` (X-Forwarded-Proto and -Host)', async () => {
      const proxied = {
        Host: 'internal:3000',
        'X-Forwarded-Proto': 'https',
        'X-Forwarded-Host': 'app.example',
        Origin: 'https://app.example',
      };
      const untrusted = await pendingAlice();
      expect(
        (await untrusted.agent.post('/2fa/verify').set(proxied).type('form').send({ code: untrusted.code, _csrf: untrusted.csrf })).status,
      ).toBe(403);
      host.app.set('trust proxy', true);
      expect(
        (await untrusted.agent.post('/2fa/verify').set(proxied).type('form').send({ code: untrusted.code, _csrf: untrusted.csrf })).status,
      ).toBe(303);
    });

    test('`trustedOrigins` admits another origin the app is served under', async () => {
      await host.twoFactor.close();
      host = build({ trustedOrigins: ['https://www.app.example'] });
      const { agent, code, csrf } = await pendingAlice();
      const other = await agent
        .post('/2fa/verify')
        .set({ Host: 'app.example', Origin: 'https://www.app.example', 'Sec-Fetch-Site': 'cross-site' })
        .type('form')
        .send({ code, _csrf: csrf });
      expect(other.status).toBe(303);
    });

    test('the host can put the same check on its own forms: `sameOriginOnly`', async () => {
      const app = expressVersion();
      app.post('/transfer', host.twoFactor.sameOriginOnly, (_req, res) => void res.send('done'));
      expect((await request(app).post('/transfer').set(CROSS_SITE)).status).toBe(403);
      expect((await request(app).post('/transfer').set(SAME_ORIGIN)).text).toBe('done');
      expect((await request(app).post('/transfer')).text).toBe('done');
    });
  });

  describe('item 15: a malformed path under the library is a 400, never a 500', () => {
    const admin = { 'x-admin-account': 'acme', 'Content-Type': 'application/json' };

    test.each([
      ['GET', '/admin/2fa/users/%'],
      ['GET', '/admin/2fa/users/%E0%A4%A/devices'],
      ['PUT', '/admin/2fa/users/%zz/2fa'],
      ['POST', '/admin/2fa/users/%/phone/reset'],
      ['DELETE', '/admin/2fa/users/u-alice/devices/%'],
    ])('admin API %s %s: JSON 400', async (method, path) => {
      const res = await request(host.app)
        [method.toLowerCase() as 'get'](path)
        .set(admin)
        .send(method === 'GET' || method === 'DELETE' ? undefined : '{"enabled":true}');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request' });
    });

    test.each([
      ['GET', '/2fa/%'],
      ['GET', '/2fa/settings%zz'],
      ['GET', '/2fa/settings/%E0%A4%A'],
      ['POST', '/2fa/%zz/verify'],
      ['POST', '/2fa/verify%'],
      ['HEAD', '/2fa/outbox%'],
    ])('library page %s %s: 400, anonymous and pending', async (method, path) => {
      const anonymous = await request(host.app)[method.toLowerCase() as 'get'](path);
      expect(anonymous.status).toBe(400);
      const { agent } = await pendingAlice();
      const pending = await agent[method.toLowerCase() as 'get'](path);
      expect(pending.status).toBe(400);
    });

    test('malformed query strings and cookies are no 500 either', async () => {
      const { agent } = await pendingAlice();
      expect((await agent.get('/2fa?x=%&y=%E0%A4%A')).status).toBe(200);
      const login = await request(host.app)
        .post('/login')
        .set('Cookie', 'device_2fa=%; connect.sid=%zz')
        .type('form')
        .send({ email: 'dan@globex.test', password: 'right' });
      expect(login.status).toBe(303);
    });
  });

  describe('item 8: the development outbox', () => {
    let server: Server | undefined;
    afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    /** Bob signs in; his SMS code lands in the outbox. Serves the app on every interface. */
    async function outboxWithBobsCode(): Promise<{ code: string; port: number }> {
      await host.twoFactor.close();
      host = build({ development: true });
      await store.updateUserSettings(TEST_USERS.bob!.id, { method: 'sms', phone: '+15005550006' }, DEFAULT_USER_SETTINGS);
      const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
      try {
        expect(
          (await request(host.app).post('/login').type('form').send({ email: 'bob@acme.test', password: 'right' })).headers.location,
        ).toBe('/2fa');
      } finally {
        log.mockRestore();
      }
      server = createServer(host.app);
      await new Promise<void>((resolve) => server!.listen(0, '0.0.0.0', resolve));
      const port = (server.address() as AddressInfo).port;
      const page = await request(`http://127.0.0.1:${port}`).get('/2fa/outbox');
      expect(page.status).toBe(200);
      const code = /<td class="code-cell">(\d{6})<\/td>/.exec(page.text)?.[1];
      expect(code).toBeDefined();
      return { code: code!, port };
    }

    test('another machine gets a 404 without the codes, even when it claims to be 127.0.0.1 through a trusted proxy header', async () => {
      const { code, port } = await outboxWithBobsCode();
      const remote = `http://${externalAddress()}:${port}`;
      const plain = await request(remote).get('/2fa/outbox');
      expect(plain.status).toBe(404);
      expect(plain.text).not.toContain(code);
      host.app.set('trust proxy', true);
      for (const header of [{ 'X-Forwarded-For': '127.0.0.1' }, { Forwarded: 'for=127.0.0.1' }, { 'X-Forwarded-For': '::1' }]) {
        const spoofed = await request(remote).get('/2fa/outbox').set(header);
        expect(spoofed.status).toBe(404);
        expect(spoofed.text).not.toContain(code);
      }
    });

    test('a request relayed by a proxy on this machine (a tunnel) is not a local client', async () => {
      const { code, port } = await outboxWithBobsCode();
      for (const header of [{ 'X-Forwarded-For': '203.0.113.9' }, { Forwarded: 'for=203.0.113.9' }, { 'X-Real-IP': '203.0.113.9' }]) {
        const relayed = await request(`http://127.0.0.1:${port}`).get('/2fa/outbox').set(header);
        expect(relayed.status).toBe(404);
        expect(relayed.text).not.toContain(code);
      }
    });
  });
});

describe('item 6: trustedOrigins is validated at start-up', () => {
  const base = { secret: TEST_SECRET, users: { find: async () => null }, development: true };
  test.each([['https://app.example/'], ['app.example'], ['null'], ['https://app.example/path'], [42]])('refuses %j', (origin) => {
    expect(() => deviceTwoFactor({ ...base, trustedOrigins: [origin as string] })).toThrow(/`trustedOrigins\[0\]` must be an origin/);
  });
  test('accepts origins as browsers write them', () => {
    expect(() => deviceTwoFactor({ ...base, trustedOrigins: ['https://www.app.example', 'http://localhost:3000'] })).not.toThrow();
  });
  test('refuses a non-array', () => {
    expect(() => deviceTwoFactor({ ...base, trustedOrigins: 'https://app.example' as unknown as string[] })).toThrow(
      /`trustedOrigins` must be an array/,
    );
  });
});

describe('item 8: loopback addresses', () => {
  test.each(['127.0.0.1', '127.255.0.9', '::1', '::ffff:127.0.0.1'])('%s is loopback', (address) =>
    expect(isLoopbackAddress(address)).toBe(true),
  );
  test.each(['192.0.2.2', '::ffff:192.0.2.2', '10.0.0.1', 'fd00::2', '::', '0.0.0.0', '::127.0.0.1', '127.0.0.1.evil', '', undefined])(
    '%j is not',
    (address) => expect(isLoopbackAddress(address)).toBe(false),
  );
});

describe('item 8: development mode in production is announced at start-up', () => {
  const previous = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = previous;
  });
  const options = (store: MemoryStore): DeviceTwoFactorOptions => ({
    secret: TEST_SECRET,
    users: { find: async () => null },
    development: true,
    store,
  });

  test('NODE_ENV=production with development on: one loud warning', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new MemoryStore();
    try {
      process.env.NODE_ENV = 'production';
      const twoFactor = deviceTwoFactor(options(store));
      const loud = warn.mock.calls.map((args) => String(args[0])).filter((line) => /development mode/i.test(line));
      expect(loud).toHaveLength(1);
      expect(loud[0]).toMatch(/NODE_ENV=production/);
      expect(loud[0]).toMatch(/outbox/);
      await twoFactor.close();
    } finally {
      warn.mockRestore();
      await store.close();
    }
  });

  test('development on outside production: no such warning', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const store = new MemoryStore();
    try {
      process.env.NODE_ENV = 'development';
      const twoFactor = deviceTwoFactor(options(store));
      expect(warn.mock.calls.filter((args) => /development mode/i.test(String(args[0])))).toHaveLength(0);
      await twoFactor.close();
    } finally {
      warn.mockRestore();
      await store.close();
    }
  });
});

/** An address of this machine that is not loopback, so a connection to it comes from a non-loopback address. */
function externalAddress(): string {
  const all = Object.values(networkInterfaces()).flat();
  const found = all.find((a) => a && !a.internal && a.family === 'IPv4');
  if (!found) throw new Error('This test needs a non-loopback IPv4 interface (none found).');
  return found.address;
}
