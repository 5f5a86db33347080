import request from 'supertest';
import { MemoryStore } from '../../src';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

type Agent = ReturnType<typeof request.agent>;

describe.each(EXPRESS_VERSIONS)('attacks on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let now: number;

  beforeEach(async () => {
    smtp.drain();
    now = Date.now();
    store = new MemoryStore();
    host = createTestApp({ express: expressVersion, smtpUrl: smtp.url, options: { store, now: () => now } });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  /** Password step for `email` in a fresh browser; returns the agent, the page's CSRF token and the emailed code. */
  async function pending(email: string, agent: Agent = request.agent(host.app)) {
    const login = await agent.post('/login').type('form').send({ email, password: 'right' });
    expect(login.headers.location).toBe('/2fa');
    const code = await smtp.nextCode(email);
    const csrf = csrfFrom((await agent.get('/2fa')).text);
    return { agent, csrf, code };
  }

  function wrongCodeFor(code: string): string {
    return code === '000000' ? '111111' : '000000';
  }

  test('six wrong codes, then the right one still fails', async () => {
    const { agent, csrf, code } = await pending('alice@acme.test');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (
          await agent
            .post('/2fa/verify')
            .type('form')
            .send({ code: wrongCodeFor(code), _csrf: csrf })
        ).status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 429, 429]);
    const right = await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf });
    expect(right.status).toBe(429);
    expect(right.text).toContain('Too many failed attempts');
    expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/2fa');
  });

  test('a new session does not reset the per-user failure count', async () => {
    const first = await pending('alice@acme.test');
    for (let i = 0; i < 3; i++)
      await first.agent
        .post('/2fa/verify')
        .type('form')
        .send({ code: wrongCodeFor(first.code), _csrf: first.csrf });

    // A second browser: the login is throttled (no new code), the count carries on.
    const secondAgent = request.agent(host.app);
    await secondAgent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const csrf = csrfFrom((await secondAgent.get('/2fa')).text);
    expect(
      (
        await secondAgent
          .post('/2fa/verify')
          .type('form')
          .send({ code: wrongCodeFor(first.code), _csrf: csrf })
      ).status,
    ).toBe(400);
    expect(
      (
        await secondAgent
          .post('/2fa/verify')
          .type('form')
          .send({ code: wrongCodeFor(first.code), _csrf: csrf })
      ).status,
    ).toBe(429);
    expect((await secondAgent.post('/2fa/verify').type('form').send({ code: first.code, _csrf: csrf })).status).toBe(429);
    expect((await store.getFailureState(TEST_USERS.alice!.id, now)).failures).toBe(6);
  });

  test('the lock-out grows and only a success clears the count', async () => {
    const { agent, csrf, code } = await pending('alice@acme.test');
    for (let i = 0; i < 5; i++)
      await agent
        .post('/2fa/verify')
        .type('form')
        .send({ code: wrongCodeFor(code), _csrf: csrf });
    const firstLock = (await store.getFailureState(TEST_USERS.alice!.id, now)).lockedForMs;
    expect(firstLock).toBe(60_000);
    now += firstLock;
    // The burnt challenge is gone: a wrong guess after the lock counts and doubles the lock.
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf })).status).toBe(429);
    expect((await store.getFailureState(TEST_USERS.alice!.id, now)).lockedForMs).toBe(120_000);
    now += 120_000;
    expect((await agent.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    const fresh = await smtp.nextCode('alice@acme.test');
    expect((await agent.post('/2fa/verify').type('form').send({ code: fresh, _csrf: csrf })).status).toBe(303);
    expect(await store.getFailureState(TEST_USERS.alice!.id, now)).toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
  });

  test('20 wrong guesses in parallel are all counted', async () => {
    const { agent, csrf, code } = await pending('alice@acme.test');
    const guesses = Array.from({ length: 20 }, () =>
      agent
        .post('/2fa/verify')
        .type('form')
        .send({ code: wrongCodeFor(code), _csrf: csrf }),
    );
    const statuses = (await Promise.all(guesses)).map((r) => r.status);
    expect(statuses.every((s) => s === 400 || s === 429)).toBe(true);
    expect((await store.getFailureState(TEST_USERS.alice!.id, now)).failures).toBe(20);
  });

  test('the same valid code submitted from two sessions at once signs in only one', async () => {
    const first = await pending('alice@acme.test');
    const secondAgent = request.agent(host.app);
    await secondAgent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const secondCsrf = csrfFrom((await secondAgent.get('/2fa')).text);
    const [a, b] = await Promise.all([
      first.agent.post('/2fa/verify').type('form').send({ code: first.code, _csrf: first.csrf }),
      secondAgent.post('/2fa/verify').type('form').send({ code: first.code, _csrf: secondCsrf }),
    ]);
    expect([a.status, b.status].sort()).toEqual([303, 400]);
  });

  test('a used code cannot be used again', async () => {
    const { agent, csrf, code } = await pending('alice@acme.test');
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf })).status).toBe(303);
    now += 31_000;
    const again = await pending('alice@acme.test');
    expect((await again.agent.post('/2fa/verify').type('form').send({ code, _csrf: again.csrf })).status).toBe(400);
  });

  test("a code from another user's challenge does not work", async () => {
    const alice = await pending('alice@acme.test');
    const bob = await pending('bob@acme.test');
    const aliceCodeForBob = alice.code === bob.code ? wrongCodeFor(bob.code) : alice.code;
    expect((await bob.agent.post('/2fa/verify').type('form').send({ code: aliceCodeForBob, _csrf: bob.csrf })).status).toBe(400);
  });

  test('a missing or forged CSRF token is refused and does not count as an attempt', async () => {
    const { agent, code } = await pending('alice@acme.test');
    expect((await agent.post('/2fa/verify').type('form').send({ code })).status).toBe(403);
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: 'forged' })).status).toBe(403);
    expect((await agent.post('/2fa/resend').type('form').send({ _csrf: '' })).status).toBe(403);
    // A token from another session is just as forged.
    const other = await pending('bob@acme.test');
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: other.csrf })).status).toBe(403);
    expect((await store.getFailureState(TEST_USERS.alice!.id, now)).failures).toBe(0);
  });

  test.each(['https://evil.test/', '//evil.test', '/\\evil.test', '/\t/evil.test', 'javascript:alert(1)', '\\\\evil.test'])(
    'returnTo %j is not followed',
    async (returnTo) => {
      const agent = request.agent(host.app);
      await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right', returnTo });
      const code = await smtp.nextCode('alice@acme.test');
      const csrf = csrfFrom((await agent.get('/2fa')).text);
      const done = await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/');
    },
  );

  describe('trusted-device cookies', () => {
    /** Alice verifies with "trust this browser" and the device cookie is returned. */
    async function aliceTrustedCookie(): Promise<string> {
      const { agent, csrf, code } = await pending('alice@acme.test');
      const done = await agent.post('/2fa/verify').type('form').send({ code, trust: '1', _csrf: csrf });
      const cookie = ([] as string[]).concat(done.headers['set-cookie'] ?? []).find((c) => c.startsWith('device_2fa='));
      if (!cookie) throw new Error('no device cookie');
      now += 31_000; // past the resend throttle for the next sign-in
      return cookie.split(';')[0]!;
    }

    async function signInWithCookie(email: string, cookie: string) {
      return request(host.app).post('/login').set('Cookie', cookie).type('form').send({ email, password: 'right' });
    }

    test('a trusted cookie skips the code for its own user only', async () => {
      const cookie = await aliceTrustedCookie();
      expect((await signInWithCookie('alice@acme.test', cookie)).headers.location).toBe('/');
      expect((await signInWithCookie('bob@acme.test', cookie)).headers.location).toBe('/2fa');
    });

    test('an expired device does not skip the code, whatever the cookie says', async () => {
      const cookie = await aliceTrustedCookie();
      now += 30 * 24 * 60 * 60 * 1000;
      expect((await signInWithCookie('alice@acme.test', cookie)).headers.location).toBe('/2fa');
    });

    test('a revoked device does not skip the code', async () => {
      const cookie = await aliceTrustedCookie();
      const [device] = await host.twoFactor.listDevices(TEST_USERS.alice!.id);
      expect(await host.twoFactor.revokeDevice(TEST_USERS.alice!.id, device!.id)).toBe(true);
      expect((await signInWithCookie('alice@acme.test', cookie)).headers.location).toBe('/2fa');
    });

    test('revoking all devices (on a password change) makes every browser ask again', async () => {
      const cookie = await aliceTrustedCookie();
      expect(await host.twoFactor.revokeAllDevices(TEST_USERS.alice!.id)).toBe(1);
      expect((await signInWithCookie('alice@acme.test', cookie)).headers.location).toBe('/2fa');
    });

    test('a forged token with the right shape does not skip the code', async () => {
      const cookie = await aliceTrustedCookie();
      const [tag, id, secret] = cookie.slice('device_2fa='.length).split('.');
      const forgedSecret = `${secret!.slice(0, -2)}${secret!.endsWith('AA') ? 'BB' : 'AA'}`;
      expect((await signInWithCookie('alice@acme.test', `device_2fa=${tag}.${id}.${forgedSecret}`)).headers.location).toBe('/2fa');
      expect((await signInWithCookie('alice@acme.test', `device_2fa=garbage~%00~${'x'.repeat(5000)}`)).headers.location).toBe('/2fa');
    });

    test('several users share one browser', async () => {
      const aliceCookie = await aliceTrustedCookie();
      const agent = request.agent(host.app);
      const login = await agent.post('/login').set('Cookie', aliceCookie).type('form').send({ email: 'bob@acme.test', password: 'right' });
      expect(login.headers.location).toBe('/2fa');
      const code = await smtp.nextCode('bob@acme.test');
      const csrf = csrfFrom((await agent.get('/2fa').set('Cookie', aliceCookie)).text);
      const done = await agent.post('/2fa/verify').set('Cookie', aliceCookie).type('form').send({ code, trust: '1', _csrf: csrf });
      const both = ([] as string[])
        .concat(done.headers['set-cookie'] ?? [])
        .find((c) => c.startsWith('device_2fa='))!
        .split(';')[0]!;
      expect(both.split('~')).toHaveLength(2);
      now += 31_000;
      expect((await signInWithCookie('alice@acme.test', both)).headers.location).toBe('/');
      expect((await signInWithCookie('bob@acme.test', both)).headers.location).toBe('/');
    });
  });

  describe('malformed input gets a 4xx, never a 500, and never counts as an attempt', () => {
    test.each([
      ['a 100 kB code', { code: '1'.repeat(100_000) }, 413],
      ['unicode digits', { code: '١٢٣٤٥٦' }, 400],
      ['full-width digits', { code: '１２３４５６' }, 400],
      ['letters', { code: 'abcdef' }, 400],
      ['too short', { code: '123' }, 400],
      ['empty', { code: '' }, 400],
    ])('%s', async (_label, fields, status) => {
      const { agent, csrf } = await pending('alice@acme.test');
      const response = await agent
        .post('/2fa/verify')
        .type('form')
        .send({ ...fields, _csrf: csrf });
      expect(response.status).toBe(status);
      expect((await store.getFailureState(TEST_USERS.alice!.id, now)).failures).toBe(0);
    });

    test('a repeated field (array) is refused', async () => {
      const { agent, csrf } = await pending('alice@acme.test');
      const response = await agent
        .post('/2fa/verify')
        .type('form')
        .send(`code=123456&code=654321&_csrf=${encodeURIComponent(csrf)}`);
      expect(response.status).toBe(400);
    });

    test('a JSON body is refused with 415', async () => {
      const { agent, csrf } = await pending('alice@acme.test');
      const response = await agent
        .post('/2fa/verify')
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ code: ['1'], _csrf: csrf }));
      expect(response.status).toBe(415);
    });

    test('an unknown route or method under the mount path is a 404/405 page', async () => {
      const { agent } = await pending('alice@acme.test');
      expect((await agent.get('/2fa/verify')).status).toBe(405);
      expect((await agent.get('/2fa/nope')).status).toBe(404);
    });
  });

  test('behind a host JSON parser, arrays and broken JSON are 4xx too', async () => {
    const app = expressVersion();
    app.use(expressVersion.json());
    app.use(host.app);
    const agent = request.agent(app);
    const { csrf } = await pending('alice@acme.test', agent);
    const arrays = await agent.post('/2fa/verify').send({ code: ['123456'], _csrf: csrf });
    expect(arrays.status).toBe(400);
    const broken = await agent.post('/2fa/verify').set('Content-Type', 'application/json').send('{"code": "12');
    expect(broken.status).toBe(400);
  });
});
