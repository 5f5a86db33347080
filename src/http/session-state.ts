import type { Request } from 'express';
import type { Session } from 'express-session';
import { ConfigurationError } from '../errors';
import type { DeliveryMethod } from '../types';

/** A message carried to the next render of the page (set before a redirect). */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export type PhoneMethod = 'sms' | 'voice';

/** A phone number being proved by code (E.164; the session is server-side, never logged). */
export interface PhoneEnrolment {
  phone: string;
  method: PhoneMethod;
}

/**
 * The shape of the state below. A state of another version (written by an older or newer release
 * during a deploy) is ignored: the user goes back to the password step, never to a 500.
 */
export const STATE_VERSION = 2;

/**
 * Password done, code not yet. Stages: `code` (a sign-in code is out), `phone` (the user must add a
 * phone first), `phone-code` (a code went to the new phone; it completes the sign-in).
 */
export interface PendingState {
  v: typeof STATE_VERSION;
  status: 'pending';
  stage: 'code' | 'phone' | 'phone-code';
  /**
   * Set when the `code` stage only proves the user (a code to the email on file) before a first phone
   * is added: the code then leads to the `phone` stage instead of signing in.
   */
  afterCode?: 'add-phone';
  /** The number being proved was typed in by an admin (SecureClose): the user cannot swap it here. */
  adminPhone?: true;
  /** This sign-in attempt's id: its codes are its own (see ChallengeRef). */
  attempt: string;
  /** The method pre-selected on the phone form. */
  phoneMethod: PhoneMethod;
  enrolment?: PhoneEnrolment;
  userId: string;
  since: number;
  returnTo: string;
  csrf: string;
  method: DeliveryMethod;
  /** Masked, for display only. */
  destination: string;
  /** Methods the user could switch to on the page. */
  methods: DeliveryMethod[];
  /** Known lock-out end (ms), to disable the form without a store call. */
  lockedUntil: number;
  /** Locked out until a recovery code or an admin clears it. */
  lockedOut?: boolean;
  notice?: Notice;
}

/** A change to the second factor, made only within a passed re-authentication. */
export type SensitiveChange =
  | { kind: 'method'; method: DeliveryMethod }
  | { kind: 'phone' }
  | { kind: 'recovery-codes' }
  /** Switching 2FA on proves the chosen method itself, whatever the window says. */
  | { kind: 'enable'; method: DeliveryMethod }
  | { kind: 'disable' }
  /** Phone only (`allowed: false`) or email codes again. */
  | { kind: 'email-codes'; allowed: boolean };

/** A re-authentication in progress: a code went to the current method; the change waits for it. */
export interface Reauth {
  attempt: string;
  since: number;
  method: DeliveryMethod;
  /** Masked, for display only. */
  destination: string;
  change: SensitiveChange;
}

/**
 * A phone change from the settings page, once re-authenticated: `phone` (enter the new number),
 * `phone-code` (a code went to the new number).
 */
export interface PhoneChange {
  stage: 'phone' | 'phone-code';
  attempt: string;
  since: number;
  /** Whether this adds a first number or replaces one (the page says which). */
  hadPhone: boolean;
  enrolment?: PhoneEnrolment;
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
  reauth?: Reauth;
  phoneChange?: PhoneChange;
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
    );
  }
  return session;
}

export function readState(req: Request): FlowState | undefined {
  const session = (req as { session?: unknown }).session as Record<string, unknown> | undefined;
  const state = session?.[KEY] as FlowState | { v?: undefined; status?: unknown; userId?: unknown } | undefined;
  if (state?.v === STATE_VERSION && (state.status === 'pending' || state.status === 'verified')) {
    // Written by this release, so the shape holds; a record without its keys is not trusted at all.
    return typeof state.userId === 'string' && typeof state.csrf === 'string' ? state : undefined;
  }
  // A signed-in session from before versioning (v1) stays signed in: its shape is the same. Any
  // other state is dropped (a pending sign-in starts again at the password step).
  if (state?.v === undefined && state?.status === 'verified' && typeof state.userId === 'string' && typeof (state as { csrf?: unknown }).csrf === 'string') {
    const { userId, verifiedAt, csrf } = state as Pick<VerifiedState, 'userId' | 'verifiedAt' | 'csrf'>;
    return { v: STATE_VERSION, status: 'verified', userId, verifiedAt, csrf };
  }
  return undefined;
}

export function writeState(req: Request, state: FlowState): void {
  sessionOf(req)[KEY] = state;
}

export function clearState(req: Request): void {
  delete sessionOf(req)[KEY];
}

/** A fresh session id with nothing in it: called at every change of privilege (no session fixation). */
export function regenerateSession(req: Request): Promise<void> {
  const session = sessionOf(req);
  return new Promise((resolve, reject) => session.regenerate((error: unknown) => (error ? reject(error) : resolve())));
}
