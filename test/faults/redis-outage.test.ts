/**
 * Issue #9, item 10: a real redis-server is killed (SIGKILL), hung (SIGSTOP) or made to hold its
 * writes (CLIENT PAUSE WRITE, as during a fail-over) while browsers are mid sign-in and signed in.
 * Every request must answer within `storeTimeoutMs` + 1 s, with the 503 "try again" page (JSON for
 * JSON clients) wherever it needs Redis: never a 500, never a pass. Then Redis comes back and the
 * same app works again without a restart.
 */
import { once } from 'node:events';
import { RedisStore as SessionRedisStore } from 'connect-redis';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { RedisStore } from '../../src/redis';
import {
  ANSWER_BOUND_MS,
  eventually,
  expectTryAgain,
  FAIL_FAST,
  outcomes,
  recordTimings,
  saveTimings,
  STORE_TIMEOUT_MS,
  timed,
  type TimedAnswer,
} from '../helpers/faults';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, sessionCookie, type TestApp } from '../helpers/test-app';

type Agent = ReturnType<typeof request.agent>;
const HTML = { Accept: 'text/html' };
const JSON_CLIENT = { Accept: 'application/json' };
const ignore = (): void => undefined;

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
  await saveTimings('faults-redis-outage.json');
});
beforeEach(() => smtp.drain());

/** The browsers a fault finds: alice waiting for her code (with it in hand), dan signed in (2FA off for him). */
interface Browsers {
  alice: { agent: Agent; csrf: string; code: string };
  dan: { agent: Agent; csrf: string };
}

async function browsers(host: TestApp): Promise<Browsers> {
  await host.twoFactor.enforceAccount('acme');
  const alice = request.agent(host.app);
  expect((await alice.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' })).headers.location).toBe('/2fa');
  const code = await smtp.nextCode('alice@acme.test');
  const csrf = csrfFrom((await alice.get('/2fa')).text);
  const dan = request.agent(host.app);
  expect((await dan.post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).headers.location).toBe('/');
  const settings = await dan.get('/2fa/settings');
  expect(settings.status).toBe(200);
  return { alice: { agent: alice, csrf, code }, dan: { agent: dan, csrf: csrfFrom(settings.text) } };
}

/** Every kind of request, all at once: the library's page and forms, the password step, the host's own routes, JSON clients. */
function everyRequest(host: TestApp, { alice, dan }: Browsers): Promise<TimedAnswer[]> {
  const codeForm = { code: alice.code, _csrf: alice.csrf, trust: '1' };
  return Promise.all([
    timed('GET /2fa', alice.agent.get('/2fa').set(HTML)),
    timed('POST /2fa/verify', alice.agent.post('/2fa/verify').set(HTML).type('form').send(codeForm)),
    timed('POST /2fa/verify (JSON client)', alice.agent.post('/2fa/verify').set(JSON_CLIENT).type('form').send(codeForm)),
    timed('POST /2fa/resend', alice.agent.post('/2fa/resend').set(HTML).type('form').send({ _csrf: alice.csrf })),
    timed(
      'POST /2fa/recovery',
      alice.agent.post('/2fa/recovery').set(HTML).type('form').send({ recoveryCode: 'abcde-fghjk', _csrf: alice.csrf }),
    ),
    timed('POST /2fa/sign-out', alice.agent.post('/2fa/sign-out').set(HTML).type('form').send({ _csrf: alice.csrf })),
    timed(
      'POST /login (2FA on)',
      request(host.app).post('/login').set(HTML).type('form').send({ email: 'alice@acme.test', password: 'right' }),
    ),
    timed(
      'POST /login (2FA off)',
      request(host.app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'right' }),
    ),
    timed('GET / (host route, signed in)', dan.agent.get('/').set(HTML)),
    timed('GET / (host route, JSON client)', dan.agent.get('/').set(JSON_CLIENT)),
    timed('GET /2fa/settings', dan.agent.get('/2fa/settings').set(HTML)),
    timed(
      'POST /2fa/settings/recovery-codes',
      dan.agent.post('/2fa/settings/recovery-codes').set(HTML).type('form').send({ _csrf: dan.csrf }),
    ),
  ]);
}

/** A client that is connected (the app is up when the fault strikes), with its error events expected. */
async function connected(client: Redis): Promise<Redis> {
  client.on('error', ignore);
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}

/** Nobody got in while Redis was away: alice is still not signed in (pending or signed out). */
async function expectAliceNotSignedIn(alice: Agent): Promise<void> {
  const home = await alice.get('/').set(HTML);
  expect(home.text).not.toContain('Signed in as');
}

describe.each(EXPRESS_VERSIONS)('%s', (name, express) => {
  let redis: TestRedis;
  afterEach(async () => {
    await redis?.stop();
  });

  describe('one Redis for sessions and 2FA, wired as the README says (fail-fast ioredis options)', () => {
    async function readmeWiring(): Promise<TestApp> {
      const client = await connected(redis.client(FAIL_FAST));
      const host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: { store: new RedisStore({ client }), storeTimeoutMs: STORE_TIMEOUT_MS },
        sessionStore: new SessionRedisStore({ client }),
      });
      await host.twoFactor.ready;
      return host;
    }

    test('Redis killed: every request answers 503 within the bound; restarted: the same app works again', async () => {
      redis = await startRedis();
      const host = await readmeWiring();
      const b = await browsers(host);
      const before = await timed('GET / (host route, signed in)', b.dan.agent.get('/').set(HTML));
      expect(before.status).toBe(200);

      await redis.kill();
      const during = await everyRequest(host, b);
      recordTimings(`${name}, one Redis, killed`, during);
      expect(outcomes(during)).toEqual(during.map(({ label }) => ({ label, status: 503, withinBound: true })));
      during.forEach(expectTryAgain);

      await redis.restart();
      // The killed Redis saved nothing: sessions are gone, so everyone signs in again, and can.
      await eventually(
        10_000,
        async () =>
          (await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).status === 303,
      );
      await host.twoFactor.enforceAccount('acme');
      const after = await timed(
        'POST /login (2FA on)',
        request(host.app).post('/login').set(HTML).type('form').send({ email: 'alice@acme.test', password: 'right' }),
      );
      expect(after.res?.headers.location).toBe('/2fa');
      recordTimings(`${name}, one Redis, before and after a kill`, [
        { ...before, label: 'before: GET /' },
        { ...after, label: 'after restart: POST /login' },
      ]);
      await expectAliceNotSignedIn(b.alice.agent);
      await host.twoFactor.close();
    });

    test('Redis hung (SIGSTOP): every request answers 503 within the bound; resumed: the same browsers carry on', async () => {
      redis = await startRedis();
      const host = await readmeWiring();
      const b = await browsers(host);
      const before = await timed('GET /2fa', b.alice.agent.get('/2fa').set(HTML));
      expect(before.status).toBe(200);

      redis.pause();
      let during: TimedAnswer[];
      try {
        during = await everyRequest(host, b);
      } finally {
        redis.resume();
      }
      recordTimings(`${name}, one Redis, hung`, during);
      expect(outcomes(during)).toEqual(during.map(({ label }) => ({ label, status: 503, withinBound: true })));
      during.forEach(expectTryAgain);

      // Nothing was lost and nothing half-done was kept: dan is still signed in, alice can still verify.
      await eventually(5_000, async () => (await b.dan.agent.get('/').set(HTML)).status === 200);
      const after = await timed('GET /2fa', b.alice.agent.get('/2fa').set(HTML));
      expect(after.status).toBe(200);
      const verified = await b.alice.agent.post('/2fa/verify').type('form').send({ code: b.alice.code, _csrf: b.alice.csrf });
      expect(verified.headers.location).toBe('/');
      expect((await b.alice.agent.get('/')).text).toBe('Signed in as alice@acme.test');
      recordTimings(`${name}, one Redis, before and after a hang`, [
        { ...before, label: 'before: GET /2fa' },
        { ...after, label: 'after resume: GET /2fa' },
      ]);
      await host.twoFactor.close();
    });
  });

  describe("sessions elsewhere; the library's Redis on ioredis defaults (only the library's own bound holds)", () => {
    async function libraryOnRedis(): Promise<TestApp> {
      // The README's old wiring: no commandTimeout, 20 retries per request, an offline queue.
      const client = await connected(redis.client());
      const host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: { store: new RedisStore({ client }), storeTimeoutMs: STORE_TIMEOUT_MS },
      });
      await host.twoFactor.ready;
      return host;
    }

    /** What needs no store answers as usual; everything else is the 503. */
    const expected = (label: string): number => (label === 'GET /2fa' ? 200 : label.startsWith('GET / ') ? 200 : 503);

    test.each([
      ['killed', (server: TestRedis) => server.kill(), (server: TestRedis) => server.restart()],
      ['hung (SIGSTOP)', (server: TestRedis) => server.pause(), (server: TestRedis) => server.resume()],
    ])('Redis %s: the library answers within the bound, never a 500 or a pass', async (fault, breakIt, mendIt) => {
      redis = await startRedis();
      const host = await libraryOnRedis();
      const b = await browsers(host);

      await breakIt(redis);
      let during: TimedAnswer[];
      try {
        during = await everyRequest(host, b);
      } finally {
        await mendIt(redis);
      }
      recordTimings(`${name}, library's Redis only, ${fault}`, during);
      expect(outcomes(during)).toEqual(during.map(({ label }) => ({ label, status: expected(label), withinBound: true })));
      during.filter(({ status }) => status === 503).forEach(expectTryAgain);
      await expectAliceNotSignedIn(b.alice.agent);

      // Back: a new sign-in goes through to the code step.
      await eventually(
        10_000,
        async () =>
          (await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' })).status === 303,
      );
      await host.twoFactor.close();
    });
  });

  describe('session writes hang or fail: session.regenerate and save are bounded, and a failure is the 503', () => {
    let admin: Redis;
    let twoFactorRedis: TestRedis;
    beforeEach(async () => {
      [redis, twoFactorRedis] = await Promise.all([startRedis(), startRedis()]);
      admin = redis.client();
      await admin.acl('SETUSER', 'sessions', 'on', '>sessions-password', '~*', '&*', '+@all');
    });
    afterEach(async () => {
      await twoFactorRedis?.stop();
    });

    /**
     * One host per request, each with its own session connection (ioredis defaults: no command
     * timeout), so a write held on one connection does not hold the others' session reads. The
     * library's state is on another Redis, shared by all of them. (A request that changes nothing
     * in the session still waits for express-session's touch: that one is bounded by the session
     * client's own commandTimeout, as its reads are.)
     */
    async function hostWithOwnSessionConnection(): Promise<TestApp> {
      const sessions = await connected(redis.client({ username: 'sessions', password: 'sessions-password' }));
      const host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: {
          store: new RedisStore({ client: await connected(twoFactorRedis.client(FAIL_FAST)) }),
          storeTimeoutMs: STORE_TIMEOUT_MS,
          // A resend sends a new code at once, so the page has news to store in the session.
          sendQuota: [{ windowMs: 1000, max: 100 }],
          resendWaitMs: 0,
        },
        sessionStore: new SessionRedisStore({ client: sessions }),
      });
      await host.twoFactor.ready;
      return host;
    }

    /** A browser at the code step in its own host (acme enforces 2FA), with the page's token. */
    async function pendingIn(host: TestApp, email: string) {
      const agent = request.agent(host.app);
      expect((await agent.post('/login').type('form').send({ email, password: 'right' })).headers.location).toBe('/2fa');
      return { agent, csrf: csrfFrom((await agent.get('/2fa')).text) };
    }

    test('writes held (CLIENT PAUSE WRITE): password step, code, resend and sign-out answer 503 within the bound', async () => {
      const hosts = await Promise.all(Array.from({ length: 4 }, () => hostWithOwnSessionConnection()));
      await hosts[0]!.twoFactor.enforceAccount('acme');
      const verifying = { ...(await pendingIn(hosts[1]!, 'alice@acme.test')), code: await smtp.nextCode('alice@acme.test') };
      // bob's, so that cancelling his sign-in cannot cancel alice's code.
      const resending = await pendingIn(hosts[2]!, 'bob@acme.test');
      const signingOut = await pendingIn(hosts[3]!, 'bob@acme.test');

      await admin.client('PAUSE', String(ANSWER_BOUND_MS * 2), 'WRITE');
      let during: TimedAnswer[];
      try {
        during = await Promise.all([
          timed(
            'POST /login (2FA off: regenerate)',
            request(hosts[0]!.app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'right' }),
          ),
          timed(
            'POST /2fa/verify (regenerate)',
            verifying.agent.post('/2fa/verify').set(HTML).type('form').send({ code: verifying.code, _csrf: verifying.csrf }),
          ),
          timed(
            'POST /2fa/resend (save)',
            resending.agent.post('/2fa/resend').set(HTML).type('form').send({ _csrf: resending.csrf, method: 'email' }),
          ),
          timed(
            'POST /2fa/sign-out (regenerate)',
            signingOut.agent.post('/2fa/sign-out').set(HTML).type('form').send({ _csrf: signingOut.csrf }),
          ),
        ]);
      } finally {
        await admin.client('UNPAUSE');
      }
      recordTimings(`${name}, session writes held`, during);
      expect(outcomes(during)).toEqual(during.map(({ label }) => ({ label, status: 503, withinBound: true })));
      during.forEach(expectTryAgain);
      // A 503 sets no cookie: the browser keeps the session it had.
      for (const answer of during) expect(sessionCookie(answer.res?.headers['set-cookie'])).toBeUndefined();
      await expectAliceNotSignedIn(verifying.agent);
      for (const host of hosts) await host.twoFactor.close();
    });

    test.each([
      ['destroying the old session fails (regenerate)', '-del'],
      ['saving the new session fails', '-set'],
    ])('%s: 503 within the bound, not a 500 and not a sign-in that was never saved', async (_case, rule) => {
      const host = await hostWithOwnSessionConnection();
      await admin.acl('SETUSER', 'sessions', rule);
      const answer = await timed(
        `POST /login (2FA off, session user ${rule})`,
        request(host.app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'right' }),
      );
      recordTimings(`${name}, session write refused`, [answer]);
      expect(outcomes([answer])).toEqual([{ label: answer.label, status: 503, withinBound: true }]);
      expectTryAgain(answer);
      expect(sessionCookie(answer.res?.headers['set-cookie'])).toBeUndefined();
      await host.twoFactor.close();
    });
  });
});
