/**
 * The memory store's two bounds, run by bench/run.ts in a child process with --expose-gc
 * (`node --expose-gc --import tsx bench/memory.ts`); prints one JSON line on stdout.
 *
 * 1. Expiry: 1,000,000 challenges for distinct users, issued directly on MemoryStore with a short
 *    code lifetime and send window, are all expired and swept; heap used after a full GC must be
 *    within 10 % of where it was before. The cap is set above 1,000,000 so only expiry and the sweep,
 *    never the cap, free the entries. The clock is the caller's (`now` is an argument of every store
 *    method), so nothing waits: the bench moves the clock past every expiry and sweeps.
 * 2. Cap: with `maxEntries` 10,000, a load of issues, wrong codes and trusted devices over 100,000
 *    distinct users, many in flight at once, must never leave more than 10,000 entries in any of the
 *    store's maps (checked after every operation).
 */
import { MemoryStore } from '../src';
import type { AttemptPolicy, ChallengeRecord, IssueLimits } from '../src';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('Run with --expose-gc');

const MB = 1024 * 1024;

function fullGc(): number {
  for (let i = 0; i < 4; i += 1) gc!();
  return process.memoryUsage().heapUsed;
}

/** A 43-character stand-in for an HMAC (base64url of 32 bytes), distinct per i. */
function fakeHash(i: number): string {
  return i.toString(36).padStart(43, 'h');
}

const SEND_QUOTA = [{ windowMs: 1_000, max: 5 }];
const CODE_TTL_MS = 1_000;

async function issueMany(store: MemoryStore, count: number, start: number, from: number): Promise<number> {
  let now = start;
  for (let i = 0; i < count; i += 1) {
    if (i % 1000 === 0) now += 1;
    const userId = `user-${from + i}`;
    const challenge: ChallengeRecord = {
      codeHash: fakeHash(from + i),
      method: 'email',
      destination: `${userId}@example.test`,
      sentAt: now,
      expiresAt: now + CODE_TTL_MS,
    };
    const limits: IssueLimits = { now, sendQuota: SEND_QUOTA, resendWaitMs: 30_000 };
    const outcome = await store.issueChallenge(userId, 'sign-in', challenge, limits);
    if (outcome.status !== 'issued') throw new Error(`issue ${i}: ${outcome.status}`);
  }
  return now;
}

interface Maps {
  challenges: { size: number };
  failures: { size: number };
  sends: { size: number };
  devices: { size: number };
}

/** The store's internal maps (private in TypeScript, plain properties at run time). */
function maps(store: MemoryStore): Maps {
  return store as unknown as Maps;
}

function largest(store: MemoryStore): number {
  const m = maps(store);
  return Math.max(m.challenges.size, m.failures.size, m.sends.size, m.devices.size);
}

async function expiry(): Promise<Record<string, number>> {
  const COUNT = 1_000_000;
  const store = new MemoryStore({ maxEntries: 2_000_000, sweepIntervalMs: 3_600_000 });
  const t0 = Date.now();
  // Warm-up: the same code paths once, so "before" already holds the compiled code and the
  // store's empty maps, not just an empty process.
  const warm = await issueMany(store, 10_000, t0, -10_000);
  store.sweep(warm + 10 * CODE_TTL_MS);
  const before = fullGc();

  const started = performance.now();
  const last = await issueMany(store, COUNT, t0 + 100_000, 0);
  const issueMs = performance.now() - started;
  const liveEntries = maps(store).challenges.size;
  const sendsEntries = maps(store).sends.size;
  const peak = fullGc();

  const sweepStarted = performance.now();
  store.sweep(last + CODE_TTL_MS + 2 * SEND_QUOTA[0]!.windowMs);
  const sweepMs = performance.now() - sweepStarted;
  const left = largest(store);
  const after = fullGc();
  await store.close();
  return {
    challenges: COUNT,
    liveChallengesAtPeak: liveEntries,
    liveSendCountersAtPeak: sendsEntries,
    entriesLeftAfterSweep: left,
    heapBeforeMB: round(before / MB),
    heapPeakMB: round(peak / MB),
    heapAfterMB: round(after / MB),
    heapChangePct: round(((after - before) / before) * 100),
    issueSeconds: round(issueMs / 1000),
    sweepMs: round(sweepMs),
  };
}

async function cap(): Promise<Record<string, number>> {
  const CAP = 10_000;
  const USERS = 100_000;
  const OPERATIONS = 300_000;
  const BATCH = 1_000;
  const store = new MemoryStore({ maxEntries: CAP, sweepIntervalMs: 3_600_000 });
  const policy = (now: number): AttemptPolicy => ({
    now,
    maxAttempts: 5,
    lockThreshold: 5,
    lockBaseMs: 60_000,
    lockMaxMs: 3_600_000,
    failureMemoryMs: 86_400_000,
    permanentAfter: 100,
  });
  let maxSeen = 0;
  const check = (): void => {
    maxSeen = Math.max(maxSeen, largest(store));
    if (largest(store) > CAP) throw new Error(`cap broken: ${largest(store)} entries > ${CAP}`);
  };
  const heapAt: number[] = [];
  let now = Date.now();
  for (let done = 0; done < OPERATIONS; done += BATCH) {
    now += 1;
    const batch: Promise<void>[] = [];
    for (let j = 0; j < BATCH; j += 1) {
      const i = done + j;
      const userId = `user-${(i * 7919) % USERS}`;
      let op: Promise<unknown>;
      switch (i % 3) {
        case 0:
          op = store.issueChallenge(
            userId,
            'sign-in',
            { codeHash: fakeHash(i), method: 'email', destination: `${userId}@example.test`, sentAt: now, expiresAt: now + 600_000 },
            { now, sendQuota: [{ windowMs: 900_000, max: 1_000 }], resendWaitMs: 0 },
          );
          break;
        case 1:
          op = store.verifyChallenge(userId, 'sign-in', fakeHash(-i), policy(now));
          break;
        default:
          op = store.putDevice({
            id: `d${i}`,
            userId,
            label: 'Firefox on Linux',
            createdAt: now,
            lastUsedAt: now,
            expiresAt: now + 30 * 86_400_000,
            secretHash: fakeHash(i),
          });
      }
      batch.push(op.then(check));
    }
    await Promise.all(batch);
    if ((done + BATCH) % 100_000 === 0) heapAt.push(fullGc());
  }
  await store.close();
  return {
    maxEntries: CAP,
    operations: OPERATIONS,
    distinctUsers: USERS,
    largestMapSeen: maxSeen,
    heapAt100kMB: round(heapAt[0]! / MB),
    heapAt300kMB: round(heapAt[heapAt.length - 1]! / MB),
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

async function main(): Promise<void> {
  const result = { expiry: await expiry(), cap: await cap() };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
