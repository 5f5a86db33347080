/**
 * `durableStore` wired in: a host keeps all durable state (settings, recovery codes, credentials) in
 * its own adapter, and the library's store then holds only ephemeral state. Real SMTP, real Redis.
 */
import request from 'supertest';
import type { DurableStore } from '../../src';
import { RedisStore } from '../../src/redis';
import { ANSWER_BOUND_MS, expectTryAgain, timed } from '../helpers/faults';
import { startRedis, scanKeys, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS } from '../helpers/test-app';
import { mapDurableStore } from './map-durable-store';

const HTML = { Accept: 'text/html' };
let smtp: TestSmtpServer;
let evicting: TestRedis;
beforeAll(async () => {
  [smtp, evicting] = await Promise.all([startSmtpServer(), startRedis(['--maxmemory-policy', 'allkeys-lru'])]);
});
afterAll(async () => {
  await Promise.all([smtp.stop(), evicting.stop()]);
});

describe.each(EXPRESS_VERSIONS)('a host durable store beside a RedisStore (%s)', (_name, express) => {
  test('the RedisStore holds only ephemeral state: it starts on an evicting Redis, and no durable key lands there', async () => {
    const client = evicting.client();
    const prefix = `w${Date.now()}${Math.random().toString(16).slice(2, 8)}:`;
    const durableStore = mapDurableStore();
    const host = createTestApp({ express, smtpUrl: smtp.url, options: { store: new RedisStore({ client, prefix }), durableStore } });
    await expect(host.twoFactor.ready).resolves.toBeUndefined();

    // Alice's account enforces 2FA: the code step, then recovery codes, then a sign-in with one.
    await host.twoFactor.enforceAccount('acme');
    const alice = request.agent(host.app);
    expect((await alice.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' })).headers.location).toBe('/2fa');
    const code = await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await alice.get('/2fa').set(HTML)).text);
    expect((await alice.post('/2fa/verify').type('form').send({ _csrf: csrf, code })).headers.location).toBe('/');
    const [recovery] = await host.twoFactor.generateRecoveryCodes(TEST_USERS.alice!.id);
    await host.twoFactor.setUserEnabled(TEST_USERS.bob!.id, true);

    const fresh = request.agent(host.app);
    await fresh.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    await smtp.nextCode('alice@acme.test');
    const freshCsrf = csrfFrom((await fresh.get('/2fa').set(HTML)).text);
    expect((await fresh.post('/2fa/recovery').type('form').send({ _csrf: freshCsrf, recoveryCode: recovery })).headers.location).toBe('/');

    // The durable state is the host's; Redis has the challenges, counters and session index only.
    expect(durableStore.tables.accounts.get('acme')).toMatchObject({ enforced: true });
    expect(durableStore.tables.users.get(TEST_USERS.bob!.id)).toMatchObject({ enabled: true });
    await expect(durableStore.countRecoveryCodes(TEST_USERS.alice!.id)).resolves.toBe(9);
    const keys = await scanKeys(client, `${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => /:(settings|recovery|account|cred:.*)$/.test(key))).toEqual([]);
    await host.twoFactor.close();
    client.disconnect();
  });

  test('a durable store that does not answer: the recovery form answers 503 within the bound, and the code is kept', async () => {
    const base = mapDurableStore();
    let hang = false;
    const durableStore: DurableStore = {
      ...base,
      consumeRecoveryCode: (userId, codeHash) => (hang ? new Promise(() => undefined) : base.consumeRecoveryCode(userId, codeHash)),
    };
    const host = createTestApp({ express, smtpUrl: smtp.url, options: { durableStore, storeTimeoutMs: 1000 } });
    await host.twoFactor.enforceAccount('acme');
    const [recovery] = await host.twoFactor.generateRecoveryCodes(TEST_USERS.bob!.id);
    const bob = request.agent(host.app);
    await bob.post('/login').type('form').send({ email: 'bob@acme.test', password: 'right' });
    await smtp.nextCode('bob@acme.test');
    const csrf = csrfFrom((await bob.get('/2fa').set(HTML)).text);
    hang = true;
    const answer = await timed(
      'POST /2fa/recovery',
      bob.post('/2fa/recovery').set(HTML).type('form').send({ _csrf: csrf, recoveryCode: recovery }),
    );
    expectTryAgain(answer);
    expect(answer.ms).toBeLessThan(ANSWER_BOUND_MS);
    hang = false;
    await expect(base.countRecoveryCodes(TEST_USERS.bob!.id)).resolves.toBe(10);
    expect((await bob.post('/2fa/recovery').type('form').send({ _csrf: csrf, recoveryCode: recovery })).headers.location).toBe('/');
    await host.twoFactor.close();
  });
});
