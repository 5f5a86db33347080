/**
 * `twoFactor.errorHandler` for the host's own routes: which errors are a store outage (the 503 "try
 * again" answer) and which are the host's to handle (`next(err)`: Express's 500). Every error here
 * is real: produced by a real ioredis client against a real redis-server that is live, refusing,
 * hung or killed, or by a real socket.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import type { Redis } from 'ioredis';
import request from 'supertest';
import { RedisStore } from '../../src/redis';
import { expectTryAgain, timed } from '../helpers/faults';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { createTestApp, EXPRESS_VERSIONS, type TestApp } from '../helpers/test-app';

const errors = new Map<string, unknown>();
let redis: TestRedis;

async function ready(client: Redis): Promise<Redis> {
  client.on('error', () => undefined);
  if (client.status !== 'ready') await once(client, 'ready');
  return client;
}
const rejection = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );

beforeAll(async () => {
  redis = await startRedis();
  const live = await ready(redis.client());
  await live.set('a-string', 'value');
  errors.set('a WRONGTYPE reply', await rejection(live.hget('a-string', 'field')));
  await live.acl('SETUSER', 'reader', 'on', '>reader-password', '~*', '+get', '+info');
  errors.set(
    'a NOPERM reply',
    await rejection((await ready(redis.client({ username: 'reader', password: 'reader-password' }))).set('k', 'v')),
  );
  await live.config('SET', 'maxmemory', '1');
  errors.set('an OOM reply (Redis full, noeviction)', await rejection(live.set('k', 'v'.repeat(1000))));
  await live.config('SET', 'maxmemory', '0');

  const closed = await ready(redis.client());
  closed.disconnect();
  errors.set('"Connection is closed."', await rejection(closed.get('k')));

  const timing = await ready(redis.client({ commandTimeout: 100 }));
  redis.pause();
  errors.set('"Command timed out" (Redis hung)', await rejection(timing.get('k')));
  redis.resume();

  const offline = await ready(redis.client({ enableOfflineQueue: false }));
  const retrying = await ready(redis.client({ maxRetriesPerRequest: 0 }));
  await redis.kill();
  errors.set('the offline-queue refusal (Redis killed)', await rejection(offline.get('k')));
  errors.set('MaxRetriesPerRequestError (Redis killed)', await rejection(retrying.get('k')));
  errors.set('ECONNREFUSED', await new Promise((resolve) => connect(redis.port, '127.0.0.1').once('error', resolve)));
  const downStore = new RedisStore({ client: retrying });
  const host = createTestApp({ smtpUrl: 'smtp://127.0.0.1:1', options: { store: downStore, storeTimeoutMs: 300 } });
  errors.set("a StoreUnavailableError (the library's own call)", await rejection(host.twoFactor.listDevices('u-alice')));
  errors.set(
    'an error caused by a timeout',
    new Error('could not load the session', { cause: errors.get('"Command timed out" (Redis hung)') }),
  );
  errors.set('a plain Error', new Error('boom'));
  errors.set('a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')"));
  errors.set('a thrown string', 'Connection is closed.');
  errors.set('an Error whose message merely mentions a timeout', new Error('Command timed out while rendering the report'));
  await host.twoFactor.close();
}, 20_000);
afterAll(() => redis.stop());

const OUTAGES = [
  '"Connection is closed."',
  '"Command timed out" (Redis hung)',
  'the offline-queue refusal (Redis killed)',
  'MaxRetriesPerRequestError (Redis killed)',
  'ECONNREFUSED',
  'an OOM reply (Redis full, noeviction)',
  "a StoreUnavailableError (the library's own call)",
  'an error caused by a timeout',
];
const NOT_OUTAGES = [
  'a WRONGTYPE reply',
  'a NOPERM reply',
  'a plain Error',
  'a TypeError',
  'a thrown string',
  'an Error whose message merely mentions a timeout',
];

describe.each(EXPRESS_VERSIONS)('%s: twoFactor.errorHandler', (_name, express) => {
  let host: TestApp;
  beforeAll(() => {
    // Host routes that fail the way a session store or the library fails.
    host = createTestApp({
      express,
      smtpUrl: 'smtp://127.0.0.1:1',
      hostRoutes: (app) => {
        app.get('/fails', (req, _res, next) => next(errors.get(String(req.query.error))));
        app.get('/fails-after-answering', (req, res, next) => {
          res.end('answered');
          next(errors.get(String(req.query.error)));
        });
      },
    });
  });
  afterAll(() => host.twoFactor.close());

  test.each(OUTAGES)('%s: the 503 "try again" page, and JSON for a JSON client', async (error) => {
    expect(errors.get(error)).toBeDefined();
    expectTryAgain(await timed(error, request(host.app).get('/fails').query({ error }).set('Accept', 'text/html')));
    expectTryAgain(await timed(`${error} (JSON)`, request(host.app).get('/fails').query({ error }).set('Accept', 'application/json')));
  });

  test.each(NOT_OUTAGES)('%s: passed on to next(err), so the host sees its bug (a 500)', async (error) => {
    expect(errors.get(error)).toBeDefined();
    const res = await request(host.app).get('/fails').query({ error }).set('Accept', 'text/html');
    expect(res.status).toBe(500);
    expect(res.text).not.toContain('try again');
  });

  test('an outage reported after the answer went out leaves that answer alone', async () => {
    const res = await request(host.app).get('/fails-after-answering').query({ error: 'the offline-queue refusal (Redis killed)' });
    expect(res.status).toBe(200);
    expect(res.text).toBe('answered');
  });
});
