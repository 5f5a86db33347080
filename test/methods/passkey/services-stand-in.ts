/**
 * A STAND-IN for MethodServices (in memory), named as such: the library's implementation over the
 * store is being built on another branch. It keeps the parts of the contract these tests rely on:
 * guard() counts the attempt before `verify` runs and clears the failures when it says yes (five
 * failures lock the user out), claimOnce() is true once per token, credentials are kept per user
 * and method. Replaced by the real services over the memory store and Redis once they land.
 */
import type { CheckOutcome } from '../../../src/core/challenges';
import type { MethodId, MethodServices, StoredCredential } from '../../../src/core/method';

export const MAX_FAILURES = 5;

export interface StandInServices extends MethodServices {
  failures(userId: string): number;
  clearFailures(userId: string): void;
  /** Moves the clock the method sees (it stands still otherwise). */
  advance(ms: number): void;
  /** Back to where the clock started. */
  resetClock(): void;
}

export function standInServices(): StandInServices {
  const start = Date.now();
  let clock = start;
  const failures = new Map<string, number>();
  const claimed = new Set<string>();
  const credentials = new Map<string, StoredCredential[]>();
  const key = (userId: string, method: string) => `${userId}\u0000${method}`;

  return {
    siteName: 'Passkey test',
    now: () => clock,
    advance(ms) {
      clock += ms;
    },
    resetClock() {
      clock = start;
    },
    get challenges(): never {
      throw new Error('The passkey method sends no codes.');
    },
    failures: (userId) => failures.get(userId) ?? 0,
    clearFailures: (userId) => void failures.delete(userId),
    async guard(userId, verify): Promise<CheckOutcome> {
      const before = failures.get(userId) ?? 0;
      if (before >= MAX_FAILURES) return { status: 'locked-out', justLockedOut: false };
      failures.set(userId, before + 1);
      if (await verify()) {
        failures.delete(userId);
        return { status: 'verified', challenge: { method: 'email', destination: '', sentAt: clock, expiresAt: clock } };
      }
      const now = failures.get(userId) ?? 0;
      return now >= MAX_FAILURES ? { status: 'locked-out', justLockedOut: true } : { status: 'wrong', attemptsLeft: MAX_FAILURES - now, lockedForMs: 0 };
    },
    async claimOnce(userId, token) {
      const id = key(userId, token);
      if (claimed.has(id)) return false;
      claimed.add(id);
      return true;
    },
    credentials: {
      async list(userId: string, method: MethodId) {
        return (credentials.get(key(userId, method)) ?? []).map((c) => ({ ...c }));
      },
      async put(userId: string, credential: StoredCredential) {
        const list = (credentials.get(key(userId, credential.method)) ?? []).filter((c) => c.id !== credential.id);
        credentials.set(key(userId, credential.method), [...list, { ...credential }]);
      },
      async remove(userId: string, method: MethodId, id: string) {
        const list = credentials.get(key(userId, method)) ?? [];
        credentials.set(key(userId, method), list.filter((c) => c.id !== id));
        return list.some((c) => c.id === id);
      },
    },
    seal: () => {
      throw new Error('The passkey method seals nothing.');
    },
    open: () => {
      throw new Error('The passkey method seals nothing.');
    },
  };
}
