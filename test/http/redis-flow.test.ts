import { RedisStore as SessionRedisStore } from 'connect-redis';
import request from 'supertest';
import { RedisStore } from '../../src/redis';
import { scanKeys, startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, TEST_USERS } from '../helpers/test-app';

let smtp: TestSmtpServer;
let redis: TestRedis;
beforeAll(async () => {
  smtp = await startSmtpServer();
  redis = await startRedis();
});
afterAll(async () => {
  await smtp.stop();
  await redis.stop();
});
beforeEach(() => smtp.drain());

const keys = (pattern: string) => scanKeys(redis.client(), pattern);

test('the whole flow on Redis: sessions through connect-redis, challenges, devices and settings through RedisStore', async () => {
  const client = redis.client();
  const prefix = `flow${Date.now()}:`;
  const host = createTestApp({
    smtpUrl: smtp.url,
    options: { store: new RedisStore({ client, prefix }) },
    sessionStore: new SessionRedisStore({ client, prefix: `${prefix}sess:` }),
  });
  await host.twoFactor.ready;
  await host.twoFactor.enforceAccount('acme');

  const agent = request.agent(host.app);
  const login = await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
  expect(login.headers.location).toBe('/2fa');
  const sessionKeys = await keys(`${prefix}sess:*`);
  expect(sessionKeys).toHaveLength(1);
  expect(await client.get(sessionKeys[0]!)).toContain('"status":"pending"');
  // Everything of one user sits under one hash tag; the code itself is nowhere in Redis.
  const code = await smtp.nextCode('alice@acme.test');
  const userKeys = await keys(`${prefix}{u:u-alice}*`);
  expect(userKeys.length).toBeGreaterThan(0);
  for (const key of userKeys) {
    const type = await client.type(key);
    const dump = JSON.stringify(
      type === 'hash' ? await client.hgetall(key) : type === 'string' ? await client.get(key) : await client.zrange(key, '0', '-1'),
    );
    expect(dump).not.toContain(code);
  }

  const csrf = csrfFrom((await agent.get('/2fa')).text);
  const verified = await agent.post('/2fa/verify').type('form').send({ code, trust: '1', _csrf: csrf });
  expect(verified.status).toBe(303);
  expect((await agent.get('/')).text).toBe('Signed in as alice@acme.test');
  const [sessionKey] = await keys(`${prefix}sess:*`);
  expect(await client.get(sessionKey!)).toContain('"status":"verified"');
  expect(await host.twoFactor.listDevices(TEST_USERS.alice!.id)).toHaveLength(1);

  // Durable settings survive in Redis without a TTL.
  expect(await client.pttl(`${prefix}{a:acme}:account`)).toBe(-1);
  await host.twoFactor.close();
});

test('a Redis that may evict keys is refused at start-up when it holds settings', async () => {
  const evicting = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
  const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const host = createTestApp({ smtpUrl: smtp.url, options: { store: new RedisStore({ client: evicting.client() }) } });
    await expect(host.twoFactor.ready).rejects.toThrow(/maxmemory-policy allkeys-lru.*noeviction/s);
    // And nobody gets past the step meanwhile: the page and the password step answer 503.
    const login = await request(host.app).post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    expect(login.status).toBe(503);
    expect((await request(host.app).get('/2fa')).status).toBe(503);
    expect(logged).toHaveBeenCalledWith(expect.stringContaining('the store is not usable'));
    await host.twoFactor.close();
  } finally {
    logged.mockRestore();
    await evicting.stop();
  }
});

test('when Redis goes away, nobody gets past the step: 503, never a pass or a 500', async () => {
  const down = await startRedis();
  const client = down.client({ maxRetriesPerRequest: 1 });
  const host = createTestApp({
    smtpUrl: smtp.url,
    options: { store: new RedisStore({ client, prefix: 'down:' }), storeTimeoutMs: 1000 },
  });
  await host.twoFactor.ready;
  await host.twoFactor.enforceAccount('acme');
  const agent = request.agent(host.app);
  await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
  const code = await smtp.nextCode('alice@acme.test');
  const csrf = csrfFrom((await agent.get('/2fa')).text);

  await down.stop();

  const verify = await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf });
  expect(verify.status).toBe(503);
  expect(verify.text).toContain('try again');
  expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/2fa');

  const fresh = await request(host.app).post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
  expect(fresh.status).toBe(503);
  expect(fresh.headers['set-cookie']).toBeUndefined();
  // Even a user without 2FA: the settings that say so cannot be read.
  const dan = await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' });
  expect(dan.status).toBe(503);
  await host.twoFactor.close();
}, 30_000);
