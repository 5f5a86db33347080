import type { SendOutcome } from '../../core/challenges';
import type { AnswerOutcome, MethodId } from '../../core/method';
import type { RecoveryOutcome } from '../../core/recovery-codes';
import { methodSays, say, type Message } from '../../views/messages';
import type { CodeTimes, Notice } from '../session-state';

/** The result of a send or a check, as the page shows it (its message worded when it is shown). */
export interface View {
  status: number;
  notice: Notice | undefined;
}

export type Failure = Exclude<AnswerOutcome, { status: 'verified' }>;

const error = (status: number, message: Message): View => ({ status, notice: { kind: 'error', message } });

/** What the page says about a send by `method` (its own words for a new code, when it has them). */
export function describeSend(outcome: SendOutcome, method: MethodId | undefined, isResend: boolean): View {
  switch (outcome.status) {
    case 'sent':
      return { status: 200, notice: isResend && method ? { kind: 'info', message: methodSays(method, 'newCodeSent') } : undefined };
    case 'throttled':
      if (outcome.scope === 'destination') return error(429, say('phoneSendLimited'));
      if (outcome.scope === 'resend') return error(429, say('resendIn', outcome.retryAfterMs / 1000));
      return error(429, say('tooManyCodes', outcome.retryAfterMs / 60_000));
    case 'locked':
      return error(429, say('lockedFor', outcome.retryAfterMs / 60_000));
    case 'locked-out':
      return error(429, say('lockedOut'));
    case 'delivery-failed':
      return error(200, say('sendFailed'));
  }
}

/**
 * What a send tells the page about time: a code sent (or stored but undelivered, which replaced the
 * one before) expires, and the same method may send again after the resend wait; a throttle says
 * when a send can go. A lock says nothing here (the locked form says it).
 */
export function noteSend(times: CodeTimes, outcome: SendOutcome, now: number, resendWaitMs: number): void {
  if (outcome.status === 'sent' || outcome.status === 'delivery-failed') {
    if (outcome.status === 'sent') times.codeExpiresAt = outcome.expiresAt;
    else delete times.codeExpiresAt;
    times.resendAt = now + resendWaitMs;
  } else if (outcome.status === 'throttled') {
    times.resendAt = Math.max(times.resendAt ?? 0, now + outcome.retryAfterMs);
  }
}

/** What the page says about a failed answer, and with which status; `malformed` in the method's own words when it has them. */
export function describeFailure(outcome: Failure, malformed?: Message): View & { notice: Notice } {
  const says = (status: number, message: Message) => ({ status, notice: { kind: 'error' as const, message } });
  if ('lockedForMs' in outcome && outcome.lockedForMs > 0) return says(429, say('lockedFor', outcome.lockedForMs / 60_000));
  switch (outcome.status) {
    case 'malformed':
      return says(400, malformed ?? say('codeFormat'));
    case 'wrong':
      return says(400, outcome.attemptsLeft === undefined ? say('wrongAnswer') : say('wrongCode', outcome.attemptsLeft));
    case 'expired':
      return says(400, say('codeExpired'));
    case 'exhausted':
      return says(400, say('tooManyAttempts'));
    case 'missing':
      return says(400, say('noActiveCode'));
    case 'locked':
      return says(429, say('lockedFor', outcome.retryAfterMs / 60_000));
    case 'locked-out':
      return says(429, say('lockedOut'));
  }
}

/** A failed recovery code, as the failure of an answer (the same lock-out rules). */
export function recoveryFailure(outcome: Exclude<RecoveryOutcome, { status: 'verified' }> | { status: 'malformed' }): Failure {
  if (outcome.status === 'wrong' && outcome.justLockedOut) return { status: 'locked-out', justLockedOut: true };
  const locked = outcome.status === 'locked' ? outcome.retryAfterMs : outcome.status === 'wrong' ? outcome.lockedForMs : 0;
  return locked > 0 ? { status: 'locked', retryAfterMs: locked } : { status: 'malformed' };
}
