import { MemoryStore } from '../../src/stores/memory-store';
import type { ChallengeRecord, IssueLimits, StoredDevice } from '../../src/core/store';
import { ephemeralStoreContract } from './store-contract';

ephemeralStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore', () => {
  const now = Date.now();
  const challenge: ChallengeRecord = {
    codeHash: 'hash',
    method: 'email',
    destination: 'a@example.test',
    sentAt: now,
    expiresAt: now + 60_000,
  };
  const limits: IssueLimits = { now, sendQuota: [{ windowMs: 60_000, max: 5 }], resendWaitMs: 0 };
  const device = (userId: string): StoredDevice => ({
    id: 'd1',
    userId,
    label: 'Firefox on Linux',
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + 60_000,
    secretHash: 'secret-hash',
  });
  const policy = {
    now,
    maxAttempts: 5,
    lockThreshold: 10,
    lockBaseMs: 1000,
    lockMaxMs: 8000,
    failureMemoryMs: 60_000,
    permanentAfter: 1000,
  };

  let store: MemoryStore;
  afterEach(async () => {
    await store.close();
  });

  /** Entries per kind of ephemeral state (private maps, read through an index access for the test). */
  function sizes(): number[] {
    // biome-ignore lint/complexity/useLiteralKeys: the maps are private; an index access is TypeScript's one way in.
    return [store['challenges'].size, store['failures'].size, store['sends'].size, store['quotas'].size, store['devices'].size];
  }

  it('caps every kind of ephemeral state at maxEntries, evicting the oldest entry first', async () => {
    store = new MemoryStore({ maxEntries: 3 });
    for (let i = 0; i < 6; i += 1) {
      await store.issueChallenge(`user-${i}`, 'signin', challenge, limits);
      await store.verifyChallenge(`user-${i}`, 'other-purpose', 'hash', policy);
      await store.putDevice(device(`user-${i}`));
      await store.hitQuota(`phone:${i}`, limits.sendQuota, now);
      for (const size of sizes()) expect(size).toBeLessThanOrEqual(3);
    }
    expect(sizes()).toEqual([3, 3, 3, 3, 3]);
    await expect(store.listDevices('user-0', now)).resolves.toEqual([]);
    await expect(store.listDevices('user-5', now)).resolves.toHaveLength(1);
    await expect(store.verifyChallenge('user-0', 'signin', 'hash', policy)).resolves.toMatchObject({ status: 'missing' });
    await expect(store.verifyChallenge('user-5', 'signin', 'hash', policy)).resolves.toMatchObject({ status: 'verified' });
  });

  it('never evicts durable settings', async () => {
    store = new MemoryStore({ maxEntries: 1 });
    const defaults = { enabled: false, method: 'email' as const, phone: null };
    for (let i = 0; i < 5; i += 1) await store.updateUserSettings(`user-${i}`, { enabled: true }, defaults);
    for (let i = 0; i < 5; i += 1) await expect(store.getUserSettings(`user-${i}`)).resolves.toMatchObject({ enabled: true });
  });

  it('never evicts credentials', async () => {
    store = new MemoryStore({ maxEntries: 1 });
    const credential = { id: 'c1', method: 'totp', label: 'Phone', createdAt: now, lastUsedAt: null, data: 'sealed' };
    for (let i = 0; i < 5; i += 1) await store.putCredential(`user-${i}`, credential);
    store.sweep(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 5; i += 1) await expect(store.listCredentials(`user-${i}`, 'totp')).resolves.toEqual([credential]);
  });

  it('never evicts recovery codes', async () => {
    store = new MemoryStore({ maxEntries: 1 });
    for (let i = 0; i < 5; i += 1) await store.setRecoveryCodes(`user-${i}`, ['code-hash-1', 'code-hash-2']);
    for (let i = 0; i < 5; i += 1) await expect(store.countRecoveryCodes(`user-${i}`)).resolves.toBe(2);
    store.sweep(Number.POSITIVE_INFINITY);
    await expect(store.consumeRecoveryCode('user-0', 'code-hash-1')).resolves.toBe(1);
  });

  it('sweep() drops expired entries and keeps the rest', async () => {
    store = new MemoryStore();
    await store.issueChallenge('ann', 'signin', challenge, limits);
    await store.verifyChallenge('ann', 'other-purpose', 'hash', policy);
    await store.putDevice(device('ann'));
    await store.hitQuota('phone:1', limits.sendQuota, now);
    store.sweep(now + 59_999);
    expect(sizes()).toEqual([1, 1, 1, 1, 1]);
    store.sweep(now + 60_000);
    expect(sizes()).toEqual([0, 0, 0, 0, 0]);
  });

  it('sweeps on an unref()d timer that close() clears', async () => {
    jest.useFakeTimers();
    try {
      store = new MemoryStore({ sweepIntervalMs: 1000 });
      const sweep = jest.spyOn(store, 'sweep');
      jest.advanceTimersByTime(1000);
      expect(sweep).toHaveBeenCalledTimes(1);
      // biome-ignore lint/complexity/useLiteralKeys: the timer is private; an index access is TypeScript's one way in.
      expect(store['sweeper'].hasRef()).toBe(false);
      await store.close();
      expect(jest.getTimerCount()).toBe(0);
      jest.advanceTimersByTime(5000);
      expect(sweep).toHaveBeenCalledTimes(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('rejects a maxEntries that is not a positive integer', () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(/"maxEntries" must be a positive integer/);
    store = new MemoryStore();
  });
});
