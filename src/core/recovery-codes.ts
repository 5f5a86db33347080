import { randomInt } from 'node:crypto';
import type { DurableStore, EphemeralStore } from './store';
import { attemptPolicy, lockEvents, type ChallengeConfig } from './challenges';
import type { Actor, Events } from './events';
import type { Hasher } from './secrets';

/** Ten codes; each 10 characters from a 31-letter alphabet (~49 bits), shown as "abcde-fghjk". */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789'; // no 0/o, 1/l/i: read off paper without doubt
const LENGTH = 10;

export type RecoveryOutcome =
  | { status: 'verified'; remaining: number }
  | { status: 'wrong'; lockedForMs: number; justLockedOut: boolean }
  | { status: 'locked'; retryAfterMs: number };

/**
 * Single-use recovery codes for a user who lost their phone. Stored only as keyed hashes (in the
 * durable store), shown once, regenerated as a whole set, and checked under the same attempt limits
 * and lock-out as codes (in the ephemeral store).
 */
export class RecoveryCodes {
  constructor(
    private readonly store: EphemeralStore,
    private readonly durable: DurableStore,
    private readonly hasher: Hasher,
    private readonly config: Pick<ChallengeConfig, 'maxAttempts' | 'lockout' | 'now'>,
    private readonly events: Events,
  ) {}

  /** A new set of codes for the user; the old set stops working. Show the result once. */
  async generate(userId: string, by: Actor): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, randomCode);
    await this.durable.setRecoveryCodes(
      userId,
      codes.map((code) => this.hash(userId, normaliseRecoveryCode(code) ?? '')),
    );
    this.events.emit({ type: 'recovery.generated', userId, count: codes.length, by });
    return codes;
  }

  count(userId: string): Promise<number> {
    return this.durable.countRecoveryCodes(userId);
  }

  async use(userId: string, typed: string): Promise<RecoveryOutcome | { status: 'malformed' }> {
    const code = normaliseRecoveryCode(typed);
    if (code === null) return { status: 'malformed' };
    const outcome = await this.check(userId, this.hash(userId, code));
    if (outcome.status === 'verified') {
      this.events.emit({ type: 'recovery.used', userId, remaining: outcome.remaining });
    } else {
      this.events.emit({ type: 'code.rejected', userId, purpose: 'recovery', reason: outcome.status });
      lockEvents(this.events, userId, outcome);
    }
    return outcome;
  }

  /**
   * The failure is counted first (and refused during a back-off, so a lock is no free oracle: the code
   * is not even looked up), then the code consumed; a right code clears the failures, a permanent
   * lock-out included: a recovery code is the user's own way out of it.
   */
  private async check(userId: string, codeHash: string): Promise<RecoveryOutcome> {
    const attempt = await this.store.recordAttempt(userId, attemptPolicy(this.config), { recovery: true });
    // With `recovery` the store never answers 'locked-out'.
    if (attempt.status !== 'counted') return { status: 'locked', retryAfterMs: attempt.status === 'locked' ? attempt.retryAfterMs : 0 };
    const remaining = await this.durable.consumeRecoveryCode(userId, codeHash);
    if (remaining === null) return { status: 'wrong', lockedForMs: attempt.lockedForMs, justLockedOut: attempt.justLockedOut };
    await this.store.clearFailures(userId);
    return { status: 'verified', remaining };
  }

  private hash(userId: string, code: string): string {
    return this.hasher.hash('recovery', userId, code);
  }
}

function randomCode(): string {
  const chars = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Case, spaces and dashes do not matter; anything outside the alphabet means it is not a recovery code. */
export function normaliseRecoveryCode(typed: string): string | null {
  if (typed.length > 40) return null;
  const code = typed.toLowerCase().replace(/[\s-]/g, '');
  return code.length === LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null;
}
