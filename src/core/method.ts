import type { ChallengeRef, CheckOutcome, SendOutcome } from './challenges';
import type { LoadedUser } from './users';
import type { StoredCredential } from './store';

/**
 * The ids of the registered ways of proving the second factor. Each method's folder adds its own
 * id here by declaration merging, so no list of methods is kept by hand anywhere else:
 *
 *     declare module '../../core/method' { interface MethodIds { totp: true } }
 */
export interface MethodIds {
  email: true;
  sms: true;
  voice: true;
}

export type MethodId = keyof MethodIds & string;

/**
 * Each method's own options (`methods.<id>` of the library's options), added by the method's folder
 * like `MethodIds`: `declare module '../../core/method' { interface MethodOptions { passkey?: PasskeyOptions } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: empty on purpose, the methods' folders fill it in by declaration merging (a type alias cannot be merged).
export interface MethodOptions {}

/** JSON a method keeps in the flow state between its start and its answer (a passkey's challenge). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Why a method is being used: a sign-in, a re-authentication before a change, or a proof of who the user is before adding a phone. */
export type MethodPurpose = ChallengeRef['purpose'];

/** A credential a method enrolled (an authenticator app, a passkey): the durable store's record. */
export type { StoredCredential };

/** What a method may use: core services only (no HTTP, no storage details). */
export interface MethodServices {
  readonly siteName: string;
  now(): number;
  /** Codes sent over a channel (email, SMS, voice). */
  readonly challenges: import('./challenges').Challenges;
  /**
   * For answers checked outside the store (an authenticator code, a passkey assertion): counts the
   * attempt in the user's lock-out before `verify` runs, and clears it when `verify` says yes, so
   * parallel guesses cannot outrun the lock-out.
   */
  guard(userId: string, verify: () => Promise<boolean>): Promise<AnswerOutcome>;
  /** True the first time `token` is claimed for the user within `ttlMs` (a used time step), false after. */
  claimOnce(userId: string, token: string, ttlMs: number): Promise<boolean>;
  readonly credentials: {
    list(userId: string, method: MethodId): Promise<StoredCredential[]>;
    put(userId: string, credential: StoredCredential): Promise<void>;
    remove(userId: string, method: MethodId, id: string): Promise<boolean>;
  };
  /** Authenticated encryption (AES-256-GCM) under a key derived from the library's `secret`. */
  seal(plain: string, context: string): string;
  /** The inverse of `seal`; throws when the box was tampered with or sealed for another context. */
  open(sealed: string, context: string): string;
}

/**
 * How an answer fared. 'wrong' has `attemptsLeft` for a code that may be tried only so often; an
 * answer checked outside the store (authenticator, passkey) has no such count, only the lock-out.
 */
export type AnswerOutcome =
  | { status: 'verified' }
  | { status: 'wrong'; attemptsLeft?: number; lockedForMs: number }
  | Exclude<CheckOutcome, { status: 'verified' } | { status: 'wrong' }>;

/** How a step with this method starts. */
export type StartOutcome =
  /** A code went out (or did not: the send's outcome), to `destination` (masked). */
  | (SendOutcome & { destination: string })
  /** Nothing to send: the user answers from something they hold. `state` is kept until the answer. */
  | { status: 'ready'; state?: Json; destination?: string };

export interface StartInput {
  user: LoadedUser;
  ref: ChallengeRef;
  clientIp: string | undefined;
  /** The language of anything sent to the user out of band (a code's email, text or call): a tag of the library's tables. */
  locale: string;
}

/** What a check is given. No loaded user: checking an answer costs no read of the user's settings. */
export interface CheckInput {
  userId: string;
  ref: ChallengeRef;
  /** What `start` kept. */
  state: Json | undefined;
  /** The posted form (a code in `code`; a method's own fields otherwise). */
  answer: Readonly<Record<string, string>>;
}

/**
 * One way of proving the second factor. A new method is one folder implementing this (its views and
 * its words, one table per language, beside it) plus one line in the registry; nothing else lists
 * methods. It says nothing in any language itself: it returns outcomes, which the pages word.
 */
export interface Method {
  readonly id: MethodId;
  /** `code`: the page shows the code field; `prompt`: the method renders its own control (a passkey button). */
  readonly answer: 'code' | 'prompt';
  /** Whether "send a new code" applies. */
  readonly resendable: boolean;
  /** Whether the user can prove themselves with it now (enrolled, a channel exists). No I/O: decided from the loaded user. */
  usableBy(user: LoadedUser): boolean;
  /** Where its codes would go, masked, for the settings page (channel methods). */
  destinationOf?(user: LoadedUser): string | undefined;
  start(input: StartInput, services: MethodServices): Promise<StartOutcome>;
  check(input: CheckInput, services: MethodServices): Promise<AnswerOutcome>;
  /** Forgets what `start` issued (the user cancelled). */
  discard?(input: { userId: string; ref: ChallengeRef }, services: MethodServices): Promise<void>;
  /** Present when the user enrols credentials for it from the settings page. */
  readonly enrolment?: Enrolment;
}

/**
 * Enrolling credentials from the settings page, always behind the re-authentication step. The new
 * credential is active only once `finish` checked an answer made with it.
 */
export interface Enrolment {
  /** Starts an enrolment; `pending` is kept in the flow state (secrets in it sealed) until `finish`. */
  begin(user: LoadedUser, services: MethodServices): Promise<{ pending: Json }>;
  /** What the enrolment page shows for `pending` (a QR code, a secret to type). */
  present(user: LoadedUser, pending: Json, services: MethodServices): Promise<Json>;
  /**
   * Checks the user's answer and, when right, stores the credential and returns it. A refusal names
   * its reason, a key of the method's `enrolment.refused` words (with `args` for a function there),
   * which the page words in the reader's language.
   */
  finish(
    user: LoadedUser,
    pending: Json,
    answer: Readonly<Record<string, string>>,
    services: MethodServices,
  ): Promise<{ ok: true; credential: StoredCredential } | EnrolmentRefusal>;
}

/** Why an enrolment's answer was refused: a key of the method's `enrolment.refused` words. */
export interface EnrolmentRefusal {
  ok: false;
  refused: string;
  args?: number[];
}
