import type { MethodId } from './method';
import type { DeliveryMethod, Logger } from '../types';
import { consoleLogger } from './logger';

/** Who did something to a user's security settings. */
export type Actor = { kind: 'user' } | { kind: 'admin'; adminId: string } | { kind: 'host' };

/**
 * One event per security-relevant step, for the host's audit log. No event ever carries a code, a
 * device token or a full phone number: destinations are masked.
 */
export type TwoFactorEvent = { at: number } & (
  | { type: 'challenge.issued'; userId: string; purpose: string; method: DeliveryMethod; destination: string }
  | { type: 'challenge.throttled'; userId: string; purpose: string; retryAfterMs: number }
  | { type: 'code.verified'; userId: string; purpose: string; method: MethodId }
  | {
      type: 'code.rejected';
      userId: string;
      purpose: string;
      reason: 'wrong' | 'expired' | 'exhausted' | 'missing' | 'malformed' | 'locked';
    }
  | { type: 'user.locked'; userId: string; lockedForMs: number }
  /** The code step is shut for the user until a recovery code or an admin clears it. */
  | { type: 'user.locked-out'; userId: string }
  | { type: 'user.unlocked'; userId: string; by: Actor }
  /** Signed-in sessions ended from outside them (settings page, admin, host). */
  | { type: 'sessions.ended'; userId: string; count: number; by: Actor }
  | { type: 'delivery.failed'; userId: string; purpose: string; method: DeliveryMethod; destination: string; errorCode: string }
  | { type: 'device.trusted'; userId: string; deviceId: string; label: string }
  | { type: 'device.revoked'; userId: string; deviceId: string | null; count: number; by: Actor }
  | { type: 'phone.enrolled'; userId: string; phone: string }
  | { type: 'phone.changed'; userId: string; phone: string | null; by: Actor }
  /** An admin typed a number in; it is the user's once their next sign-in's code comes back. */
  | { type: 'phone.set-by-admin'; userId: string; phone: string; by: Actor }
  | { type: 'method.changed'; userId: string; from: MethodId; to: MethodId; by: Actor }
  | { type: 'credential.added'; userId: string; method: MethodId; credentialId: string }
  | { type: 'credential.removed'; userId: string; method: MethodId; credentialId: string; by: Actor }
  | { type: 'email-codes.switched'; userId: string; allowed: boolean; by: Actor }
  | { type: 'user.2fa-switched'; userId: string; enabled: boolean; by: Actor }
  | { type: 'enforcement.enabled'; accountId: string; by: Actor }
  /** Clients that cannot do 2FA were blocked (or allowed again) for one user, or for a whole account. */
  | { type: 'clients.switched'; userId: string; blocked: boolean; by: Actor }
  | { type: 'account.clients-switched'; accountId: string; blocked: boolean; by: Actor }
  /** The session policy was switched on or off for one user, or on (one-way) for a whole account. */
  | { type: 'session-policy.switched'; userId: string; on: boolean; by: Actor }
  | { type: 'account.session-policy-enabled'; accountId: string; signedOut: number; by: Actor }
  /** An identified exempt request was refused: its user (`blockedBy: 'user'`) or their account blocks such clients. */
  | { type: 'client.blocked'; userId: string; client: string | null; blockedBy: 'user' | 'account' }
  | { type: 'recovery.generated'; userId: string; count: number; by: Actor }
  | { type: 'recovery.used'; userId: string; remaining: number }
  | { type: 'store.not-persistent'; detail: string }
);

/** An event as emitted, before its timestamp is added. */
export type EventInput = TwoFactorEvent extends infer E ? (E extends TwoFactorEvent ? Omit<E, 'at'> : never) : never;

/** Delivers events to the host's hook. A throwing hook is reported, never allowed to break a sign-in. */
export class Events {
  constructor(
    private readonly hook: ((event: TwoFactorEvent) => void | Promise<void>) | undefined,
    private readonly now: () => number,
    private readonly logger: Logger = consoleLogger,
  ) {}

  emit(input: EventInput): void {
    if (!this.hook) return;
    const event = { ...input, at: this.now() } as TwoFactorEvent;
    // The event's type only: the event itself goes to the host's hook, not to the log.
    const report = (error: unknown): void =>
      this.logger.error(
        { event: event.type, err: error },
        `express-device-2fa: the onEvent hook failed: ${(error as Error)?.message ?? String(error)}`,
      );
    try {
      Promise.resolve(this.hook(event)).catch(report);
    } catch (error) {
      report(error);
    }
  }
}
