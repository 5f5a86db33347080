import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { MemoryStore, type DurableStore, type EphemeralStore, type TwoFactorEvent } from '../../src';
import { RedisStore } from '../../src/redis';
import { Events } from '../../src/core/events';
import { RecoveryCodes } from '../../src/core/recovery-codes';
import { Hasher } from '../../src/core/secrets';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { mapDurableStore } from './map-durable-store';

/**
 * Recovery codes live in the durable store, the failure record in the ephemeral one: RecoveryCodes
 * counts the attempt first (recordAttempt with `recovery`), then consumes the code. These are the
 * rules the combined store's atomic useRecoveryCode kept before, held over the split, on every pair.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function recoveryContract(
  name: string,
  makeStores: () => Promise<{ store: EphemeralStore; durable: DurableStore; cleanup(): Promise<void> }>,
): void {
  describe(`recovery codes over ${name}`, () => {
    let store: EphemeralStore;
    let durable: DurableStore;
    let cleanup: () => Promise<void>;
    let now: number;
    let events: TwoFactorEvent[];
    let codes: string[];
    const hasher = new Hasher('recovery-codes-test-secret-of-32-chars!');
    const recovery = (permanentAfter = 1000) =>
      new RecoveryCodes(
        store,
        durable,
        hasher,
        { maxAttempts: 5, lockout: { threshold: 3, baseMs: MINUTE, maxMs: 4 * MINUTE, memoryMs: DAY, permanentAfter }, now: () => now },
        new Events(
          (e) => void events.push(e),
          () => now,
        ),
      );
    const wrong = 'zzzzz-zzzzz';

    beforeEach(async () => {
      ({ store, durable, cleanup } = await makeStores());
      now = Date.now();
      events = [];
      codes = await recovery().generate('ann', { kind: 'host' });
    });
    afterEach(async () => {
      await cleanup();
    });

    it('uses each code once, and a used code is wrong', async () => {
      const codesOf = recovery();
      await expect(codesOf.count('ann')).resolves.toBe(10);
      await expect(codesOf.use('ann', codes[1]!)).resolves.toEqual({ status: 'verified', remaining: 9 });
      await expect(codesOf.use('ann', codes[1]!)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
      await expect(codesOf.count('ann')).resolves.toBe(9);
      await expect(codesOf.use('bob', codes[2]!)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
      await expect(codesOf.use('ann', 'not a code')).resolves.toEqual({ status: 'malformed' });
    });

    it('counts a wrong code as a failure and locks at the threshold, doubling after', async () => {
      const codesOf = recovery();
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: MINUTE, justLockedOut: false });
      await expect(store.getFailureState('ann', now)).resolves.toEqual({ failures: 3, lockedForMs: MINUTE, lockedOut: false });
      expect(events.filter((e) => e.type === 'user.locked')).toEqual([expect.objectContaining({ userId: 'ann', lockedForMs: MINUTE })]);
    });

    it('refuses even the right code while locked without looking it up, counts the refusal, and keeps the code', async () => {
      const codesOf = recovery();
      for (let i = 0; i < 3; i += 1) await codesOf.use('ann', wrong);
      now += 1000;
      await expect(codesOf.use('ann', codes[0]!)).resolves.toEqual({ status: 'locked', retryAfterMs: 2 * MINUTE });
      await expect(store.getFailureState('ann', now)).resolves.toEqual({ failures: 4, lockedForMs: 2 * MINUTE, lockedOut: false });
      await expect(codesOf.count('ann')).resolves.toBe(10);
      now += 2 * MINUTE;
      await expect(codesOf.use('ann', codes[0]!)).resolves.toEqual({ status: 'verified', remaining: 9 });
      await expect(store.getFailureState('ann', now)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
    });

    it('shares the failure count with sent codes, and a success clears it', async () => {
      const codesOf = recovery();
      await store.verifyChallenge('ann', 'signin', 'no-such-code', {
        now,
        maxAttempts: 5,
        lockThreshold: 3,
        lockBaseMs: MINUTE,
        lockMaxMs: 4 * MINUTE,
        failureMemoryMs: DAY,
        permanentAfter: 1000,
      });
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
      await expect(codesOf.use('ann', codes[3]!)).resolves.toEqual({ status: 'verified', remaining: 9 });
      // Had the two failures been remembered, this third one would lock.
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: 0, justLockedOut: false });
    });

    it('is the way out of a permanent lock-out, at the pace of the back-off', async () => {
      const codesOf = recovery(4);
      for (let i = 0; i < 3; i += 1) {
        await codesOf.use('ann', wrong);
        now += HOUR;
      }
      await expect(codesOf.use('ann', wrong)).resolves.toEqual({ status: 'wrong', lockedForMs: 2 * MINUTE, justLockedOut: true });
      expect(events.filter((e) => e.type === 'user.locked-out')).toHaveLength(1);
      now += MINUTE;
      await expect(codesOf.use('ann', codes[0]!)).resolves.toMatchObject({ status: 'locked' });
      now += DAY;
      await expect(codesOf.use('ann', codes[0]!)).resolves.toEqual({ status: 'verified', remaining: 9 });
      await expect(store.getFailureState('ann', now)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
    });

    it('lets exactly one of 10 concurrent uses of one code succeed, and counts the other nine', async () => {
      const lax = new RecoveryCodes(
        store,
        durable,
        hasher,
        {
          maxAttempts: 5,
          lockout: { threshold: 100, baseMs: MINUTE, maxMs: 4 * MINUTE, memoryMs: DAY, permanentAfter: 1000 },
          now: () => now,
        },
        new Events(undefined, () => now),
      );
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => lax.use('ann', codes[0]!)));
      expect(outcomes.filter((o) => o.status === 'verified')).toEqual([{ status: 'verified', remaining: 9 }]);
      expect(outcomes.filter((o) => o.status !== 'verified')).toEqual(
        Array(9).fill({ status: 'wrong', lockedForMs: 0, justLockedOut: false }),
      );
      await expect(lax.count('ann')).resolves.toBe(9);
    });

    it('lets a burst of 20 concurrent guesses during no lock check only lockThreshold of them', async () => {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => recovery().use('ann', wrong)));
      expect(outcomes.filter((o) => o.status === 'wrong')).toHaveLength(3);
      expect(outcomes.filter((o) => o.status === 'locked')).toHaveLength(17);
      await expect(store.getFailureState('ann', now)).resolves.toMatchObject({ failures: 20 });
    });
  });
}

const freshPrefix = (): string => `t${randomBytes(6).toString('hex')}:`;

recoveryContract('one MemoryStore', async () => {
  const store = new MemoryStore();
  return { store, durable: store, cleanup: () => store.close() };
});

recoveryContract('a MemoryStore and a host durable store', async () => {
  const store = new MemoryStore();
  return { store, durable: mapDurableStore(), cleanup: () => store.close() };
});

describe('on Redis', () => {
  let server: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedis();
    client = server.client();
  });
  afterAll(async () => {
    await server.stop();
  });
  recoveryContract('one RedisStore', async () => {
    const store = new RedisStore({ client, prefix: freshPrefix() });
    return { store, durable: store, cleanup: async () => undefined };
  });
  recoveryContract('a RedisStore and a host durable store', async () => ({
    store: new RedisStore({ client, prefix: freshPrefix() }),
    durable: mapDurableStore(),
    cleanup: async () => undefined,
  }));
});
