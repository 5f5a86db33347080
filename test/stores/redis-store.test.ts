import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { Redis, type Cluster } from 'ioredis';
import { Hasher } from '../../src/core/secrets';
import { ConfigurationError } from '../../src/errors';
import { RedisStore, type RedisStoreOptions } from '../../src/stores/redis-store';
import type { StoredDevice } from '../../src/core/store';
import { scanKeys, startRedis, startRedisCluster, type TestRedis, type TestRedisCluster } from '../helpers/redis-server';
import { ephemeralStoreContract, storedDevice } from './store-contract';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Every store gets its own key space, so tests never see each other's keys. */
const freshPrefix = (): string => `t${randomBytes(6).toString('hex')}:`;

const hasher = new Hasher('redis-store-tests-secret-of-32-characters');
const device = (userId: string, id: string, createdAt: number, ttlMs: number): StoredDevice =>
  storedDevice(userId, id, createdAt, ttlMs, hasher);
const secretHashOf = (id: string): string => device('', id, 0, 0).secretHash;
const policy = (now: number) => ({
  now,
  maxAttempts: 5,
  lockThreshold: 10,
  lockBaseMs: MINUTE,
  lockMaxMs: 4 * MINUTE,
  failureMemoryMs: DAY,
  permanentAfter: 1000,
});
const challenge = (now: number) => ({
  codeHash: 'code-hash',
  method: 'email' as const,
  destination: 'a@example.test',
  sentAt: now,
  expiresAt: now + 10 * MINUTE,
});
const QUOTA = [
  { windowMs: 30_000, max: 1 },
  { windowMs: 15 * MINUTE, max: 5 },
];

/** Writes one of every kind of key for `userId` (and one account key and one quota bucket). */
async function touchEveryKey(
  store: RedisStore,
  userId: string,
  accountId: string,
  now: number,
  bucket = 'phone:+15005550006',
): Promise<void> {
  await store.issueChallenge(userId, 'signin', challenge(now), { now, sendQuota: QUOTA, resendWaitMs: 0 });
  await store.verifyChallenge(userId, 'signin', 'wrong-hash', policy(now));
  await store.putDevice(device(userId, 'd1', now, DAY));
  await store.updateUserSettings(userId, { enabled: true }, { enabled: false, method: 'email', phone: null });
  await store.setRecoveryCodes(userId, ['recovery-hash-1', 'recovery-hash-2']);
  await store.ensureAccountSettings(accountId, { enforced: false, enforcedAt: null });
  await store.hitQuota(bucket, QUOTA, now);
  await store.claimOnce(userId, 'totp:57323', 90_000, now);
  await store.putCredential(userId, { id: 'c1', method: 'totp', label: 'Phone', createdAt: now, lastUsedAt: null, data: 'sealed' });
  await store.putSession(userId, { id: 's1', createdAt: now, label: 'Firefox 140 on Linux', expiresAt: now + DAY });
}

describe('RedisStore on a single Redis', () => {
  let server: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedis();
    client = server.client();
  });
  afterAll(async () => {
    await server.stop();
  });

  ephemeralStoreContract('RedisStore', async () => ({
    store: new RedisStore({ client, prefix: freshPrefix() }),
    cleanup: async () => undefined,
  }));

  it('lays keys out under the prefix, one hash tag per user and per account, with ids encoded', async () => {
    const prefix = freshPrefix();
    await touchEveryKey(new RedisStore({ client, prefix }), 'we{ir}d:user', 'acme{1}', Date.now(), 'ip:{203.0.113.7}');
    const user = `${prefix}{u:we%7Bir%7Dd%3Auser}`;
    expect((await scanKeys(client, `${prefix}*`)).sort()).toEqual(
      [
        `${user}:c`,
        `${user}:fail`,
        `${user}:d`,
        `${user}:sess`,
        `${user}:settings`,
        `${user}:recovery`,
        `${user}:claim:totp%3A57323`,
        `${user}:cred:totp`,
        `${prefix}{a:acme%7B1%7D}:account`,
        `${prefix}{q:ip%3A%7B203.0.113.7%7D}:hits`,
      ].sort(),
    );
  });

  it.each([0, 2 * MINUTE, 10 * MINUTE])(
    "keeps a one-time claim for its ttl when the caller's clock is %i ms behind Redis's (a dropped claim would let a used code in again)",
    async (behindMs) => {
      const store = new RedisStore({ client, prefix: freshPrefix() });
      const now = Date.now() - behindMs;
      await expect(store.claimOnce('ann', 'totp:57323', 90_000, now)).resolves.toBe(true);
      await expect(store.claimOnce('ann', 'totp:57323', 90_000, now + 1_000)).resolves.toBe(false);
      await expect(store.claimOnce('ann', 'totp:57323', 90_000, now + 90_000)).resolves.toBe(true);
    },
  );

  it('sets each key to expire at its logical expiry, and settings never', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const t0 = Date.now();
    const user = `${prefix}{u:ann}`;
    const expireTime = async (key: string): Promise<number> => Number(await client.call('PEXPIRETIME', key));

    await touchEveryKey(store, 'ann', 'acme', t0);
    // The challenge (10 minutes) and its send, counted for the longest quota window (15 minutes).
    expect(await expireTime(`${user}:c`)).toBe(t0 + 15 * MINUTE);
    expect(await expireTime(`${user}:fail`)).toBe(t0 + DAY);
    expect(await expireTime(`${user}:d`)).toBe(t0 + DAY);
    expect(await expireTime(`${user}:sess`)).toBe(t0 + DAY);
    expect(await expireTime(`${prefix}{q:phone%3A%2B15005550006}:hits`)).toBe(t0 + 15 * MINUTE);
    expect(await client.pttl(`${user}:settings`)).toBe(-1);
    expect(await client.pttl(`${user}:recovery`)).toBe(-1);
    expect(await client.pttl(`${prefix}{a:acme}:account`)).toBe(-1);
    // A claim's key lives its ttl on Redis's clock (see the clock-skew test below).
    expect(await client.pttl(`${user}:claim:totp%3A57323`)).toBeGreaterThan(80_000);
    expect(await client.pttl(`${user}:claim:totp%3A57323`)).toBeLessThanOrEqual(90_000);
    expect(await client.pttl(`${user}:cred:totp`)).toBe(-1);

    // Recovery codes stay durable through regeneration and use.
    await store.setRecoveryCodes('ann', ['recovery-hash-3', 'recovery-hash-4']);
    await expect(store.consumeRecoveryCode('ann', 'recovery-hash-3')).resolves.toBe(1);
    expect(await client.pttl(`${user}:recovery`)).toBe(-1);

    // A lock longer than the failure memory keeps the record until the lock ends.
    await store.verifyChallenge('ann', 'signin', 'wrong-hash', {
      ...policy(t0),
      lockThreshold: 1,
      lockBaseMs: 2 * DAY,
      lockMaxMs: 2 * DAY,
    });
    expect(await expireTime(`${user}:fail`)).toBe(t0 + 2 * DAY);

    // The devices live as long as the longest-lived one, and no longer once it is gone.
    await store.putDevice(device('ann', 'd2', t0, MINUTE));
    expect(await expireTime(`${user}:d`)).toBe(t0 + DAY);
    await store.putDevice(device('ann', 'd3', t0, 2 * DAY));
    expect(await expireTime(`${user}:d`)).toBe(t0 + 2 * DAY);
    await store.deleteDevice('ann', 'd3');
    expect(await expireTime(`${user}:d`)).toBe(t0 + DAY);

    // Using a device records the use but never moves its expiry.
    await expect(store.useDevice('ann', 'd1', secretHashOf('d1'), t0 + MINUTE)).resolves.toMatchObject({ lastUsedAt: t0 + MINUTE });
    expect(await expireTime(`${user}:d`)).toBe(t0 + DAY);

    // A right code consumes the challenge; its send still counts until the quota window ends.
    await store.clearFailures('ann');
    await store.issueChallenge('ann', 'reauth', challenge(t0 + 16 * MINUTE), { now: t0 + 16 * MINUTE, sendQuota: QUOTA, resendWaitMs: 0 });
    await expect(store.verifyChallenge('ann', 'reauth', 'code-hash', policy(t0 + 16 * MINUTE))).resolves.toMatchObject({
      status: 'verified',
    });
    expect(await expireTime(`${user}:c`)).toBe(t0 + 31 * MINUTE);
  });

  it('lets Redis itself delete keys that expire', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const t0 = Date.now();
    await store.putDevice(device('ann', 'd1', t0, 100));
    const key = `${prefix}{u:ann}:d`;
    const deadline = Date.now() + 5000;
    while ((await client.exists(key)) === 1) {
      if (Date.now() > deadline) throw new Error('Redis never expired the device key');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await expect(store.useDevice('ann', 'd1', secretHashOf('d1'), t0)).resolves.toBeNull();
  });

  it("keeps the user's enrolled methods (an authenticator app, passkeys), without which they could never be used", async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    const defaults = { enabled: false, method: 'email' as const, phone: null };
    await expect(store.updateUserSettings('ann', { enabled: true }, defaults)).resolves.not.toHaveProperty('enrolled');
    await expect(store.updateUserSettings('ann', { enrolled: ['totp', 'passkey'], method: 'totp' }, defaults)).resolves.toMatchObject({
      enrolled: ['totp', 'passkey'],
      method: 'totp',
    });
    await expect(store.getUserSettings('ann')).resolves.toMatchObject({ enabled: true, enrolled: ['totp', 'passkey'] });
    await expect(store.updateUserSettings('ann', { enrolled: [] }, defaults)).resolves.toMatchObject({ enrolled: [] });
  });

  it('keeps text that contains the record separators exactly, and never lets it forge a record', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const t0 = Date.now();
    // A place hint is the host's (often from request headers): here one crafted to look like a second
    // device record, with a far expiry and a secret hash of the attacker's choosing.
    const forged = `x\nforged\t${(t0 + 365 * DAY).toString(36)}\t0\t0\t${secretHashOf('forged').slice(0, 22)}\tEvil`;
    const weird = { ...device('ann', 'we\tird%0A\nid', t0, DAY), label: 'tab\there%09 and\nnewline %25', placeHint: forged };
    await store.putDevice(weird);
    const { secretHash: _secret, ...visible } = weird;
    await expect(store.listDevices('ann', t0)).resolves.toEqual([visible]);
    await expect(store.useDevice('ann', 'forged', secretHashOf('forged'), t0)).resolves.toBeNull();
    await expect(store.useDevice('ann', weird.id, weird.secretHash, t0)).resolves.toMatchObject({ placeHint: forged, label: weird.label });

    const destination = 'a\tb\nc%d@example.test';
    const sent = { codeHash: 'code-hash', method: 'email' as const, destination, sentAt: t0, expiresAt: t0 + MINUTE };
    await store.issueChallenge('ann', 'sign-in:\nx\ty', sent, { now: t0, sendQuota: QUOTA, resendWaitMs: 0 });
    await expect(store.verifyChallenge('ann', 'sign-in:\nx\ty', 'code-hash', policy(t0))).resolves.toEqual({
      status: 'verified',
      challenge: { method: 'email', destination, sentAt: t0, expiresAt: t0 + MINUTE },
    });

    const session = { id: 's\t1', createdAt: t0, label: 'a\tb', placeHint: 'c\nd%', expiresAt: t0 + DAY };
    await store.putSession('ann', session);
    await expect(store.listSessions('ann', t0)).resolves.toEqual([session]);
  });

  it('keeps at most 100 trusted devices per user, dropping the oldest, so no client can grow the string each sign-in rewrites', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const t0 = Date.now();
    for (let i = 0; i < 150; i += 1) await store.putDevice(device('ann', `d${i}`, t0 + i, DAY));
    const listed = await store.listDevices('ann', t0 + 150);
    expect(listed).toHaveLength(100);
    expect(listed.at(-1)!.id).toBe('d50');
    await expect(store.useDevice('ann', 'd49', secretHashOf('d49'), t0 + 150)).resolves.toBeNull();
    await expect(store.useDevice('ann', 'd149', secretHashOf('d149'), t0 + 150)).resolves.toMatchObject({ id: 'd149' });
    expect(await client.strlen(`${prefix}{u:ann}:d`)).toBeLessThan(100 * 100);
    // A device trusted for less time than the others is still the one kept: only another is dropped.
    await store.putDevice(device('ann', 'short', t0 + 200, MINUTE));
    await expect(store.useDevice('ann', 'short', secretHashOf('short'), t0 + 200)).resolves.toMatchObject({ id: 'short' });
  });

  it('keeps at most 20 live challenges per user however lax the send quota, dropping the oldest', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    const t0 = Date.now();
    const lax = { now: t0, sendQuota: [{ windowMs: 1_000, max: 1_000_000 }], resendWaitMs: 0 };
    for (let i = 0; i < 30; i += 1) {
      await store.issueChallenge('ann', `sign-in:${i}`, { ...challenge(t0 + i), codeHash: `hash-${i}` }, { ...lax, now: t0 + i });
    }
    await expect(store.verifyChallenge('ann', 'sign-in:9', 'hash-9', policy(t0 + 30))).resolves.toMatchObject({ status: 'missing' });
    await expect(store.verifyChallenge('ann', 'sign-in:10', 'hash-10', policy(t0 + 30))).resolves.toMatchObject({ status: 'verified' });
    await expect(store.verifyChallenge('ann', 'sign-in:29', 'hash-29', policy(t0 + 30))).resolves.toMatchObject({ status: 'verified' });
  });

  it('counts quota events in time order even from a caller whose clock runs behind', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    const t0 = Date.now();
    const window = [{ windowMs: MINUTE, max: 3 }];
    for (const at of [30_000, 0, 1_000])
      await expect(store.hitQuota('ip:203.0.113.7', window, t0 + at)).resolves.toEqual({ allowed: true });
    // Room opens when the oldest (at t0, sent last) leaves the window.
    await expect(store.hitQuota('ip:203.0.113.7', window, t0 + 59_000)).resolves.toEqual({ allowed: false, retryAfterMs: 1_000 });
    await expect(store.hitQuota('ip:203.0.113.7', window, t0 + MINUTE)).resolves.toEqual({ allowed: true });
    await expect(store.hitQuota('ip:203.0.113.7', window, t0 + MINUTE)).resolves.toEqual({ allowed: false, retryAfterMs: 1_000 });
  });
});

describe('RedisStore on a Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = cluster.client();
  }, 30_000);
  afterAll(async () => {
    await cluster.stop();
  });

  ephemeralStoreContract('RedisStore on Redis Cluster', async () => ({
    store: new RedisStore({ client, prefix: freshPrefix() }),
    cleanup: async () => undefined,
  }));

  it('keeps every key of one user in one hash slot', async () => {
    const prefix = freshPrefix();
    await touchEveryKey(new RedisStore({ client, prefix }), 'we{ir}d:user', 'acme', Date.now());
    const keys = (await Promise.all(client.nodes('master').map((node) => scanKeys(node, `${prefix}{u:*`)))).flat();
    expect(keys).toHaveLength(8);
    expect(keys).toContain(`${prefix}{u:we%7Bir%7Dd%3Auser}:recovery`);
    const slots = await Promise.all(keys.map((key) => client.cluster('KEYSLOT', key)));
    expect(new Set(slots).size).toBe(1);
  });

  it('gives each quota bucket its own hash tag, whatever user triggered it', async () => {
    const prefix = freshPrefix();
    const store = new RedisStore({ client, prefix });
    const now = Date.now();
    const buckets = ['phone:+15005550006', 'ip:203.0.113.7', 'ip:{198.51.100.1}'];
    for (const bucket of buckets) await expect(store.hitQuota(bucket, QUOTA, now)).resolves.toEqual({ allowed: true });
    const keys = (await Promise.all(client.nodes('master').map((node) => scanKeys(node, `${prefix}{q:*`)))).flat();
    expect(keys.sort()).toEqual(buckets.map((bucket) => `${prefix}{q:${encodeURIComponent(bucket)}}:hits`).sort());
  });

  it('checks the eviction policy of every master', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    await expect(store.init({ durable: true })).resolves.toBeUndefined();
    const last = client.nodes('master').at(-1)!;
    await last.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    try {
      await expect(store.init({ durable: true })).rejects.toThrow(/allkeys-lfu/);
    } finally {
      await last.config('SET', 'maxmemory-policy', 'noeviction');
    }
  });
});

describe('RedisStore start-up checks', () => {
  let server: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedis();
    client = server.client();
  });
  afterAll(async () => {
    await server.stop();
  });

  const withPolicy = async (policy: string): Promise<RedisStore> => {
    await client.config('SET', 'maxmemory-policy', policy);
    return new RedisStore({ client });
  };

  it('refuses durable settings on a Redis that may evict them', async () => {
    const init = (await withPolicy('allkeys-lru')).init({ durable: true });
    await expect(init).rejects.toThrow(ConfigurationError);
    await expect(init).rejects.toThrow(/"maxmemory-policy allkeys-lru".*noeviction.*appendonly yes.*`durableStore`/s);
  });

  it.each(['noeviction', 'volatile-lru', 'volatile-ttl'])('accepts durable settings under %s', async (policy) => {
    await expect((await withPolicy(policy)).init({ durable: true })).resolves.toBeUndefined();
  });

  it('reports, with a warning for the log, when Redis keeps durable state in memory only: neither AOF nor RDB saving', async () => {
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await client.config('SET', 'save', '');
    const warn = jest.spyOn(console, 'warn');
    try {
      await expect(new RedisStore({ client }).init({ durable: true })).resolves.toEqual({
        notPersistent: `appendonly no, save "" on 127.0.0.1:${server.port}`,
        warnings: [expect.stringMatching(/neither AOF nor RDB saving.*forgets them.*appendonly yes/s)],
      });
      // Nothing durable, nothing to report.
      await expect(new RedisStore({ client }).init({ durable: false })).resolves.toBeUndefined();
      await client.config('SET', 'appendonly', 'yes');
      await expect(new RedisStore({ client }).init({ durable: true })).resolves.toBeUndefined();
      // The store reports; the library's logger writes (a store never writes to the console itself).
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      await client.config('SET', 'appendonly', 'no');
      await client.config('SET', 'save', '3600 1');
    }
  });

  it('does not check the policy when it keeps no durable settings', async () => {
    await expect((await withPolicy('allkeys-lru')).init({ durable: false })).resolves.toBeUndefined();
  });

  it('only warns when CONFIG is not allowed, as on many managed services', async () => {
    await client.config('SET', 'maxmemory-policy', 'noeviction');
    await client.acl('SETUSER', 'app', 'on', '>app-password', '~*', '&*', '+@all', '-config');
    const restricted = server.client({ username: 'app', password: 'app-password' });
    await expect(new RedisStore({ client: restricted }).init({ durable: true })).resolves.toEqual({
      warnings: [expect.stringMatching(/could not check Redis's maxmemory-policy.*noeviction/)],
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /"client" is required.*new Redis\(/],
    ['no client', {}, /"client" is required.*new Redis\(/],
    ['a URL string', { client: 'redis://localhost:6379' }, /not a string.*new Redis\(process\.env\.REDIS_URL\)/],
    [
      'a node-redis client',
      { client: { isOpen: true, sendCommand: () => undefined, connect: () => undefined } },
      /looks like a node-redis/,
    ],
    ['an options object', { client: { host: 'localhost', port: 6379 } }, /must be an ioredis client/],
  ])('explains what to pass when given %s', (_case, options, message) => {
    expect(() => new RedisStore(options as RedisStoreOptions)).toThrow(ConfigurationError);
    expect(() => new RedisStore(options as RedisStoreOptions)).toThrow(message);
  });

  it('refuses a prefix that would break the hash tag', () => {
    expect(() => new RedisStore({ client, prefix: 'app{2fa}:' })).toThrow(/"prefix" must be a string without "\{" or "\}"/);
  });

  it('rejects every call once Redis is gone, so sign-in can fail closed', async () => {
    const doomed = await startRedis();
    // A client that keeps trying to reconnect (the next try is after the test) but queues nothing
    // meanwhile. disconnectTimeout: 0, as otherwise disconnecting a dead socket leaves a 2 s timer behind.
    const lonely = new Redis(doomed.port, '127.0.0.1', { enableOfflineQueue: false, retryStrategy: () => 10_000, disconnectTimeout: 0 });
    lonely.on('error', () => undefined);
    try {
      await once(lonely, 'ready');
      const store = new RedisStore({ client: lonely });
      const closed = once(lonely, 'close');
      await doomed.stop();
      await closed;
      const now = Date.now();
      const calls: Array<Promise<unknown>> = [
        store.issueChallenge('ann', 'signin', challenge(now), { now, sendQuota: QUOTA, resendWaitMs: 0 }),
        store.verifyChallenge('ann', 'signin', 'code-hash', policy(now)),
        store.discardChallenge('ann', 'signin'),
        store.getFailureState('ann', now),
        store.hitQuota('phone:+15005550006', QUOTA, now),
        store.setRecoveryCodes('ann', ['recovery-hash']),
        store.setRecoveryCodes('ann', []),
        store.countRecoveryCodes('ann'),
        store.consumeRecoveryCode('ann', 'recovery-hash'),
        store.recordAttempt('ann', policy(now), { recovery: true }),
        store.putDevice(device('ann', 'd1', now, DAY)),
        store.useDevice('ann', 'd1', secretHashOf('d1'), now),
        store.listDevices('ann', now),
        store.deleteDevice('ann', 'd1'),
        store.deleteAllDevices('ann'),
        store.getUserSettings('ann'),
        store.updateUserSettings('ann', { enabled: true }, { enabled: false, method: 'email', phone: null }),
        store.ensureAccountSettings('acme', { enforced: false, enforcedAt: null }),
        store.enforceAccount('acme', now),
        store.recordAttempt('ann', policy(now)),
        store.claimOnce('ann', 'totp:57323', 90_000, now),
        store.listCredentials('ann', 'totp'),
        store.putCredential('ann', { id: 'c1', method: 'totp', label: 'Phone', createdAt: now, lastUsedAt: null, data: 'sealed' }),
        store.deleteCredential('ann', 'totp', 'c1'),
        store.init({ durable: true }),
        store.init({ durable: false }),
      ];
      for (const outcome of await Promise.allSettled(calls)) expect(outcome.status).toBe('rejected');
    } finally {
      lonely.disconnect();
      await doomed.stop();
    }
  });
});
