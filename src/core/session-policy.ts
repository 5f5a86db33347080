import type { LoadedUser } from './users';

/**
 * The session policy's rules (idle timeout, absolute lifetime, network binding), pure: the guard
 * applies them to what the session already holds, so an ordinary request costs no store call.
 */

/** Whether the user's sessions follow the policy: their own setting or their account's. */
export function hasSessionPolicy(user: Pick<LoadedUser, 'settings' | 'account'>): boolean {
  return user.settings.sessionPolicy === true || user.account?.sessionPolicy === true;
}

/** What a session signed in under the policy carries (see VerifiedState.policy). */
export interface SessionPolicyState {
  idleMs: number;
  /** The session ends at this time (ms) whatever the activity. */
  absoluteUntil: number;
  /** The client network at sign-in (see clientNetwork), when the session is bound to it. */
  network?: string;
}

/**
 * How often activity is written into the session: a tenth of the idle timeout, between 1 s and
 * 1 min (so the default 15 min costs at most one session write a minute).
 */
export function touchIntervalMs(idleMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(idleMs / 10)));
}

/**
 * When the session ends. Activity is recorded only once per interval, so the last request may be
 * up to an interval later than `lastActiveAt`: the interval is added, never ending a session early.
 */
export function sessionEndsAt(policy: SessionPolicyState, lastActiveAt: number): number {
  return Math.min(lastActiveAt + policy.idleMs + touchIntervalMs(policy.idleMs), policy.absoluteUntil);
}

/** Whether a request at `now` from `network` finds the session already ended. */
export function sessionEnded(policy: SessionPolicyState, lastActiveAt: number, now: number, network: string): boolean {
  if (policy.network !== undefined && policy.network !== network) return true;
  return now >= sessionEndsAt(policy, lastActiveAt);
}
