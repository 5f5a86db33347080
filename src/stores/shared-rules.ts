/** Rules every store applies alike, so that they lock and list identically. */
import type { AttemptPolicy } from '../core/store';

/**
 * Backoff after `failures` consecutive failures: none below the threshold, then `base`, doubling
 * with each further failure, capped at `max`. Shared by every store so they lock identically.
 */
export function lockDurationMs(failures: number, policy: Pick<AttemptPolicy, 'lockThreshold' | 'lockBaseMs' | 'lockMaxMs'>): number {
  if (failures < policy.lockThreshold) return 0;
  const doublings = Math.min(failures - policy.lockThreshold, 30);
  return Math.min(policy.lockMaxMs, policy.lockBaseMs * 2 ** doublings);
}

/** Oldest first (sessions by sign-in, credentials by creation), then by id, so every store lists ties alike. */
export function oldestFirst(a: { createdAt: number; id: string }, b: { createdAt: number; id: string }): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
