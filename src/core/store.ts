import type { AccountSettings, AccountSettingsPatch, DeliveryMethod, TrustedDevice, UserSettings } from '../types';

/*
 * The storage contract, in two parts a host may keep apart:
 * - EphemeralStore (challenges, counters and failure records, one-time claims, trusted devices, the
 *   signed-in session index): losing it only means asking for a code again;
 * - DurableStore (user and account settings, recovery codes, credentials): losing it would switch 2FA
 *   off or lock a user out. It defaults to the ephemeral store (MemoryStore and RedisStore implement
 *   both, and a RedisStore that holds durable state refuses an evicting Redis); a host passes its own
 *   `durableStore` to keep it in its database.
 *
 * Every method returns a promise and must either do all of its work or none of it: methods marked
 * *atomic* are raced by the contract suites. Any thrown error is taken as "store unavailable" and
 * sign-in fails closed. All timestamps are milliseconds since the epoch and `now` is always passed
 * in, so one clock (the library's) decides every expiry.
 */

/** Start-up and shut-down, the same for both parts. */
export interface StoreLifecycle {
  /**
   * Optional. Called at start-up, and again until it resolves. `durable` says whether the store will
   * hold durable state. A store whose configuration cannot keep it safely rejects with a
   * ConfigurationError that says why (never retried); any other rejection (the store is not reachable
   * yet) is retried. It may resolve with what the host should hear about.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: `void`, not `undefined`, so that a store's `async init() {}` (a `Promise<void>`) fits.
  init?(options: { durable: boolean }): Promise<StoreReport | void>;

  /** Optional. Releases timers and connections the store opened itself (called only on the library's own default store). */
  close?(): Promise<void>;
}

/** State whose loss only costs a new code: see the top of this file. */
export interface EphemeralStore extends StoreLifecycle {
  /**
   * Atomic. Stores `challenge` as the user's challenge `challengeId` (one per sign-in attempt and
   * purpose), replacing the code of an existing one but keeping its attempt count (a resend never
   * resets a counter), and counts one send against the user's quota, which all challenges share.
   * Refused while the user is locked out, while the same challenge got a code by the same method
   * less than `resendWaitMs` ago (`scope: 'resend'`), or when the quota is full (`scope: 'quota'`).
   */
  issueChallenge(userId: string, challengeId: string, challenge: ChallengeRecord, limits: IssueLimits): Promise<IssueOutcome>;

  /**
   * Atomic, whatever the outcome. Compares `codeHash` with challenge `challengeId` in constant time.
   * On a match the challenge is consumed and the user's failure count cleared. Every other outcome
   * counts one failure for the user (and one attempt on the challenge when there is one) and may
   * start or extend a lock-out; the failure that reaches `policy.permanentAfter` locks the user out for
   * good ('locked-out', `justLockedOut: true`), and from then on nothing is compared or counted.
   * 'expired' is best-effort: once a store drops the expired record (a Redis TTL) the outcome is
   * 'missing'; both count the same.
   */
  verifyChallenge(userId: string, challengeId: string, codeHash: string, policy: AttemptPolicy): Promise<VerifyOutcome>;

  /** Forgets challenge `challengeId`, if any ("Cancel and sign out" on the page). */
  discardChallenge(userId: string, challengeId: string): Promise<void>;

  /** The user's consecutive failures and lock-out (for admin tools and tests; the page keeps its own copy). */
  getFailureState(userId: string, now: number): Promise<FailureState>;

  /** Forgets the user's failures, lifting any lock-out (an admin's unlock, a right answer). Returns whether there were any. */
  clearFailures(userId: string): Promise<boolean>;

  /**
   * Atomic. For an answer checked outside the store (an authenticator-app code, a passkey assertion, a
   * recovery code): counts one failure for the user up front, exactly as a failed verifyChallenge would
   * (same failure record, back-off, permanent lock-out at `policy.permanentAfter`). Refused while a
   * back-off runs ('locked', counting a failure as verifyChallenge does during a lock) or while locked
   * out for good ('locked-out', nothing counted). The caller calls clearFailures(userId) when the
   * answer turns out right; 'counted' says what a wrong answer means (`lockedForMs` 0 when this
   * failure did not lock). Counting first is what makes a burst of concurrent guesses pay for each.
   *
   * With `recovery` (a recovery code: the user's way out of a permanent lock-out) a locked-out user is
   * not refused: the attempt is counted at the pace of the back-off, and the outcome is never
   * 'locked-out'.
   */
  recordAttempt(userId: string, policy: AttemptPolicy, options?: { recovery?: boolean }): Promise<AttemptOutcome>;

  /** Atomic. True the first time `token` is claimed for the user within `ttlMs` of `now` (e.g. a used TOTP time step), false after. */
  claimOnce(userId: string, token: string, ttlMs: number, now: number): Promise<boolean>;

  /**
   * Atomic. Counts one event in `bucket` (for example `phone:+15005550006` or `ip:203.0.113.7`)
   * unless a window is full. Used for send limits beyond the per-user quota (toll-fraud defence).
   */
  hitQuota(bucket: string, windows: readonly RateWindow[], now: number): Promise<QuotaOutcome>;

  /** Stores a trusted device. Its expiry is `device.expiresAt` and is never extended. */
  putDevice(device: StoredDevice): Promise<void>;

  /**
   * Atomic. If the user has an unexpired device `deviceId` whose secret hash equals `secretHash`
   * (constant-time), records `now` as its last use and returns it; otherwise returns null.
   */
  useDevice(userId: string, deviceId: string, secretHash: string, now: number): Promise<TrustedDevice | null>;

  /** The user's unexpired devices, most recently trusted first. */
  listDevices(userId: string, now: number): Promise<TrustedDevice[]>;

  /** Returns whether a device was removed. */
  deleteDevice(userId: string, deviceId: string): Promise<boolean>;

  /** Returns how many devices were removed. */
  deleteAllDevices(userId: string): Promise<number>;

  /**
   * Records one of the user's signed-in sessions in their index (written at sign-in and when the
   * session id changes, never on ordinary requests), kept until `session.expiresAt`.
   */
  putSession(userId: string, session: IndexedSession): Promise<void>;

  /** The user's indexed sessions that have not expired, oldest first. An entry may outlive its session. */
  listSessions(userId: string, now: number): Promise<IndexedSession[]>;

  /** Removes sessions from the index; returns how many were there. */
  deleteSessions(userId: string, sessionIds: readonly string[]): Promise<number>;
}

/**
 * State whose loss would switch 2FA off or lock a user out: see the top of this file. A host's own
 * adapter implements this (every method not marked optional) and checks itself with
 * `durableStoreContract`.
 */
export interface DurableStore extends StoreLifecycle {
  /** The user's settings; null for a user never seen (the defaults then apply). */
  getUserSettings(userId: string): Promise<UserSettings | null>;

  /**
   * Atomic. Merges `patch` (ignoring undefined values) into the user's settings, creating them from
   * `defaults` when absent, and returns the result. Store every field it is given.
   */
  updateUserSettings(userId: string, patch: Partial<UserSettings>, defaults: UserSettings): Promise<UserSettings>;

  /**
   * Atomic. The account's settings. For an account never seen, first stores `defaults` (which carry
   * `enforceNewAccounts`), so turning that option on later does not touch existing accounts.
   */
  ensureAccountSettings(accountId: string, defaults: AccountSettings): Promise<AccountSettings>;

  /** Atomic, one-way. Switches account-wide enforcement on, keeping the first `enforcedAt`; never undone. */
  enforceAccount(accountId: string, now: number): Promise<AccountSettings>;

  /**
   * Optional; atomic. Merges `patch` (reversible settings: `blockClients`; undefined values ignored)
   * into the account's settings, first storing `defaults` if it has none, and returns the result.
   * Never touches enforcement. Without it `admin(...).blockAccountClients` throws a ConfigurationError.
   */
  updateAccountSettings?(accountId: string, patch: AccountSettingsPatch, defaults: AccountSettings): Promise<AccountSettings>;

  /**
   * Optional; atomic, one-way. Switches the account's session policy on (first storing `defaults` if
   * it has none) and returns the result; never undone. Without it `enableSessionPolicy` throws a
   * ConfigurationError.
   */
  enableAccountSessionPolicy?(accountId: string, defaults: AccountSettings): Promise<AccountSettings>;

  /** Replaces the user's recovery codes (HMACs only) with a new set, in one step; an empty set removes them. */
  setRecoveryCodes(userId: string, codeHashes: readonly string[]): Promise<void>;

  /** How many unused recovery codes the user has. */
  countRecoveryCodes(userId: string): Promise<number>;

  /**
   * Atomic. Removes the user's recovery code `codeHash` and returns how many remain, or null when the
   * user has no such code: of concurrent calls with one code, exactly one gets a number. A lookup by
   * hash is fine (the hashes are HMACs of high-entropy codes). Failures are counted by the caller.
   */
  consumeRecoveryCode(userId: string, codeHash: string): Promise<number | null>;

  /** The user's credentials of one method (authenticator secrets, passkeys), oldest first (then by id). */
  listCredentials(userId: string, method: string): Promise<StoredCredential[]>;

  /** Inserts or replaces (same method and id) one of the user's credentials. */
  putCredential(userId: string, credential: StoredCredential): Promise<void>;

  /** Removes one of the user's credentials; returns whether it existed. */
  deleteCredential(userId: string, method: string, id: string): Promise<boolean>;
}

/** Both parts in one, as MemoryStore and RedisStore implement them. */
export type Store = EphemeralStore & DurableStore;

/** A type's methods that are not optional. */
type RequiredMethods<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];

/**
 * The methods each part must have, checked at start-up. Typed as records over the interfaces'
 * required methods, so a method added to an interface without being added here does not compile.
 */
const EPHEMERAL_METHODS: Record<RequiredMethods<EphemeralStore>, true> = {
  issueChallenge: true,
  verifyChallenge: true,
  discardChallenge: true,
  getFailureState: true,
  clearFailures: true,
  recordAttempt: true,
  claimOnce: true,
  hitQuota: true,
  putDevice: true,
  useDevice: true,
  listDevices: true,
  deleteDevice: true,
  deleteAllDevices: true,
  putSession: true,
  listSessions: true,
  deleteSessions: true,
};
const DURABLE_METHODS: Record<RequiredMethods<DurableStore>, true> = {
  getUserSettings: true,
  updateUserSettings: true,
  ensureAccountSettings: true,
  enforceAccount: true,
  setRecoveryCodes: true,
  countRecoveryCodes: true,
  consumeRecoveryCode: true,
  listCredentials: true,
  putCredential: true,
  deleteCredential: true,
};
export const REQUIRED_METHODS = { ephemeral: Object.keys(EPHEMERAL_METHODS), durable: Object.keys(DURABLE_METHODS) } as const;

/** The required methods `candidate` lacks, of one part. */
export function missingMethods(candidate: unknown, part: keyof typeof REQUIRED_METHODS): string[] {
  const object = (typeof candidate === 'object' && candidate !== null ? candidate : {}) as Record<string, unknown>;
  return REQUIRED_METHODS[part].filter((method) => typeof object[method] !== 'function');
}

/** An issued code, stored only as a hash. */
export interface ChallengeRecord {
  /** HMAC of the code; the code itself is never stored. */
  codeHash: string;
  method: DeliveryMethod;
  /** Where the code went (an email address or E.164 number); used by phone enrolment. */
  destination: string;
  sentAt: number;
  expiresAt: number;
}

export interface RateWindow {
  windowMs: number;
  max: number;
}

export interface IssueLimits {
  now: number;
  /** Send quota per user: every window must have room for one more send. */
  sendQuota: readonly RateWindow[];
  /** The least time between two sends by the same method for the same challenge. */
  resendWaitMs: number;
}

export type IssueOutcome =
  | { status: 'issued' }
  | { status: 'throttled'; retryAfterMs: number; scope: 'resend' | 'quota' }
  | { status: 'locked'; retryAfterMs: number }
  | { status: 'locked-out' };

export interface AttemptPolicy {
  now: number;
  /** Wrong entries allowed per challenge before it is burnt. */
  maxAttempts: number;
  /** Consecutive failures per user (across challenges and sessions) before the step locks. */
  lockThreshold: number;
  /** First lock-out; each further failure doubles it, up to `lockMaxMs`. */
  lockBaseMs: number;
  lockMaxMs: number;
  /** How long the failure count is remembered after the last failure (not once locked out). */
  failureMemoryMs: number;
  /** Consecutive failures after which the user is locked out until a recovery code or an admin clears it. */
  permanentAfter: number;
}

export type VerifyOutcome =
  | { status: 'verified'; challenge: Omit<ChallengeRecord, 'codeHash'> }
  | { status: 'wrong'; attemptsLeft: number; lockedForMs: number }
  | { status: 'exhausted'; lockedForMs: number }
  | { status: 'expired'; lockedForMs: number }
  | { status: 'missing'; lockedForMs: number }
  | { status: 'locked'; retryAfterMs: number }
  /** Locked out for good; `justLockedOut` on the failure that did it. */
  | { status: 'locked-out'; justLockedOut: boolean };

/** What recordAttempt counted: see there. */
export type AttemptOutcome =
  | { status: 'counted'; lockedForMs: number; justLockedOut: boolean }
  | { status: 'locked'; retryAfterMs: number }
  | { status: 'locked-out'; justLockedOut: boolean };

export type QuotaOutcome = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface FailureState {
  failures: number;
  /** 0 when not locked. */
  lockedForMs: number;
  /** Locked out until a recovery code or an admin clears it. */
  lockedOut: boolean;
}

/** A credential of one method (an authenticator secret, a passkey), as a store keeps it. */
export interface StoredCredential {
  /** Public id: safe to show and to pass back in a form. */
  id: string;
  /** The method's id ('totp', 'passkey', ...). */
  method: string;
  label: string;
  createdAt: number;
  lastUsedAt: number | null;
  /** Method-private data, serialised by the method (secrets already encrypted by it); stores keep it as is. */
  data: string;
}

/** A signed-in session in the user's index. What it is doing now lives in the session itself. */
export interface IndexedSession {
  /** The host's session id (express-session's `req.sessionID`). */
  id: string;
  createdAt: number;
  /** Browser and OS, names only, e.g. "Chrome 131 (macOS)"; '' when the User-Agent named neither. */
  label: string;
  /** The host's `placeHint` at sign-in, if any. */
  placeHint?: string;
  /** When the index may forget it (the session's absolute lifetime, or the session cookie's). */
  expiresAt: number;
}

/** A trusted device as stored: the public record plus the hash of the browser's secret. */
export interface StoredDevice extends TrustedDevice {
  secretHash: string;
}

/**
 * What a store's start-up check found that the host should hear about (the store is still used).
 * The library logs it (a store never writes to the console itself) and emits the events.
 */
export interface StoreReport {
  /** Set when durable state would not survive a restart of the store: where and why. */
  notPersistent?: string;
  /** Warnings for the host's log, each a sentence saying what to do. */
  warnings?: string[];
}
