/**
 * Issue #9, items 12 and 14: Redis is down (killed) or hung (SIGSTOP) while the app starts. The step
 * answers 503 at once meanwhile, and once the same redis-server is back the same app works, without
 * a restart. Only a refused configuration (an evicting policy) stays refused. And a Redis that keeps
 * durable state without persistence is reported at start-up.
 */
import { once } from 'node:events';
import type { Redis, RedisOptions } from 'ioredis';
import request from 'supertest';
import type { DeviceTwoFactor, TwoFactorEvent } from '../../src';
import { RedisStore } from '../../src/redis';
import { eventually, expectTryAgain, FAIL_FAST, outcomes, recordTimings, saveTimings, STORE_TIMEOUT_MS, timed } from '../helpers/faults';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, EXPRESS_VERSIONS, type TestApp } from '../helpers/test-app';

const HTML = { Accept: 'text/html' };

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
  await saveTimings('faults-redis-start-up.json');
});

/** The library's console lines (expected here), kept out of the test output. */
let warned: jest.SpyInstance;
let errored: jest.SpyInstance;
beforeEach(() => {
  warned = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  errored = jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  warned.mockRestore();
  errored.mockRestore();
});

const settled = (promise: Promise<unknown>): Promise<string> =>
  Promise.race([
    promise.then(
      () => 'resolved',
      (error: Error) => `rejected: ${error.message}`,
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 50)),
  ]);

function client(redis: TestRedis, options: RedisOptions = FAIL_FAST): Redis {
  const connection = redis.client(options);
  connection.on('error', () => undefined);
  return connection;
}

/** How many times the store's start-up check (CONFIG GET) reached this Redis. */
async function checks(redis: TestRedis): Promise<number> {
  const stats = await client(redis, {}).info('commandstats');
  return Number(/cmdstat_config\|get:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}

describe.each(EXPRESS_VERSIONS)('%s: Redis down or hung at start-up', (name, express) => {
  let redis: TestRedis;
  let host: TestApp | undefined;
  afterEach(async () => {
    await host?.twoFactor.close();
    host = undefined;
    await redis?.stop();
  });

  const signIn = (app: TestApp['app']) =>
    request(app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'right' });

  test.each([
    ['down (killed; fail-fast client)', FAIL_FAST, (server: TestRedis) => server.kill(), (server: TestRedis) => server.restart()],
    ['hung (SIGSTOP; ioredis defaults)', {}, async (server: TestRedis) => server.pause(), async (server: TestRedis) => server.resume()],
  ])(
    'Redis %s as the app starts: 503 at once meanwhile, then the same app works once Redis is back',
    async (fault, options, breakIt, mendIt) => {
      redis = await startRedis();
      const connection = client(redis, options);
      await once(connection, 'ready');
      await breakIt(redis);
      host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: { store: new RedisStore({ client: connection }), storeTimeoutMs: STORE_TIMEOUT_MS },
      });

      const during = await Promise.all([
        timed('POST /login', signIn(host.app)),
        timed('GET /2fa', request(host.app).get('/2fa').set(HTML)),
      ]);
      recordTimings(`${name}, Redis ${fault} at start-up`, during);
      expect(outcomes(during)).toEqual(during.map(({ label }) => ({ label, status: 503, withinBound: true })));
      during.forEach(expectTryAgain);
      // The host's own routes that need no 2FA state are not held hostage by it.
      expect((await request(host.app).get('/api/me').set('Authorization', 'Bearer test-token')).status).toBe(200);
      expect(await settled(host.twoFactor.ready)).toBe('pending');
      // It says so once it has kept failing a moment.
      await eventually(5_000, async () => warned.mock.calls.length > 0);

      await mendIt(redis);
      const recovered = await eventually(15_000, async () => (await signIn(host!.app)).status === 303);
      await expect(host.twoFactor.ready).resolves.toBeUndefined();
      recordTimings(`${name}, Redis ${fault} at start-up`, [
        { label: 'until a sign-in works after Redis is back', status: 303, ms: recovered, res: undefined },
      ]);
      // One warning while it waited, one once it could go on.
      expect(warned.mock.calls.flat()).toEqual([
        expect.stringMatching(/store is not reachable.*retrying.*503/s),
        expect.stringMatching(/store answers now.*the step is open/),
      ]);
    },
    30_000,
  );

  test('a refused configuration stays refused, with its message, and is not retried', async () => {
    redis = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
    host = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: { store: new RedisStore({ client: client(redis, {}) }), storeTimeoutMs: STORE_TIMEOUT_MS },
    });
    await expect(host.twoFactor.ready).rejects.toThrow(/maxmemory-policy allkeys-lru.*noeviction/s);
    expect(errored).toHaveBeenCalledWith(expect.stringContaining('the store is not usable'));
    const calls = await checks(redis);
    expect(calls).toBe(1);

    // Even once Redis would be acceptable: a refusal is for the operator to fix and restart.
    await client(redis, {}).config('SET', 'maxmemory-policy', 'noeviction');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answer = await timed('POST /login (refused store)', signIn(host.app));
    expect(outcomes([answer])).toEqual([{ label: answer.label, status: 503, withinBound: true }]);
    expect(await checks(redis)).toBe(calls);
  });

  test('close() stops the retries', async () => {
    redis = await startRedis();
    await redis.kill();
    const twoFactor: DeviceTwoFactor = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: { store: new RedisStore({ client: client(redis) }), storeTimeoutMs: STORE_TIMEOUT_MS },
    }).twoFactor;
    await twoFactor.close();
    await redis.restart();
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await checks(redis)).toBe(0);
    expect(await settled(twoFactor.ready)).toBe('pending');
  });
});

describe('a Redis that keeps durable state without persistence (item 14)', () => {
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  async function startWith(args: string[]): Promise<TwoFactorEvent[]> {
    redis = await startRedis(args);
    const events: TwoFactorEvent[] = [];
    const host = createTestApp({
      smtpUrl: smtp.url,
      options: { store: new RedisStore({ client: client(redis, {}) }), onEvent: (event) => void events.push(event) },
    });
    await host.twoFactor.ready;
    await host.twoFactor.close();
    return events;
  }

  test('neither AOF nor RDB saving: a warning and a store.not-persistent event at start-up', async () => {
    const events = await startWith(['--save', '', '--appendonly', 'no']);
    expect(events).toEqual([
      { type: 'store.not-persistent', at: expect.any(Number), detail: expect.stringMatching(/appendonly no.*save ""/) },
    ]);
    expect(warned).toHaveBeenCalledWith(expect.stringMatching(/neither AOF nor RDB.*restart.*switches two-factor off.*appendonly yes/s));
  });

  test.each([
    ['AOF', ['--save', '', '--appendonly', 'yes']],
    ['RDB snapshots', ['--save', '900 1', '--appendonly', 'no']],
  ])('%s: no warning, no event', async (_kind, args) => {
    expect(await startWith(args)).toEqual([]);
    expect(warned).not.toHaveBeenCalled();
  });
});
