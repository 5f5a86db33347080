import { DeliveryError } from '../errors';
import type { Channel, CodePurpose } from './channel';
import type { AttemptPolicy, EphemeralStore, RateWindow, VerifyOutcome } from './store';
import type { DeliveryFailure, DeliveryMethod, Logger } from '../types';
import { errorCodes } from './logger';
import type { Events } from './events';
import { clientNetwork } from './client-network';
import { withDeadline } from './deadline';
import { maskDestination } from './mask';
import { CODE_LENGTH, generateCode, type Hasher } from './secrets';

export interface ChallengeConfig {
  siteName: string;
  codeTtlMs: number;
  maxAttempts: number;
  lockout: { threshold: number; baseMs: number; maxMs: number; memoryMs: number; permanentAfter: number };
  sendQuota: readonly RateWindow[];
  resendWaitMs: number;
  sendLimits: { perPhone: readonly RateWindow[]; perIp: readonly RateWindow[] };
  channelTimeoutMs: number;
  onDeliveryFailure: ((failure: DeliveryFailure) => void) | undefined;
  logger: Logger;
  now: () => number;
}

/**
 * Which challenge: one per purpose and per attempt (a pending sign-in, a re-authentication), so a
 * code sent for one browser's sign-in never completes another's.
 */
export interface ChallengeRef {
  purpose: CodePurpose;
  /** A random id the flow keeps in its session state. */
  attempt: string;
}

export interface CodeRequest extends ChallengeRef {
  userId: string;
  method: DeliveryMethod;
  destination: string;
  /** The client's IP, for the per-IP limit on SMS and voice sends. */
  clientIp?: string;
  /** The language the message goes out in (a tag of the library's tables). */
  locale: string;
}

export type SendOutcome =
  | { status: 'sent'; expiresAt: number }
  /**
   * `resend`: this challenge got a code by this method moments ago; `user`: the per-user quota;
   * `destination`: the per-number or per-IP limit on phone sends.
   */
  | { status: 'throttled'; retryAfterMs: number; scope: 'resend' | 'user' | 'destination' }
  | { status: 'locked'; retryAfterMs: number }
  /** Locked out until a recovery code or an admin clears it: no code is sent. */
  | { status: 'locked-out' }
  | { status: 'delivery-failed'; error: DeliveryError };

export type CheckOutcome = VerifyOutcome | { status: 'malformed' };

/** Purposes whose phone codes go to the user's verified number; any other purpose's go to a number being proved. */
const TO_VERIFIED_PHONE: ReadonlySet<CodePurpose> = new Set<CodePurpose>(['sign-in', 'reauth']);

/**
 * Issues and checks one-time codes. Codes come from the CSPRNG, are stored only as keyed hashes
 * bound to the user and purpose, and every check is a single atomic store call.
 */
export class Challenges {
  constructor(
    private readonly store: EphemeralStore,
    private readonly channels: Partial<Record<DeliveryMethod, Channel>>,
    private readonly hasher: Hasher,
    private readonly config: ChallengeConfig,
    private readonly events: Events,
  ) {}

  async send(request: CodeRequest): Promise<SendOutcome> {
    const channel = this.channels[request.method];
    if (!channel) {
      return {
        status: 'delivery-failed',
        error: new DeliveryError(`No channel is configured for "${request.method}".`, {
          tryAnotherMethod: true,
          code: 'ERR_2FA_NO_CHANNEL',
        }),
      };
    }
    const now = this.config.now();
    const { userId, purpose, method } = request;
    const destination = maskDestination(method, request.destination);
    const limited = await this.phoneLimits(request, now);
    if (limited) {
      this.events.emit({ type: 'challenge.throttled', userId, purpose, retryAfterMs: limited.retryAfterMs });
      return limited;
    }
    const code = generateCode();
    const expiresAt = now + this.config.codeTtlMs;
    const issued = await this.store.issueChallenge(
      userId,
      challengeId(request),
      { codeHash: this.hash(userId, request, code), method, destination: request.destination, sentAt: now, expiresAt },
      { now, sendQuota: this.config.sendQuota, resendWaitMs: this.config.resendWaitMs },
    );
    if (issued.status === 'throttled') {
      this.events.emit({ type: 'challenge.throttled', userId, purpose, retryAfterMs: issued.retryAfterMs });
      return { status: 'throttled', retryAfterMs: issued.retryAfterMs, scope: issued.scope === 'resend' ? 'resend' : 'user' };
    }
    if (issued.status !== 'issued') return issued;
    try {
      // Every channel, a host's own included, is bounded: a hung mail server or API must not hold the page.
      const { channelTimeoutMs } = this.config;
      await withDeadline(
        Promise.resolve().then(() =>
          channel.send({
            to: request.destination,
            code,
            purpose: request.purpose,
            siteName: this.config.siteName,
            expiresInMinutes: Math.round(this.config.codeTtlMs / 60_000),
            locale: request.locale,
          }),
        ),
        channelTimeoutMs,
        () =>
          new DeliveryError(`The code was not sent within ${channelTimeoutMs} ms.`, {
            tryAnotherMethod: true,
            code: 'ERR_2FA_DELIVERY_TIMEOUT',
          }),
      );
    } catch (error) {
      // The undelivered code stays stored: nobody knows it, and discarding it would reset the
      // challenge's attempt count on the next send.
      const failure =
        error instanceof DeliveryError
          ? error
          : new DeliveryError('The code could not be delivered.', { tryAnotherMethod: true, cause: error });
      this.events.emit({ type: 'delivery.failed', userId, purpose, method, destination, errorCode: failure.code });
      this.config.logger.warn(
        { userId, purpose, method, destination, ...errorCodes(failure) },
        `express-device-2fa: a ${method} code could not be delivered; the page offers the other methods.`,
      );
      this.config.onDeliveryFailure?.({ userId, method, destination, error: failure });
      return { status: 'delivery-failed', error: failure };
    }
    this.events.emit({ type: 'challenge.issued', userId, purpose, method, destination });
    return { status: 'sent', expiresAt };
  }

  /** Cancels the code of one challenge. */
  discard(userId: string, ref: ChallengeRef): Promise<void> {
    return this.store.discardChallenge(userId, challengeId(ref));
  }

  /**
   * SMS and calls cost money and can be abused for toll fraud, so they are also limited per
   * destination number and per client network (both checked at once: one round trip when pipelined).
   * A number being enrolled is not proved to be the user's, so its sends count per (user, number):
   * anyone may type someone else's number, but that never uses up the owner's own budget.
   */
  private async phoneLimits(request: CodeRequest, now: number): Promise<Extract<SendOutcome, { status: 'throttled' }> | undefined> {
    if (request.method === 'email') return undefined;
    const { perPhone, perIp } = this.config.sendLimits;
    // E.164 has no ":", so the user id after it cannot make two buckets meet.
    const phoneBucket = TO_VERIFIED_PHONE.has(request.purpose)
      ? `phone:${request.destination}`
      : `phone-unverified:${request.destination}:${request.userId}`;
    const checks = [this.store.hitQuota(phoneBucket, perPhone, now)];
    if (request.clientIp) checks.push(this.store.hitQuota(`ip:${clientNetwork(request.clientIp)}`, perIp, now));
    const refused = (await Promise.all(checks)).flatMap((quota) => (quota.allowed ? [] : [quota.retryAfterMs]));
    return refused.length > 0 ? { status: 'throttled', retryAfterMs: Math.max(...refused), scope: 'destination' } : undefined;
  }

  /** Checks a code as typed. Anything but six ASCII digits (spaces and dashes aside) never reaches the store. */
  async check(userId: string, ref: ChallengeRef, typed: string): Promise<CheckOutcome> {
    const { purpose } = ref;
    const code = normaliseCode(typed);
    const outcome: CheckOutcome =
      code === null
        ? { status: 'malformed' }
        : await this.store.verifyChallenge(userId, challengeId(ref), this.hash(userId, ref, code), attemptPolicy(this.config));
    if (outcome.status === 'verified') {
      this.events.emit({ type: 'code.verified', userId, purpose, method: outcome.challenge.method });
      return outcome;
    }
    this.events.emit({ type: 'code.rejected', userId, purpose, reason: outcome.status === 'locked-out' ? 'locked' : outcome.status });
    lockEvents(this.events, userId, outcome);
    return outcome;
  }

  /** Binds the stored hash to the user and the challenge: a code is worth nothing anywhere else. */
  private hash(userId: string, ref: ChallengeRef, code: string): string {
    return this.hasher.hash('code', userId, challengeId(ref), code);
  }
}

function challengeId(ref: ChallengeRef): string {
  return `${ref.purpose}:${ref.attempt}`;
}

/** The events of a failure that starts or extends a lock-out (not of an attempt made during one). */
export function lockEvents(
  events: Events,
  userId: string,
  outcome: { status: string; lockedForMs?: number; justLockedOut?: boolean },
): void {
  if (outcome.lockedForMs !== undefined && outcome.lockedForMs > 0)
    events.emit({ type: 'user.locked', userId, lockedForMs: outcome.lockedForMs });
  if (outcome.justLockedOut) events.emit({ type: 'user.locked-out', userId });
}

/** The attempt and lock-out rules, as the store applies them, at this moment. */
export function attemptPolicy(config: Pick<ChallengeConfig, 'maxAttempts' | 'lockout' | 'now'>): AttemptPolicy {
  const { maxAttempts, lockout } = config;
  return {
    now: config.now(),
    maxAttempts,
    lockThreshold: lockout.threshold,
    lockBaseMs: lockout.baseMs,
    lockMaxMs: lockout.maxMs,
    failureMemoryMs: lockout.memoryMs,
    permanentAfter: lockout.permanentAfter,
  };
}

const CODE_PATTERN = new RegExp(`^[0-9]{${CODE_LENGTH}}$`);
/** The longest input a code may be typed as (spaces and dashes included). */
export const MAX_TYPED_CODE = 32;
/**
 * The code field's HTML `pattern` (a browser anchors it and compiles it with the `v` flag): exactly
 * what `normaliseCode` accepts within `MAX_TYPED_CODE`, so the browser never refuses a code the
 * server would take ("123-456", "123 456").
 */
export const CODE_FIELD_PATTERN = String.raw`[\s\-]*(?:[0-9][\s\-]*){${CODE_LENGTH}}`;

/** "123 456" and "123-456" are fine; unicode digits, letters and long input are not. */
export function normaliseCode(typed: string): string | null {
  if (typed.length > MAX_TYPED_CODE) return null;
  const code = typed.replace(/[\s-]/g, '');
  return CODE_PATTERN.test(code) ? code : null;
}
