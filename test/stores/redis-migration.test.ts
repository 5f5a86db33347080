/**
 * Upgrading RedisStore across issue 13's layout change, on a real redis-server: keys are written
 * with raw commands exactly as the store wrote them before (commit 8bdac8d), then the new store runs
 * against them. What must hold (README, "Upgrading from the earlier key layout"):
 * - durable state (settings, account, recovery codes, credentials) is the same keys, read as it is
 *   and never deleted or rewritten by anything the upgrade does;
 * - trusted devices are adopted (read once, rewritten in the new layout, the old keys deleted) by the
 *   first device operation: usable, listed and revocable, never usable but hidden, never resurrected;
 * - session index entries (JSON) are read as they are; failure records and lock-outs are unchanged;
 * - pending challenges and send counters of the old layout are ignored and expire on their own.
 */
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Hasher } from '../../src/core/secrets';
import { RedisStore } from '../../src/stores/redis-store';
import { scanKeys, startRedis, type TestRedis } from '../helpers/redis-server';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const hasher = new Hasher('redis-migration-tests-secret-of-32-chars');
const secretHash = (id: string): string => hasher.hash('device', id, `secret of ${id}`);
const policy = (now: number) => ({
  now,
  maxAttempts: 5,
  lockThreshold: 10,
  lockBaseMs: MINUTE,
  lockMaxMs: 4 * MINUTE,
  failureMemoryMs: DAY,
  permanentAfter: 1000,
});

let server: TestRedis;
let client: Redis;
let prefix: string;
let store: RedisStore;
let t0: number;

beforeAll(async () => {
  server = await startRedis();
  client = server.client();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  prefix = `m${randomBytes(6).toString('hex')}:`;
  store = new RedisStore({ client, prefix });
  t0 = Date.now();
});

const user = (id: string): string => `${prefix}{u:${id}}`;

/** A trusted device as the old putDevice stored it: a hash, and its id in the index scored by expiry. */
async function legacyDevice(
  userId: string,
  id: string,
  { createdAt = t0, ttlMs = 30 * DAY, placeHint }: { createdAt?: number; ttlMs?: number; placeHint?: string } = {},
): Promise<void> {
  const key = `${user(userId)}:dev:${id}`;
  const expiresAt = createdAt + ttlMs;
  const fields: Record<string, string | number> = {
    id,
    userId,
    label: 'Firefox 140 on Linux',
    createdAt,
    lastUsedAt: createdAt,
    expiresAt,
    secretHash: secretHash(id),
  };
  if (placeHint) fields.placeHint = placeHint;
  await client
    .multi()
    .hset(key, fields)
    .pexpireat(key, expiresAt)
    .zadd(`${user(userId)}:devs`, expiresAt, id)
    .pexpireat(`${user(userId)}:devs`, expiresAt)
    .exec();
}

/** Every durable key of one user and one account, as the old store wrote them. */
async function legacyDurable(userId: string): Promise<void> {
  await client.hset(`${user(userId)}:settings`, {
    enabled: '1',
    method: 'sms',
    phone: '+15555550100',
    emailCodes: '0',
    unverifiedPhone: '',
    blockClients: '1',
    sessionPolicy: '0',
  });
  await client.sadd(`${user(userId)}:recovery`, 'recovery-hash-1', 'recovery-hash-2');
  await client.hset(
    `${user(userId)}:cred:totp`,
    'c1',
    JSON.stringify({ id: 'c1', method: 'totp', label: 'Phone', createdAt: t0, lastUsedAt: null, data: 'v1.sealed' }),
  );
  await client.hset(`${prefix}{a:acme}:account`, { enforced: '1', enforcedAt: String(t0), sessionPolicy: '0' });
}

/** Each key with its type, value and TTL, to prove the durable ones are untouched. */
async function dump(keys: string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await client.type(key);
    const value =
      type === 'hash' ? await client.hgetall(key) : type === 'set' ? (await client.smembers(key)).sort() : await client.get(key);
    out[key] = { type, value, pttl: await client.pttl(key) };
  }
  return out;
}

test('durable state written by the old layout is read as it is, and nothing the upgrade does touches it', async () => {
  await legacyDurable('ann');
  await legacyDevice('ann', 'd1');
  await client.hset(
    `${user('ann')}:sess`,
    's1',
    JSON.stringify({ id: 's1', createdAt: t0, label: 'Firefox 140 on Linux', expiresAt: t0 + DAY }),
  );
  const durableKeys = [`${user('ann')}:settings`, `${user('ann')}:recovery`, `${user('ann')}:cred:totp`, `${prefix}{a:acme}:account`];
  const before = await dump(durableKeys);

  await expect(store.getUserSettings('ann')).resolves.toEqual({
    enabled: true,
    method: 'sms',
    phone: '+15555550100',
    emailCodes: false,
    unverifiedPhone: null,
    blockClients: true,
    sessionPolicy: false,
  });
  await expect(store.countRecoveryCodes('ann')).resolves.toBe(2);
  await expect(store.listCredentials('ann', 'totp')).resolves.toEqual([
    { id: 'c1', method: 'totp', label: 'Phone', createdAt: t0, lastUsedAt: null, data: 'v1.sealed' },
  ]);
  await expect(store.ensureAccountSettings('acme', { enforced: false, enforcedAt: null })).resolves.toMatchObject({
    enforced: true,
    enforcedAt: t0,
  });

  // Everything that migrates or rewrites ephemeral state, including revoking every device.
  await store.listDevices('ann', t0);
  await store.useDevice('ann', 'd1', secretHash('d1'), t0 + 1);
  await store.putDevice({
    id: 'd2',
    userId: 'ann',
    label: 'Safari 18 on iOS',
    createdAt: t0,
    lastUsedAt: t0,
    expiresAt: t0 + DAY,
    secretHash: secretHash('d2'),
  });
  await store.deleteAllDevices('ann');
  await store.listSessions('ann', t0);
  await store.deleteSessions('ann', ['s1']);
  await store.issueChallenge(
    'ann',
    'sign-in:a',
    { codeHash: 'h', method: 'sms', destination: '+15555550100', sentAt: t0, expiresAt: t0 + 10 * MINUTE },
    { now: t0, sendQuota: [{ windowMs: MINUTE, max: 5 }], resendWaitMs: 0 },
  );
  await store.verifyChallenge('ann', 'sign-in:a', 'h', policy(t0));

  expect(await dump(durableKeys)).toEqual(before);
  for (const key of durableKeys) expect(await client.pttl(key)).toBe(-1);
});

test('legacy trusted devices are adopted by the first device operation: usable with their secret, listed with every field, the old keys gone', async () => {
  await legacyDevice('ann', 'd1', { createdAt: t0 - DAY, placeHint: '203.0.113.x' });
  await legacyDevice('ann', 'd2');

  await expect(store.useDevice('ann', 'd1', secretHash('d2'), t0)).resolves.toBeNull();
  expect(await scanKeys(client, `${user('ann')}:dev*`)).toEqual([]);
  await expect(store.useDevice('ann', 'd1', secretHash('d1'), t0 + 5)).resolves.toEqual({
    id: 'd1',
    userId: 'ann',
    label: 'Firefox 140 on Linux',
    createdAt: t0 - DAY,
    lastUsedAt: t0 + 5,
    expiresAt: t0 + 29 * DAY,
    placeHint: '203.0.113.x',
  });
  await expect(store.listDevices('ann', t0 + 5)).resolves.toMatchObject([
    { id: 'd2', createdAt: t0, lastUsedAt: t0, expiresAt: t0 + 30 * DAY },
    { id: 'd1', lastUsedAt: t0 + 5 },
  ]);
  expect(Number(await client.call('PEXPIRETIME', `${user('ann')}:d`))).toBe(t0 + 30 * DAY);
});

test('a legacy device whose hash is gone (revoked or expired) or whose time is up is not adopted: adoption never brings a device back', async () => {
  await legacyDevice('ann', 'revoked');
  await client.del(`${user('ann')}:dev:revoked`);
  await legacyDevice('ann', 'expired', { createdAt: t0 - 2 * DAY, ttlMs: DAY + 10_000 });
  await legacyDevice('ann', 'kept');
  // The library's clock has passed the "expired" device's expiry; Redis's has not yet.
  const now = t0 + 20_000;
  await expect(store.listDevices('ann', now)).resolves.toMatchObject([{ id: 'kept' }]);
  await expect(store.useDevice('ann', 'revoked', secretHash('revoked'), now)).resolves.toBeNull();
  await expect(store.useDevice('ann', 'expired', secretHash('expired'), now)).resolves.toBeNull();
  await expect(store.deleteAllDevices('ann')).resolves.toBe(1);
});

test('a legacy device revoked while it is being adopted (an old instance, between the read and the script) stays revoked', async () => {
  await legacyDevice('ann', 'd1');
  await legacyDevice('ann', 'd2');
  // The real client, except that right after the store reads the legacy hashes (its only pipeline),
  // another instance revokes d1 the old way.
  const racing = server.client();
  const pipeline = racing.pipeline.bind(racing);
  racing.pipeline = ((...args: Parameters<typeof pipeline>) => {
    const batch = pipeline(...args);
    const exec = batch.exec.bind(batch);
    batch.exec = (async () => {
      const results = await exec();
      await client
        .multi()
        .del(`${user('ann')}:dev:d1`)
        .zrem(`${user('ann')}:devs`, 'd1')
        .exec();
      return results;
    }) as typeof batch.exec;
    return batch;
  }) as typeof racing.pipeline;
  const upgraded = new RedisStore({ client: racing, prefix });
  await expect(upgraded.listDevices('ann', t0)).resolves.toMatchObject([{ id: 'd2' }]);
  await expect(upgraded.useDevice('ann', 'd1', secretHash('d1'), t0)).resolves.toBeNull();
});

test.each([
  ['revoking every device', (s: RedisStore) => s.deleteAllDevices('ann'), 2],
  ['revoking one device', (s: RedisStore) => s.deleteDevice('ann', 'd1'), true],
] as const)('%s right after the upgrade covers the legacy devices: none stays usable', async (_case, revoke, result) => {
  await legacyDevice('ann', 'd1');
  await legacyDevice('ann', 'd2');
  await expect(revoke(store)).resolves.toBe(result);
  await expect(store.useDevice('ann', 'd1', secretHash('d1'), t0)).resolves.toBeNull();
  expect(await scanKeys(client, `${user('ann')}:dev*`)).toEqual([]);
  const left = await store.listDevices('ann', t0);
  expect(left.map((d) => d.id)).toEqual(result === 2 ? [] : ['d2']);
});

test('a legacy device written after adoption (an old instance during a rolling upgrade) is adopted by the next operation', async () => {
  await store.putDevice({
    id: 'new',
    userId: 'ann',
    label: 'Safari 18 on iOS',
    createdAt: t0,
    lastUsedAt: t0,
    expiresAt: t0 + DAY,
    secretHash: secretHash('new'),
  });
  await legacyDevice('ann', 'old');
  await expect(store.listDevices('ann', t0)).resolves.toMatchObject([{ id: 'new' }, { id: 'old' }]);
  await expect(store.useDevice('ann', 'old', secretHash('old'), t0)).resolves.toMatchObject({ id: 'old' });
  await expect(store.useDevice('ann', 'new', secretHash('new'), t0)).resolves.toMatchObject({ id: 'new' });
});

test('legacy session index entries (JSON) are listed next to new ones, and deleted like them', async () => {
  await client.hset(
    `${user('ann')}:sess`,
    'old',
    JSON.stringify({ id: 'old', createdAt: t0, label: 'Firefox 140 on Linux', placeHint: '203.0.113.x', expiresAt: t0 + DAY }),
  );
  await client.pexpireat(`${user('ann')}:sess`, t0 + DAY);
  await store.putSession('ann', { id: 'new', createdAt: t0 + 1, label: 'Safari 18 on iOS', expiresAt: t0 + 2 * DAY });
  await expect(store.listSessions('ann', t0 + 2)).resolves.toEqual([
    { id: 'old', createdAt: t0, label: 'Firefox 140 on Linux', placeHint: '203.0.113.x', expiresAt: t0 + DAY },
    { id: 'new', createdAt: t0 + 1, label: 'Safari 18 on iOS', expiresAt: t0 + 2 * DAY },
  ]);
  await expect(store.deleteSessions('ann', ['old'])).resolves.toBe(1);
  await expect(store.listSessions('ann', t0 + 2)).resolves.toMatchObject([{ id: 'new' }]);
});

test('a lock-out recorded by the old layout still holds: the failure record kept its layout', async () => {
  await client.hset(`${user('ann')}:fail`, { failures: '100', lockedUntil: String(t0), expiresAt: String(t0 + DAY), lockedOut: '1' });
  await expect(store.getFailureState('ann', t0 + 400 * DAY)).resolves.toEqual({ failures: 100, lockedForMs: 0, lockedOut: true });
  await expect(
    store.issueChallenge(
      'ann',
      'sign-in:a',
      { codeHash: 'h', method: 'email', destination: 'ann@example.test', sentAt: t0, expiresAt: t0 + MINUTE },
      { now: t0, sendQuota: [], resendWaitMs: 0 },
    ),
  ).resolves.toEqual({ status: 'locked-out' });
  await expect(store.verifyChallenge('ann', 'sign-in:a', 'h', policy(t0))).resolves.toEqual({ status: 'locked-out', justLockedOut: false });
});

test('a pending challenge and send counter of the old layout are ignored (the user asks for a new code) and left to expire', async () => {
  const challengeKey = `${user('ann')}:ch:sign-in:a`;
  await client.hset(challengeKey, {
    codeHash: 'h',
    method: 'email',
    destination: 'ann@example.test',
    sentAt: t0,
    expiresAt: t0 + 10 * MINUTE,
    attempts: 0,
  });
  await client.pexpireat(challengeKey, t0 + 10 * MINUTE);
  await client.zadd(`${user('ann')}:sends`, t0, `${t0}:0`);
  await client.pexpireat(`${user('ann')}:sends`, t0 + 15 * MINUTE);
  await client.zadd(`${prefix}{q:phone%3A%2B15555550100}:quota`, t0, `${t0}:0`);

  await expect(store.verifyChallenge('ann', 'sign-in:a', 'h', policy(t0))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
  const quota = [{ windowMs: 15 * MINUTE, max: 1 }];
  await expect(
    store.issueChallenge(
      'ann',
      'sign-in:b',
      { codeHash: 'h2', method: 'email', destination: 'ann@example.test', sentAt: t0, expiresAt: t0 + 10 * MINUTE },
      { now: t0, sendQuota: quota, resendWaitMs: 0 },
    ),
  ).resolves.toEqual({ status: 'issued' });
  await expect(store.verifyChallenge('ann', 'sign-in:b', 'h2', policy(t0))).resolves.toMatchObject({ status: 'verified' });
  await expect(store.hitQuota('phone:+15555550100', quota, t0)).resolves.toEqual({ allowed: true });
  expect(await client.exists(challengeKey, `${user('ann')}:sends`)).toBe(2);
  expect(await client.pttl(challengeKey)).toBeGreaterThan(0);
});
