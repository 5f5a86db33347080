import { Hasher } from '../../src/core/secrets';
import type {
  AttemptPolicy,
  ChallengeRecord,
  EphemeralStore,
  IndexedSession,
  IssueLimits,
  RateWindow,
  StoredDevice,
} from '../../src/core/store';
import type { TrustedDevice } from '../../src/types';

/** A trusted device as a store keeps it, for store tests. */
export function storedDevice(userId: string, id: string, createdAt: number, ttlMs: number, hasher: Hasher): StoredDevice {
  return {
    id,
    userId,
    label: 'Firefox 140 on Linux',
    createdAt,
    lastUsedAt: createdAt,
    expiresAt: createdAt + ttlMs,
    secretHash: hasher.hash('device', id, `secret of ${id}`),
  };
}

/**
 * The behaviour every EphemeralStore must share, run against each implementation (the durable part
 * is the shipped `durableStoreContract`). Time is passed in (`now`), never slept through: tests start
 * from the real clock (`t0`) and move forward by explicit amounts, staying well inside the real
 * lifetime of anything a store may expire by its own clock.
 */
export function ephemeralStoreContract(name: string, makeStore: () => Promise<{ store: EphemeralStore; cleanup(): Promise<void> }>): void {
  describe(`${name} satisfies the EphemeralStore contract`, () => {
    const hasher = new Hasher('contract-suite-secret-of-at-least-32-chars');
    const SECOND = 1000;
    const MINUTE = 60 * SECOND;
    const HOUR = 60 * MINUTE;
    const DAY = 24 * HOUR;
    const QUOTA: readonly RateWindow[] = [
      { windowMs: 30 * SECOND, max: 1 },
      { windowMs: 15 * MINUTE, max: 5 },
    ];
    const DESTINATION = 'ann@example.test';

    let store: EphemeralStore;
    let cleanup: () => Promise<void>;
    let t0: number;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
      t0 = Date.now();
    });
    afterEach(async () => {
      await cleanup();
    });

    const codeHash = (userId: string, code: string): string => hasher.hash('code', userId, code);
    const challenge = (userId: string, code: string, sentAt: number): ChallengeRecord => ({
      codeHash: codeHash(userId, code),
      method: 'email',
      destination: DESTINATION,
      sentAt,
      expiresAt: sentAt + 10 * MINUTE,
    });
    const limits = (now: number, sendQuota: readonly RateWindow[] = QUOTA): IssueLimits => ({ now, sendQuota, resendWaitMs: 0 });
    // A high threshold by default, so attempt counting is not mixed up with lock-outs.
    const policy = (now: number, overrides: Partial<AttemptPolicy> = {}): AttemptPolicy => ({
      now,
      maxAttempts: 5,
      lockThreshold: 10,
      lockBaseMs: MINUTE,
      lockMaxMs: 4 * MINUTE,
      failureMemoryMs: DAY,
      permanentAfter: 1000,
      ...overrides,
    });
    const lockPolicy = (now: number, overrides: Partial<AttemptPolicy> = {}): AttemptPolicy =>
      policy(now, { lockThreshold: 3, ...overrides });

    async function issue(userId: string, code: string, now: number, purpose = 'signin'): Promise<void> {
      await expect(store.issueChallenge(userId, purpose, challenge(userId, code, now), limits(now))).resolves.toEqual({ status: 'issued' });
    }
    const verify = (userId: string, code: string, attemptPolicy: AttemptPolicy, purpose = 'signin') =>
      store.verifyChallenge(userId, purpose, codeHash(userId, code), attemptPolicy);

    describe('challenges', () => {
      it('verifies the right code once and returns the challenge without its hash', async () => {
        await issue('ann', '123456', t0);
        await expect(verify('ann', '123456', policy(t0 + SECOND))).resolves.toEqual({
          status: 'verified',
          challenge: { method: 'email', destination: DESTINATION, sentAt: t0, expiresAt: t0 + 10 * MINUTE },
        });
        await expect(verify('ann', '123456', policy(t0 + SECOND))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
      });

      it('counts a wrong code as one attempt and keeps the challenge usable', async () => {
        await issue('ann', '123456', t0);
        await expect(verify('ann', '000000', policy(t0))).resolves.toEqual({ status: 'wrong', attemptsLeft: 4, lockedForMs: 0 });
        await expect(verify('ann', '111111', policy(t0))).resolves.toEqual({ status: 'wrong', attemptsLeft: 3, lockedForMs: 0 });
        await expect(verify('ann', '123456', policy(t0))).resolves.toMatchObject({ status: 'verified' });
      });

      it('burns the challenge when the attempts reach maxAttempts', async () => {
        await issue('ann', '123456', t0);
        for (const attemptsLeft of [4, 3, 2, 1]) {
          await expect(verify('ann', '000000', policy(t0))).resolves.toEqual({ status: 'wrong', attemptsLeft, lockedForMs: 0 });
        }
        await expect(verify('ann', '000000', policy(t0))).resolves.toEqual({ status: 'exhausted', lockedForMs: 0 });
        await expect(verify('ann', '123456', policy(t0))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
      });

      it('keeps the attempt count on a resend and accepts only the new code', async () => {
        await issue('ann', '111111', t0);
        await verify('ann', '000000', policy(t0));
        await verify('ann', '000000', policy(t0));
        await issue('ann', '222222', t0 + 30 * SECOND);
        await expect(verify('ann', '111111', policy(t0 + 31 * SECOND))).resolves.toEqual({
          status: 'wrong',
          attemptsLeft: 2,
          lockedForMs: 0,
        });
        await expect(verify('ann', '222222', policy(t0 + 31 * SECOND))).resolves.toMatchObject({
          status: 'verified',
          challenge: { sentAt: t0 + 30 * SECOND },
        });
      });

      it('starts a fresh attempt count when the previous challenge had expired', async () => {
        await issue('ann', '111111', t0);
        await verify('ann', '000000', policy(t0));
        await issue('ann', '222222', t0 + 11 * MINUTE);
        await expect(verify('ann', '000000', policy(t0 + 11 * MINUTE))).resolves.toEqual({
          status: 'wrong',
          attemptsLeft: 4,
          lockedForMs: 0,
        });
      });

      it('reports an expired code as expired (even the right one), then as missing', async () => {
        await issue('ann', '123456', t0);
        await expect(verify('ann', '123456', policy(t0 + 10 * MINUTE))).resolves.toEqual({ status: 'expired', lockedForMs: 0 });
        await expect(verify('ann', '123456', policy(t0 + 10 * MINUTE))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
        await expect(store.getFailureState('ann', t0 + 10 * MINUTE)).resolves.toEqual({ failures: 2, lockedForMs: 0, lockedOut: false });
      });

      it('reports missing, and counts a failure, when nothing was issued', async () => {
        await expect(verify('ann', '123456', policy(t0))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 1, lockedForMs: 0, lockedOut: false });
      });

      it('discards a challenge', async () => {
        await issue('ann', '123456', t0);
        await store.discardChallenge('ann', 'signin');
        await expect(verify('ann', '123456', policy(t0))).resolves.toMatchObject({ status: 'missing' });
        await expect(store.discardChallenge('nobody', 'signin')).resolves.toBeUndefined();
      });

      it('keeps purposes apart', async () => {
        await issue('ann', '111111', t0, 'signin');
        await issue('ann', '222222', t0 + 30 * SECOND, 'enrol-phone');
        await expect(verify('ann', '222222', policy(t0 + 31 * SECOND), 'signin')).resolves.toMatchObject({ status: 'wrong' });
        await expect(verify('ann', '222222', policy(t0 + 31 * SECOND), 'enrol-phone')).resolves.toMatchObject({ status: 'verified' });
        await expect(verify('ann', '111111', policy(t0 + 31 * SECOND), 'signin')).resolves.toMatchObject({ status: 'verified' });
      });

      it('keeps users apart: the same code hash does not verify another user', async () => {
        await issue('ann', '123456', t0);
        const annsHash = codeHash('ann', '123456');
        await expect(store.verifyChallenge('bob', 'signin', annsHash, policy(t0))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
        await expect(store.getFailureState('bob', t0)).resolves.toEqual({ failures: 1, lockedForMs: 0, lockedOut: false });
        await expect(store.verifyChallenge('ann', 'signin', annsHash, policy(t0))).resolves.toMatchObject({ status: 'verified' });
      });

      it('lets exactly one of 20 concurrent right codes verify', async () => {
        await issue('ann', '123456', t0);
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => verify('ann', '123456', policy(t0))));
        expect(outcomes.filter((o) => o.status === 'verified')).toHaveLength(1);
        for (const outcome of outcomes.filter((o) => o.status !== 'verified')) {
          expect(['missing', 'locked']).toContain(outcome.status);
        }
      });

      it('counts every one of 20 concurrent wrong codes, each against its own attempt', async () => {
        await issue('ann', '123456', t0);
        const lax = policy(t0, { maxAttempts: 50, lockThreshold: 100 });
        const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => verify('ann', `9${String(i).padStart(5, '0')}`, lax)));
        const attemptsLeft = outcomes.map((o) => (o.status === 'wrong' ? o.attemptsLeft : -1)).sort((a, b) => a - b);
        expect(attemptsLeft).toEqual(Array.from({ length: 20 }, (_, i) => 30 + i));
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 20, lockedForMs: 0, lockedOut: false });
      });
    });

    describe('failures and lock-out', () => {
      it('locks at the threshold and doubles the lock with each further failure, up to the cap', async () => {
        const lockedFor: number[] = [];
        for (let i = 0; i < 6; i += 1) {
          const outcome = await verify('ann', '123456', lockPolicy(t0));
          lockedFor.push(outcome.status === 'locked' ? outcome.retryAfterMs : 'lockedForMs' in outcome ? outcome.lockedForMs : -1);
        }
        expect(lockedFor).toEqual([0, 0, MINUTE, 2 * MINUTE, 4 * MINUTE, 4 * MINUTE]);
        await expect(store.getFailureState('ann', t0 + MINUTE)).resolves.toEqual({
          failures: 6,
          lockedForMs: 3 * MINUTE,
          lockedOut: false,
        });
      });

      it('answers "locked" without comparing the code, and keeps the challenge for after the lock', async () => {
        await issue('ann', '123456', t0);
        await verify('ann', '000000', lockPolicy(t0));
        await verify('ann', '000000', lockPolicy(t0));
        await expect(verify('ann', '000000', lockPolicy(t0))).resolves.toEqual({ status: 'wrong', attemptsLeft: 2, lockedForMs: MINUTE });
        // The right code during the lock is one more failure: the lock doubles from now.
        await expect(verify('ann', '123456', lockPolicy(t0 + SECOND))).resolves.toEqual({ status: 'locked', retryAfterMs: 2 * MINUTE });
        await expect(verify('ann', '123456', lockPolicy(t0 + SECOND + 2 * MINUTE))).resolves.toMatchObject({ status: 'verified' });
      });

      it('clears the failures only on success, not when a lock or time passes', async () => {
        for (let i = 0; i < 3; i += 1) await verify('ann', '000000', lockPolicy(t0));
        await expect(store.getFailureState('ann', t0 + MINUTE)).resolves.toEqual({ failures: 3, lockedForMs: 0, lockedOut: false });
        await issue('ann', '123456', t0 + MINUTE);
        await expect(verify('ann', '000000', lockPolicy(t0 + MINUTE))).resolves.toEqual({
          status: 'wrong',
          attemptsLeft: 4,
          lockedForMs: 2 * MINUTE,
        });
        await expect(verify('ann', '123456', lockPolicy(t0 + 3 * MINUTE))).resolves.toMatchObject({ status: 'verified' });
        await expect(store.getFailureState('ann', t0 + 3 * MINUTE)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
        await expect(verify('ann', '000000', lockPolicy(t0 + 3 * MINUTE))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
      });

      it('forgets failures failureMemoryMs after the last one', async () => {
        const remembering = (now: number) => lockPolicy(now, { failureMemoryMs: 5 * MINUTE });
        await verify('ann', '000000', remembering(t0));
        await verify('ann', '000000', remembering(t0));
        await expect(store.getFailureState('ann', t0 + 5 * MINUTE - 1)).resolves.toEqual({ failures: 2, lockedForMs: 0, lockedOut: false });
        await expect(store.getFailureState('ann', t0 + 5 * MINUTE)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
        // Had the two failures been remembered, this third one would lock.
        await expect(verify('ann', '000000', remembering(t0 + 5 * MINUTE))).resolves.toEqual({ status: 'missing', lockedForMs: 0 });
      });

      it('never shortens a lock, even when a later failure computes a shorter one', async () => {
        const long = (now: number) => lockPolicy(now, { lockBaseMs: 10 * MINUTE, lockMaxMs: 10 * MINUTE });
        for (let i = 0; i < 3; i += 1) await verify('ann', '000000', long(t0));
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 3, lockedForMs: 10 * MINUTE, lockedOut: false });
        const short = lockPolicy(t0 + MINUTE, { lockBaseMs: SECOND, lockMaxMs: SECOND });
        await expect(verify('ann', '000000', short)).resolves.toEqual({ status: 'locked', retryAfterMs: 9 * MINUTE });
        await expect(store.getFailureState('ann', t0 + MINUTE)).resolves.toEqual({
          failures: 4,
          lockedForMs: 9 * MINUTE,
          lockedOut: false,
        });
      });

      it('sends no code to a locked user, and does not count the refusal as a send', async () => {
        for (let i = 0; i < 3; i += 1) await verify('ann', '000000', lockPolicy(t0));
        await expect(store.issueChallenge('ann', 'signin', challenge('ann', '123456', t0 + SECOND), limits(t0 + SECOND))).resolves.toEqual({
          status: 'locked',
          retryAfterMs: MINUTE - SECOND,
        });
        await expect(store.issueChallenge('ann', 'signin', challenge('ann', '123456', t0 + MINUTE), limits(t0 + MINUTE))).resolves.toEqual({
          status: 'issued',
        });
      });

      it('locks out for good at permanentAfter failures: no send, no comparison, no expiry, until cleared', async () => {
        const strict = (now: number) => lockPolicy(now, { permanentAfter: 4 });
        await issue('ann', '123456', t0);
        for (let i = 0; i < 3; i += 1) await verify('ann', '000000', strict(t0 + i * HOUR));
        await expect(verify('ann', '000000', strict(t0 + 3 * HOUR))).resolves.toEqual({ status: 'locked-out', justLockedOut: true });
        await expect(verify('ann', '123456', strict(t0 + 400 * DAY))).resolves.toEqual({ status: 'locked-out', justLockedOut: false });
        await expect(store.getFailureState('ann', t0 + 400 * DAY)).resolves.toEqual({ failures: 4, lockedForMs: 0, lockedOut: true });
        await expect(
          store.issueChallenge('ann', 'signin', challenge('ann', '123456', t0 + 400 * DAY), limits(t0 + 400 * DAY)),
        ).resolves.toEqual({
          status: 'locked-out',
        });
        await expect(store.clearFailures('ann')).resolves.toBe(true);
        await expect(store.clearFailures('ann')).resolves.toBe(false);
        await expect(store.getFailureState('ann', t0 + 400 * DAY)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
        await issue('ann', '654321', t0 + 400 * DAY);
        await expect(verify('ann', '654321', strict(t0 + 400 * DAY))).resolves.toMatchObject({ status: 'verified' });
      });

      it('reports no failures for an unknown user', async () => {
        await expect(store.getFailureState('nobody', t0)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
      });
    });

    describe('send quota', () => {
      it('allows one send per 30 s and five per 15 min, and says when room opens', async () => {
        const send = (now: number) => store.issueChallenge('ann', 'signin', challenge('ann', '123456', now), limits(now));
        await expect(send(t0)).resolves.toEqual({ status: 'issued' });
        await expect(send(t0 + SECOND)).resolves.toEqual({ status: 'throttled', retryAfterMs: 29 * SECOND, scope: 'quota' });
        for (const at of [30, 60, 90, 120]) await expect(send(t0 + at * SECOND)).resolves.toEqual({ status: 'issued' });
        // Five sends in 15 minutes: room opens when the first (at t0) leaves the window.
        await expect(send(t0 + 150 * SECOND)).resolves.toEqual({
          status: 'throttled',
          retryAfterMs: 15 * MINUTE - 150 * SECOND,
          scope: 'quota',
        });
        await expect(send(t0 + 15 * MINUTE - 1)).resolves.toEqual({ status: 'throttled', retryAfterMs: 1, scope: 'quota' });
        await expect(send(t0 + 15 * MINUTE)).resolves.toEqual({ status: 'issued' });
      });

      it('counts sends per user, across challenges', async () => {
        await issue('ann', '111111', t0, 'signin');
        await expect(store.issueChallenge('ann', 'enrol-phone', challenge('ann', '222222', t0), limits(t0))).resolves.toEqual({
          status: 'throttled',
          retryAfterMs: 30 * SECOND,
          scope: 'quota',
        });
        await issue('bob', '333333', t0, 'signin');
      });

      it('holds a resend by the same method for the same challenge, not another method or challenge', async () => {
        const wait = { ...limits(t0, [{ windowMs: MINUTE, max: 10 }]), resendWaitMs: 30 * SECOND };
        const send = (id: string, method: ChallengeRecord['method'], now: number) =>
          store.issueChallenge('ann', id, { ...challenge('ann', '123456', now), method }, { ...wait, now });
        await expect(send('signin:a', 'email', t0)).resolves.toEqual({ status: 'issued' });
        await expect(send('signin:a', 'email', t0 + 10 * SECOND)).resolves.toEqual({
          status: 'throttled',
          retryAfterMs: 20 * SECOND,
          scope: 'resend',
        });
        await expect(send('signin:b', 'email', t0 + 10 * SECOND)).resolves.toEqual({ status: 'issued' });
        await expect(send('signin:a', 'sms', t0 + 10 * SECOND)).resolves.toEqual({ status: 'issued' });
        await expect(send('signin:a', 'sms', t0 + 20 * SECOND)).resolves.toMatchObject({ scope: 'resend' });
        await expect(send('signin:a', 'sms', t0 + 40 * SECOND)).resolves.toEqual({ status: 'issued' });
        // A refused resend is not a send: the quota still has room for the rest.
        await expect(store.getFailureState('ann', t0)).resolves.toMatchObject({ failures: 0 });
      });

      it('keeps one challenge per id: a code for one attempt does not verify another', async () => {
        const roomy = limits(t0, [{ windowMs: MINUTE, max: 10 }]);
        await store.issueChallenge('ann', 'signin:a', challenge('ann', '111111', t0), roomy);
        await store.issueChallenge('ann', 'signin:b', challenge('ann', '222222', t0), roomy);
        await expect(verify('ann', '111111', policy(t0), 'signin:b')).resolves.toMatchObject({ status: 'wrong' });
        await expect(verify('ann', '111111', policy(t0), 'signin:a')).resolves.toMatchObject({ status: 'verified' });
        await expect(verify('ann', '222222', policy(t0), 'signin:b')).resolves.toMatchObject({ status: 'verified' });
      });

      it('admits exactly max of many concurrent sends in the same millisecond', async () => {
        const quota = [{ windowMs: MINUTE, max: 3 }];
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.issueChallenge('ann', `p${i}`, challenge('ann', '123456', t0), limits(t0, quota))),
        );
        expect(outcomes.filter((o) => o.status === 'issued')).toHaveLength(3);
        expect(outcomes.filter((o) => o.status === 'throttled')).toEqual(
          Array(7).fill({ status: 'throttled', retryAfterMs: MINUTE, scope: 'quota' }),
        );
      });
    });

    describe('quota buckets', () => {
      const hit = (bucket: string, now: number, windows: readonly RateWindow[] = QUOTA) => store.hitQuota(bucket, windows, now);

      it('counts hits against every window and says when room opens', async () => {
        const bucket = 'phone:+15005550006';
        await expect(hit(bucket, t0)).resolves.toEqual({ allowed: true });
        await expect(hit(bucket, t0 + SECOND)).resolves.toEqual({ allowed: false, retryAfterMs: 29 * SECOND });
        for (const at of [30, 60, 90, 120]) await expect(hit(bucket, t0 + at * SECOND)).resolves.toEqual({ allowed: true });
        // Five hits in 15 minutes: room opens when the first (at t0) leaves the window.
        await expect(hit(bucket, t0 + 150 * SECOND)).resolves.toEqual({ allowed: false, retryAfterMs: 15 * MINUTE - 150 * SECOND });
        await expect(hit(bucket, t0 + 15 * MINUTE - 1)).resolves.toEqual({ allowed: false, retryAfterMs: 1 });
        await expect(hit(bucket, t0 + 15 * MINUTE)).resolves.toEqual({ allowed: true });
      });

      it('does not count a refused hit', async () => {
        const quota = [{ windowMs: MINUTE, max: 2 }];
        await hit('ip:203.0.113.7', t0, quota);
        await hit('ip:203.0.113.7', t0 + 10 * SECOND, quota);
        for (const at of [20, 30, 40])
          await expect(hit('ip:203.0.113.7', t0 + at * SECOND, quota)).resolves.toMatchObject({ allowed: false });
        // Had the refusals counted, the window would still be full.
        await expect(hit('ip:203.0.113.7', t0 + MINUTE, quota)).resolves.toEqual({ allowed: true });
      });

      it('keeps buckets apart, and apart from the per-user send quota', async () => {
        await expect(hit('phone:+15005550006', t0)).resolves.toEqual({ allowed: true });
        await expect(hit('phone:+15005550007', t0)).resolves.toEqual({ allowed: true });
        await expect(hit('ip:203.0.113.7', t0)).resolves.toEqual({ allowed: true });
        await expect(hit('ann', t0)).resolves.toEqual({ allowed: true });
        await issue('ann', '123456', t0);
        await expect(hit('phone:+15005550006', t0)).resolves.toMatchObject({ allowed: false });
      });

      it('admits exactly max of many concurrent hits in the same millisecond', async () => {
        const quota = [{ windowMs: MINUTE, max: 3 }];
        const outcomes = await Promise.all(Array.from({ length: 10 }, () => hit('phone:+15005550006', t0, quota)));
        expect(outcomes.filter((o) => o.allowed)).toHaveLength(3);
        expect(outcomes.filter((o) => !o.allowed)).toEqual(Array(7).fill({ allowed: false, retryAfterMs: MINUTE }));
      });
    });

    describe('attempts checked outside the store', () => {
      const attempt = (userId: string, attemptPolicy: AttemptPolicy) => store.recordAttempt(userId, attemptPolicy);

      it('counts each attempt up front as one failure, locking at the threshold like a wrong code', async () => {
        await expect(attempt('ann', lockPolicy(t0))).resolves.toEqual({ status: 'counted', lockedForMs: 0, justLockedOut: false });
        await expect(attempt('ann', lockPolicy(t0))).resolves.toEqual({ status: 'counted', lockedForMs: 0, justLockedOut: false });
        await expect(attempt('ann', lockPolicy(t0))).resolves.toEqual({ status: 'counted', lockedForMs: MINUTE, justLockedOut: false });
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 3, lockedForMs: MINUTE, lockedOut: false });
        await expect(store.getFailureState('bob', t0)).resolves.toEqual({ failures: 0, lockedForMs: 0, lockedOut: false });
      });

      it('shares the failure record with codes sent', async () => {
        await verify('ann', '000000', lockPolicy(t0));
        await attempt('ann', lockPolicy(t0));
        await expect(attempt('ann', lockPolicy(t0))).resolves.toEqual({ status: 'counted', lockedForMs: MINUTE, justLockedOut: false });
        await issue('ann', '123456', t0 + MINUTE);
        await expect(verify('ann', '000000', lockPolicy(t0 + MINUTE))).resolves.toEqual({
          status: 'wrong',
          attemptsLeft: 4,
          lockedForMs: 2 * MINUTE,
        });
      });

      it('refuses during a back-off, counting the refusal so the lock doubles from now', async () => {
        for (let i = 0; i < 3; i += 1) await attempt('ann', lockPolicy(t0));
        await expect(attempt('ann', lockPolicy(t0 + SECOND))).resolves.toEqual({ status: 'locked', retryAfterMs: 2 * MINUTE });
        await expect(store.getFailureState('ann', t0 + SECOND)).resolves.toEqual({
          failures: 4,
          lockedForMs: 2 * MINUTE,
          lockedOut: false,
        });
        await expect(attempt('ann', lockPolicy(t0 + SECOND + 2 * MINUTE))).resolves.toEqual({
          status: 'counted',
          lockedForMs: 4 * MINUTE,
          justLockedOut: false,
        });
      });

      it('forgets the counted attempt when the caller clears the failures after a right answer', async () => {
        await attempt('ann', lockPolicy(t0));
        await attempt('ann', lockPolicy(t0));
        await expect(store.clearFailures('ann')).resolves.toBe(true);
        // Had the two attempts been remembered, this third one would lock.
        await expect(attempt('ann', lockPolicy(t0))).resolves.toEqual({ status: 'counted', lockedForMs: 0, justLockedOut: false });
      });

      it('locks out for good at permanentAfter, then counts nothing until cleared', async () => {
        const strict = (now: number) => lockPolicy(now, { permanentAfter: 4 });
        for (let i = 0; i < 3; i += 1) await attempt('ann', strict(t0 + i * HOUR));
        await expect(attempt('ann', strict(t0 + 3 * HOUR))).resolves.toEqual({
          status: 'counted',
          lockedForMs: 2 * MINUTE,
          justLockedOut: true,
        });
        await expect(attempt('ann', strict(t0 + 400 * DAY))).resolves.toEqual({ status: 'locked-out', justLockedOut: false });
        await expect(store.getFailureState('ann', t0 + 400 * DAY)).resolves.toEqual({ failures: 4, lockedForMs: 0, lockedOut: true });
        await expect(verify('ann', '123456', strict(t0 + 400 * DAY))).resolves.toEqual({ status: 'locked-out', justLockedOut: false });
        await store.clearFailures('ann');
        await expect(attempt('ann', strict(t0 + 400 * DAY))).resolves.toEqual({ status: 'counted', lockedForMs: 0, justLockedOut: false });
      });

      it('reports the permanent lock-out reached by a refusal during a back-off', async () => {
        const strict = (now: number) => lockPolicy(now, { permanentAfter: 4 });
        for (let i = 0; i < 3; i += 1) await attempt('ann', strict(t0));
        await expect(attempt('ann', strict(t0 + SECOND))).resolves.toEqual({ status: 'locked-out', justLockedOut: true });
        await expect(store.getFailureState('ann', t0 + SECOND)).resolves.toMatchObject({ failures: 4, lockedOut: true });
      });

      it('counts a recovery attempt of a user locked out for good, at the pace of the back-off, never answering locked-out', async () => {
        const strict = (now: number) => lockPolicy(now, { permanentAfter: 4 });
        for (let i = 0; i < 3; i += 1) await attempt('ann', strict(t0));
        // The refusal during the back-off that reaches permanentAfter is still just 'locked'.
        await expect(store.recordAttempt('ann', strict(t0 + SECOND), { recovery: true })).resolves.toEqual({
          status: 'locked',
          retryAfterMs: 2 * MINUTE,
        });
        await expect(store.getFailureState('ann', t0 + SECOND)).resolves.toEqual({ failures: 4, lockedForMs: 2 * MINUTE, lockedOut: true });
        await expect(attempt('ann', strict(t0 + DAY))).resolves.toEqual({ status: 'locked-out', justLockedOut: false });
        await expect(store.recordAttempt('ann', strict(t0 + DAY), { recovery: true })).resolves.toEqual({
          status: 'counted',
          lockedForMs: 4 * MINUTE,
          justLockedOut: false,
        });
        await expect(store.recordAttempt('ann', strict(t0 + DAY + MINUTE), { recovery: true })).resolves.toEqual({
          status: 'locked',
          retryAfterMs: 4 * MINUTE,
        });
        await expect(store.getFailureState('ann', t0 + DAY + MINUTE)).resolves.toEqual({
          failures: 6,
          lockedForMs: 4 * MINUTE,
          lockedOut: true,
        });
      });

      it('reports the permanent lock-out a recovery attempt reaches, as a wrong code would', async () => {
        const strict = (now: number) => lockPolicy(now, { permanentAfter: 2 });
        await attempt('ann', strict(t0));
        await expect(store.recordAttempt('ann', strict(t0), { recovery: true })).resolves.toEqual({
          status: 'counted',
          lockedForMs: 0,
          justLockedOut: true,
        });
      });

      it('lets only lockThreshold of 20 concurrent attempts through before the lock, and counts all 20', async () => {
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => attempt('ann', lockPolicy(t0))));
        const counted = outcomes.filter((o) => o.status === 'counted');
        expect(counted.map((o) => o.lockedForMs).sort((a, b) => a - b)).toEqual([0, 0, MINUTE]);
        expect(outcomes.filter((o) => o.status === 'locked')).toHaveLength(17);
        await expect(store.getFailureState('ann', t0)).resolves.toEqual({ failures: 20, lockedForMs: 4 * MINUTE, lockedOut: false });
      });
    });

    describe('one-time claims', () => {
      it('claims a token once per user within its lifetime, and again after it', async () => {
        await expect(store.claimOnce('ann', 'totp:57323', MINUTE, t0)).resolves.toBe(true);
        await expect(store.claimOnce('ann', 'totp:57323', MINUTE, t0 + MINUTE - 1)).resolves.toBe(false);
        await expect(store.claimOnce('ann', 'totp:57324', MINUTE, t0)).resolves.toBe(true);
        await expect(store.claimOnce('bob', 'totp:57323', MINUTE, t0)).resolves.toBe(true);
        await expect(store.claimOnce('ann', 'totp:57323', MINUTE, t0 + MINUTE)).resolves.toBe(true);
        // The new claim holds for its own lifetime.
        await expect(store.claimOnce('ann', 'totp:57323', MINUTE, t0 + 2 * MINUTE - 1)).resolves.toBe(false);
      });

      it('keeps a refused claim from extending the first one', async () => {
        await store.claimOnce('ann', 'step', MINUTE, t0);
        await expect(store.claimOnce('ann', 'step', 10 * MINUTE, t0 + SECOND)).resolves.toBe(false);
        await expect(store.claimOnce('ann', 'step', MINUTE, t0 + MINUTE)).resolves.toBe(true);
      });

      it('lets exactly one of 20 concurrent claims of the same token win', async () => {
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.claimOnce('ann', 'totp:57323', MINUTE, t0)));
        expect(outcomes.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('session index', () => {
      const session = (id: string, createdAt: number, ttl = DAY): IndexedSession => ({
        id,
        createdAt,
        label: 'Firefox 133 on Windows',
        expiresAt: createdAt + ttl,
      });

      it('lists a user’s unexpired sessions, oldest first, and forgets expired ones', async () => {
        await store.putSession('ann', session('s2', t0 + SECOND));
        await store.putSession('ann', { ...session('s1', t0), placeHint: '203.0.113.x' });
        await store.putSession('ann', session('s3', t0, MINUTE));
        await store.putSession('bob', session('b1', t0));
        await expect(store.listSessions('ann', t0 + 2 * SECOND)).resolves.toEqual([
          { ...session('s1', t0), placeHint: '203.0.113.x' },
          session('s3', t0, MINUTE),
          session('s2', t0 + SECOND),
        ]);
        await expect(store.listSessions('ann', t0 + MINUTE)).resolves.toEqual([
          { ...session('s1', t0), placeHint: '203.0.113.x' },
          session('s2', t0 + SECOND),
        ]);
        // The expired entry is gone, not just hidden.
        await expect(store.deleteSessions('ann', ['s3'])).resolves.toBe(0);
        await expect(store.listSessions('nobody', t0)).resolves.toEqual([]);
      });

      it('replaces an entry with the same id, and deletes only what it names', async () => {
        await store.putSession('ann', session('s1', t0));
        await store.putSession('ann', { ...session('s1', t0), label: 'Safari 18 on iOS' });
        await store.putSession('ann', session('s2', t0));
        await expect(store.deleteSessions('ann', ['s1', 'missing'])).resolves.toBe(1);
        await expect(store.deleteSessions('ann', [])).resolves.toBe(0);
        await expect(store.listSessions('ann', t0)).resolves.toEqual([session('s2', t0)]);
      });
    });

    describe('trusted devices', () => {
      const TTL = 30 * DAY;
      const device = (userId: string, id: string, createdAt: number, ttlMs = TTL): StoredDevice =>
        storedDevice(userId, id, createdAt, ttlMs, hasher);
      const visible = ({ secretHash: _secret, ...rest }: StoredDevice): TrustedDevice => rest;

      it('lists unexpired devices, most recently trusted first, without their secrets', async () => {
        const d1 = device('ann', 'd1', t0);
        const d2 = device('ann', 'd2', t0 + 2 * SECOND);
        const d3 = device('ann', 'd3', t0 + SECOND);
        for (const d of [d1, d2, d3]) await store.putDevice(d);
        await expect(store.listDevices('ann', t0 + 3 * SECOND)).resolves.toEqual([d2, d3, d1].map(visible));
        await expect(store.listDevices('bob', t0)).resolves.toEqual([]);
      });

      it('uses a device with its secret: records lastUsedAt and never extends expiresAt', async () => {
        const d1 = device('ann', 'd1', t0);
        await store.putDevice(d1);
        const used = { ...visible(d1), lastUsedAt: t0 + DAY };
        await expect(store.useDevice('ann', 'd1', d1.secretHash, t0 + DAY)).resolves.toEqual(used);
        await expect(store.listDevices('ann', t0 + DAY)).resolves.toEqual([used]);
      });

      it('refuses a wrong secret, another user and an unknown device, without recording a use', async () => {
        const d1 = device('ann', 'd1', t0);
        const d2 = device('ann', 'd2', t0);
        await store.putDevice(d1);
        await store.putDevice(d2);
        await expect(store.useDevice('ann', 'd1', d2.secretHash, t0 + SECOND)).resolves.toBeNull();
        await expect(store.useDevice('bob', 'd1', d1.secretHash, t0 + SECOND)).resolves.toBeNull();
        await expect(store.useDevice('ann', 'd9', d1.secretHash, t0 + SECOND)).resolves.toBeNull();
        const listed = await store.listDevices('ann', t0 + SECOND);
        expect(listed.map((d) => d.lastUsedAt)).toEqual([t0, t0]);
      });

      it('neither uses nor lists an expired device', async () => {
        const short = device('ann', 'short', t0, MINUTE);
        const long = device('ann', 'long', t0 - SECOND);
        await store.putDevice(short);
        await store.putDevice(long);
        await expect(store.listDevices('ann', t0 + MINUTE - 1)).resolves.toHaveLength(2);
        await expect(store.useDevice('ann', 'short', short.secretHash, t0 + MINUTE)).resolves.toBeNull();
        await expect(store.listDevices('ann', t0 + MINUTE)).resolves.toEqual([visible(long)]);
        await expect(store.useDevice('ann', 'long', long.secretHash, t0 + MINUTE)).resolves.toMatchObject({ id: 'long' });
      });

      it('deletes one device of its own user', async () => {
        const d1 = device('ann', 'd1', t0);
        await store.putDevice(d1);
        await store.putDevice(device('ann', 'd2', t0 + SECOND));
        await expect(store.deleteDevice('bob', 'd1')).resolves.toBe(false);
        await expect(store.deleteDevice('ann', 'd1')).resolves.toBe(true);
        await expect(store.deleteDevice('ann', 'd1')).resolves.toBe(false);
        await expect(store.useDevice('ann', 'd1', d1.secretHash, t0 + SECOND)).resolves.toBeNull();
        await expect(store.listDevices('ann', t0 + SECOND)).resolves.toMatchObject([{ id: 'd2' }]);
      });

      it('deletes all devices of one user and counts them', async () => {
        const d1 = device('ann', 'd1', t0);
        await store.putDevice(d1);
        await store.putDevice(device('ann', 'd2', t0));
        await store.putDevice(device('bob', 'd3', t0));
        await expect(store.deleteAllDevices('ann')).resolves.toBe(2);
        await expect(store.listDevices('ann', t0)).resolves.toEqual([]);
        await expect(store.useDevice('ann', 'd1', d1.secretHash, t0)).resolves.toBeNull();
        await expect(store.listDevices('bob', t0)).resolves.toMatchObject([{ id: 'd3' }]);
        await expect(store.deleteAllDevices('ann')).resolves.toBe(0);
      });
    });

    it('starts without durable state when init() exists', async () => {
      await expect(Promise.resolve(store.init?.({ durable: false }))).resolves.toBeUndefined();
    });
  });
}
