/**
 * The library's real MethodServices over a real store (MemoryStore, or RedisStore on a redis-server
 * the test started), with a clock the test moves. Failures count as in production: the fifth in a
 * row locks the user for a while (lockout defaults).
 */
import { Challenges, type ChallengeConfig } from '../../../src/core/challenges';
import { Events } from '../../../src/core/events';
import { consoleLogger } from '../../../src/core/logger';
import type { MethodServices } from '../../../src/core/method';
import { methodServices } from '../../../src/core/method-services';
import { Sealer } from '../../../src/core/sealing';
import { Hasher } from '../../../src/core/secrets';
import type { DurableStore, EphemeralStore } from '../../../src/core/store';

const SECRET = 'passkey-test-secret-of-more-than-32-characters';

export interface TestServices extends MethodServices {
  failures(userId: string): Promise<number>;
  clearFailures(userId: string): Promise<void>;
  /** Moves the clock the method and the store see (it stands still otherwise). */
  advance(ms: number): void;
  /** Back to where the clock started. */
  resetClock(): void;
}

/** A store that keeps both kinds of state (MemoryStore, RedisStore): credentials are durable, attempts and claims ephemeral. */
export type BothStores = EphemeralStore & DurableStore;

export function testServices(store: BothStores): TestServices {
  const start = Date.now();
  let clock = start;
  const now = () => clock;
  const config: ChallengeConfig = {
    siteName: 'Passkey test',
    codeTtlMs: 10 * 60_000,
    maxAttempts: 5,
    lockout: { threshold: 5, baseMs: 60_000, maxMs: 3_600_000, memoryMs: 86_400_000, permanentAfter: 100 },
    sendQuota: [],
    resendWaitMs: 30_000,
    sendLimits: { perPhone: [], perIp: [] },
    channelTimeoutMs: 1000,
    onDeliveryFailure: undefined,
    logger: consoleLogger,
    now,
  };
  const events = new Events(undefined, now);
  const services = methodServices(
    store,
    store,
    new Challenges(store, {}, new Hasher(SECRET), config, events),
    new Sealer(SECRET),
    config,
    events,
  );
  return {
    ...services,
    now,
    failures: async (userId) => (await store.getFailureState(userId, clock)).failures,
    clearFailures: async (userId) => void (await store.clearFailures(userId)),
    advance(ms) {
      clock += ms;
    },
    resetClock() {
      clock = start;
    },
  };
}
