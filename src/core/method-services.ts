import { attemptPolicy, lockEvents, type ChallengeConfig, type Challenges } from './challenges';
import type { Events } from './events';
import type { AnswerOutcome, MethodServices } from './method';
import type { Sealer } from './sealing';
import type { DurableStore, EphemeralStore } from './store';

/** The core services every method gets: attempts and claims in the ephemeral store, credentials in the durable one. */
export function methodServices(
  store: EphemeralStore,
  durable: DurableStore,
  challenges: Challenges,
  sealer: Sealer,
  config: Pick<ChallengeConfig, 'siteName' | 'maxAttempts' | 'lockout' | 'now'>,
  events: Events,
): MethodServices {
  return {
    siteName: config.siteName,
    now: config.now,
    challenges,
    async guard(userId, verify): Promise<AnswerOutcome> {
      // Counted before the answer is checked: parallel guesses each pay for themselves.
      const attempt = await store.recordAttempt(userId, attemptPolicy(config));
      if (attempt.status === 'locked') return attempt;
      if (attempt.status === 'locked-out') {
        lockEvents(events, userId, attempt);
        return attempt;
      }
      if (await verify()) {
        await store.clearFailures(userId);
        return { status: 'verified' };
      }
      lockEvents(events, userId, attempt);
      return attempt.justLockedOut ? { status: 'locked-out', justLockedOut: true } : { status: 'wrong', lockedForMs: attempt.lockedForMs };
    },
    claimOnce: (userId, token, ttlMs) => store.claimOnce(userId, token, ttlMs, config.now()),
    credentials: {
      list: (userId, method) => durable.listCredentials(userId, method),
      put: (userId, credential) => durable.putCredential(userId, credential),
      remove: (userId, method, id) => durable.deleteCredential(userId, method, id),
    },
    seal: (plain, context) => sealer.seal(plain, context),
    open: (sealed, context) => sealer.open(sealed, context),
  };
}
