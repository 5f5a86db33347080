import type { Request } from 'express';
import type { Session } from 'express-session';
import { withDeadline } from '../core/deadline';
import { noAnswer } from '../core/fail-closed';
import { ConfigurationError, StoreUnavailableError } from '../errors';
import type { SessionPolicyState } from '../core/session-policy';
import type { Json, MethodId } from '../core/method';
import type { Message } from '../views/messages';

/**
 * A message carried to the next render of the page (set before a redirect): by key, worded when it
 * is shown, in that page's language. Rendered text is never kept in the session.
 */
export interface Notice {
  kind: 'error' | 'info';
  message: Message;
}

export type PhoneMethod = 'sms' | 'voice';

/** A phone number being proved by code (E.164; the session is server-side, never logged). */
export interface PhoneEnrolment {
  phone: string;
  method: PhoneMethod;
}

/**
 * The shape of the state below. A state of another version (written by an older or newer release
 * during a deploy) is handled in `stateOf`: a signed-in session stays signed in, anything else goes
 * back to the password step, never to a 500.
 */
export const STATE_VERSION = 3;

/** A change to the second factor, made only within a passed re-authentication. */
export type SensitiveChange =
  | { kind: 'method'; method: MethodId }
  | { kind: 'phone' }
  | { kind: 'recovery-codes' }
  /** Switching 2FA on proves the chosen method itself, whatever the window says. */
  | { kind: 'enable'; method: MethodId }
  | { kind: 'disable' }
  /** Phone only (`allowed: false`) or email codes again. */
  | { kind: 'email-codes'; allowed: boolean }
  /** Clients that cannot do 2FA reach the account again (blocking them needs no proof: it only removes access). */
  | { kind: 'allow-clients' }
  /** Enrol a credential of a method (an authenticator app, a passkey). */
  | { kind: 'enrol'; method: MethodId }
  | { kind: 'remove-credential'; method: MethodId; id: string };

/**
 * What a passed `prove` step leads to: signing in, adding a first phone (the code only proved who the
 * user is), or a change to the second factor (a re-authentication of a signed-in session).
 */
export type SignInGoal = { kind: 'sign-in' } | { kind: 'add-phone'; phoneMethod: PhoneMethod };
export type ChangeGoal = { kind: 'change'; change: SensitiveChange };

interface StepBase {
  /** This step's id: its codes are its own (see ChallengeRef). */
  attempt: string;
  since: number;
}

/**
 * When the step's code expires and when the same method can send another (ms): kept as numbers, so
 * the page words them in its reader's language and zone when it renders.
 */
export interface CodeTimes {
  /** The expiry of the code last sent for this step; absent for a method that sends nothing. */
  codeExpiresAt?: number;
  /** When "Send a new code" can send one again: the resend wait, or the end of a send limit. */
  resendAt?: number;
}

/** The user proves the second factor with a method (a code sent, an authenticator, a passkey). */
export interface ProveStep<G extends SignInGoal | ChangeGoal = SignInGoal | ChangeGoal> extends StepBase, CodeTimes {
  step: 'prove';
  goal: G;
  method: MethodId;
  /** Masked, for display only. */
  destination: string;
  /** Methods the user could switch to on the page. */
  methods: MethodId[];
  /** What the method's start kept for its answer (a passkey challenge). */
  methodState?: Json;
  /** Known lock-out end (ms), to disable the form without a store call. */
  lockedUntil: number;
  /** Locked out until a recovery code or an admin clears it. */
  lockedOut?: true;
}

/** The user types a phone number to add (a first one at sign-in, or a change from settings). */
export interface PhoneStep extends StepBase {
  step: 'phone';
  /** The method pre-selected on the form. */
  phoneMethod: PhoneMethod;
  /** Whether this adds a first number or replaces one (the page says which). */
  hadPhone: boolean;
}

/** A code went to the number being proved; it becomes the user's only when that code comes back. */
export interface PhoneCodeStep extends StepBase, CodeTimes {
  step: 'phone-code';
  enrolment: PhoneEnrolment;
  hadPhone: boolean;
  /** The number was typed in by an admin (SecureClose): the user cannot swap it here. */
  adminPhone?: true;
  lockedUntil: number;
}

/** A signed-in user enrols a credential of `method`; `pending` is the method's own (secrets sealed). */
export interface EnrolStep extends StepBase {
  step: 'enrol';
  method: MethodId;
  pending: Json;
}

export type SignInStep = ProveStep<SignInGoal> | PhoneStep | PhoneCodeStep;
export type SettingsStep = ProveStep<ChangeGoal> | PhoneStep | PhoneCodeStep | EnrolStep;
export type Step = SignInStep | SettingsStep;

/** Password done, second factor not yet. */
export interface PendingState {
  v: typeof STATE_VERSION;
  status: 'pending';
  userId: string;
  since: number;
  returnTo: string;
  csrf: string;
  flow: SignInStep;
  /** The user's sessions follow the session policy (decided at the password step: no read at the code). */
  sessionPolicy?: true;
  notice?: Notice;
}

/** Fully signed in. */
export interface VerifiedState {
  v: typeof STATE_VERSION;
  status: 'verified';
  userId: string;
  verifiedAt: number;
  csrf: string;
  /** Until when a passed re-authentication allows sensitive changes (ms). */
  sudoUntil?: number;
  /** The last request, recorded at most once a minute, or once per touch interval under `policy` (for the list of sessions and the idle timeout). */
  lastActiveAt?: number;
  /** Set when the session follows the session policy (fixed at sign-in; see core/session-policy.ts). */
  policy?: SessionPolicyState;
  /** A step in progress on the settings page (a re-authentication, a phone change, an enrolment). */
  flow?: SettingsStep;
  notice?: Notice;
}

export type FlowState = PendingState | VerifiedState;

// One namespaced key in the host's session, so the library never collides with the host's own fields.
const KEY = 'deviceTwoFactor';

type SessionRecord = Session & Record<string, unknown>;

/** The request's express-session session; a clear error when the host forgot to mount it. */
export function sessionOf(req: Request): SessionRecord {
  const session = (req as { session?: unknown }).session as SessionRecord | undefined;
  if (!session || typeof session.regenerate !== 'function') {
    throw new ConfigurationError(
      'express-device-2fa: no express-session on this request. Mount `app.use(session({ ... }))` before `twoFactor.router` and `twoFactor.guard` (cookie-session does not work: the library needs session.regenerate()).',
      'ERR_2FA_NO_SESSION',
    );
  }
  return session;
}

export function readState(req: Request): FlowState | undefined {
  return stateOf((req as { session?: unknown }).session);
}

/** The library's state in session data (a request's session, or one read from the session store). */
export function stateOf(sessionData: unknown): FlowState | undefined {
  const state = (sessionData as Record<string, unknown> | null | undefined)?.[KEY] as
    | (Partial<FlowState> & { v?: number; flow?: { step?: unknown } })
    | undefined;
  if (typeof state?.userId !== 'string' || typeof state.csrf !== 'string') return undefined;
  if (state.v === STATE_VERSION) {
    // Written by this release, so the shape holds; a record without its keys is not trusted at all.
    if (state.status === 'verified') return state as VerifiedState;
    return state.status === 'pending' && typeof state.flow?.step === 'string' ? (state as PendingState) : undefined;
  }
  // A signed-in session of an earlier shape (v1 had no version, v2 kept its steps elsewhere) stays
  // signed in, without any step it had under way or a re-authentication window. Any other state is
  // dropped: a pending sign-in starts again at the password step.
  if ((state.v === undefined || state.v === 2) && state.status === 'verified') {
    const { userId, verifiedAt, csrf, lastActiveAt, policy } = state as VerifiedState;
    return {
      v: STATE_VERSION,
      status: 'verified',
      userId,
      verifiedAt,
      csrf,
      ...(lastActiveAt !== undefined ? { lastActiveAt } : {}),
      ...(policy ? { policy } : {}),
    };
  }
  return undefined;
}

// What each session held when the library began to handle the request (undefined: new, or written
// without that being known: always stored), until it is stored. See commitSession.
const unsaved = new WeakMap<object, string | undefined>();

/**
 * Notes what the session holds before a route of the library handles the request (handlers change
 * the state they read in place), so that commitSession stores it only if the route changed it.
 */
export function watchSession(req: Request): void {
  const session = (req as { session?: unknown }).session as SessionRecord | undefined;
  if (session) unsaved.set(session, contents(session));
}

export function writeState(req: Request, state: FlowState): void {
  changing(req)[KEY] = state;
}

export function clearState(req: Request): void {
  delete changing(req)[KEY];
}

function changing(req: Request): SessionRecord {
  const session = sessionOf(req);
  if (!unsaved.has(session)) unsaved.set(session, undefined);
  return session;
}

/**
 * A fresh session id with nothing in it: called at every change of privilege (no session fixation).
 * With `keepHostData` (a re-authentication of a user already signed in: the same user, a new id)
 * the host's own fields come along, such as Passport's `passport.user`; the library writes its own
 * state again. Bounded like every store call: a session store that fails or does not answer within
 * `timeoutMs` is a StoreUnavailableError (the 503), never a hang or a 500.
 */
export async function regenerateSession(req: Request, timeoutMs: number, { keepHostData = false } = {}): Promise<void> {
  const session = sessionOf(req);
  const kept = keepHostData ? Object.entries(session).filter(([key]) => key !== 'cookie' && key !== KEY) : [];
  await sessionStoreCall(timeoutMs, (done) => session.regenerate(done));
  const fresh = sessionOf(req);
  for (const [key, value] of kept) fresh[key] = value;
  unsaved.set(fresh, undefined);
}

/** Whether the library changed the session in this request (not merely wrote the same state again) and has not stored it yet. */
export function needsCommit(req: Request): boolean {
  const session = (req as { session?: unknown }).session as SessionRecord | undefined;
  return session !== undefined && unsaved.has(session) && unsaved.get(session) !== contents(session);
}

/**
 * Stores the library's session changes before the answer that reports them goes out, so the page
 * says what happened: a session store that fails or does not answer within `timeoutMs` is a
 * StoreUnavailableError (the 503) instead of a page whose change is then lost, or a hang.
 *
 * express-session would store the session again as the response ends (a regenerated session looks
 * unsaved to it, whatever was saved), so the session's save() then skips a save of what is already
 * stored: one write per request, as without the library.
 */
export async function commitSession(req: Request, timeoutMs: number): Promise<void> {
  if (!needsCommit(req)) return;
  const session = sessionOf(req);
  // As express-session does before it saves: the stored expiry starts from now.
  session.touch();
  await sessionStoreCall(timeoutMs, (done) => req.sessionStore.set(session.id, session, done));
  unsaved.delete(session);
  const stored = contents(session);
  const save = session.save;
  // The same kind of own, non-enumerable method express-session itself puts on each session.
  Object.defineProperty(session, 'save', {
    configurable: true,
    enumerable: false,
    writable: true,
    value(this: SessionRecord, callback?: (error?: unknown) => void) {
      if (contents(this) !== stored) return save.call(this, callback);
      callback?.();
      return this;
    },
  });
}

/**
 * For the 503: leaves the session as it is stored. express-session then neither saves nor touches it
 * as this response ends (so the answer waits on no store) and sets no cookie.
 */
export function detachSession(req: Request): void {
  delete (req as { session?: unknown }).session;
}

/** What a save would store, as express-session compares it (the cookie's expiry aside). */
function contents(session: SessionRecord): string {
  return JSON.stringify(session, function (this: unknown, key: string, value: unknown) {
    return this === session && key === 'cookie' ? undefined : value;
  });
}

function sessionStoreCall(timeoutMs: number, call: (done: (error?: unknown) => void) => void): Promise<void> {
  const work = new Promise<void>((resolve, reject) => call((error) => (error ? reject(error) : resolve())));
  return withDeadline(work, timeoutMs, noAnswer(timeoutMs)).catch((error: unknown) => {
    throw new StoreUnavailableError(error);
  });
}
