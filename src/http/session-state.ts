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
 * Password done, code not yet. Stages: `code` (a sign-in code is out), `phone` (the user must add a
 * phone first), `phone-code` (a code went to the new phone; it completes the sign-in).
 */
export interface PendingState {
  status: 'pending';
  stage: 'code' | 'phone' | 'phone-code';
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
  notice?: Notice;
}

/**
 * A phone change from the settings page: `reauth` (a code went to the current method), `phone`
 * (re-authenticated: enter the new number), `phone-code` (a code went to the new number).
 */
export interface PhoneChange {
  stage: 'reauth' | 'phone' | 'phone-code';
  since: number;
  /** Masked destination of the re-authentication code. */
  reauthMethod: DeliveryMethod;
  reauthDestination: string;
  /** Whether this adds a first number or replaces one (the page says which). */
  hadPhone: boolean;
  enrolment?: PhoneEnrolment;
}

/** Fully signed in. */
export interface VerifiedState {
  status: 'verified';
  userId: string;
  verifiedAt: number;
  csrf: string;
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
  const state = session?.[KEY] as FlowState | undefined;
  return state && (state.status === 'pending' || state.status === 'verified') ? state : undefined;
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
