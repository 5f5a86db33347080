import type { ChallengeRef, CheckOutcome, SendOutcome } from './challenges';
import type { LoadedUser } from './users';

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

/** A credential a method enrolled (an authenticator app, a passkey), as stored durably. */
export interface StoredCredential {
  /** Public id, safe to show and to pass back. */
  id: string;
  method: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Method-private data, serialised by the method; secrets in it are already encrypted. */
  data: string;
}

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

/** Words a method brings to the pages; `destination` is masked. */
export interface MethodStrings {
  /** Capitalised, for radio buttons and lists ("Authenticator app"). */
  label: string;
  /** In running text, after an article or "your" ("authenticator app", "passkey"). */
  name: string;
  /** The page heading while this method is the one in use. */
  heading: string;
  /** The sentence under it. */
  intro(destination: string): string;
  /** The same, before a change to the second factor. */
  reauthIntro(destination: string): string;
  /** The button that switches to it ("Use my authenticator app"). */
  switchTo: string;
  /** The settings page's line after it became the preferred method. */
  chosen: string;
  /** After "send a new code", for methods that are `resendable`. */
  newCodeSent?: string;
  /** On the settings page while the user cannot use it yet ("Add a phone number first"). */
  unavailable: string;
  /** When an answer is not even of the right shape. Default: the code's ("The code is 6 digits…"). */
  malformed?: string;
}

/**
 * One way of proving the second factor. A new method is one folder implementing this (its views and
 * strings beside it) plus one line in the registry; nothing else lists methods.
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
  readonly strings: MethodStrings;
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
  /** Checks the user's answer and, when right, stores the credential and returns it. */
  finish(
    user: LoadedUser,
    pending: Json,
    answer: Readonly<Record<string, string>>,
    services: MethodServices,
  ): Promise<{ ok: true; credential: StoredCredential } | { ok: false; error: string }>;
  /** The settings page's section: heading, what an entry is called, the add button. */
  readonly strings: { heading: string; add: string; none: string; added: string; removed: string };
}
