/**
 * Every code an error of the library carries, one per condition. Closed: `ErrorCode` is this list,
 * so a new condition is a new entry here, and the README's "Error codes" section has an entry for
 * each (a test holds the two together). Hosts branch on `error.code`, never on messages (the same
 * idea as jose's ERR_JWT_* and express-rate-limit's ERR_ERL_* codes).
 */
export const ERROR_CODES = [
  // The host's set-up: ConfigurationError.
  'ERR_2FA_CONFIGURATION',
  'ERR_2FA_NOT_MIDDLEWARE',
  'ERR_2FA_NO_SESSION',
  'ERR_2FA_NO_SESSION_STORE',
  'ERR_2FA_ADAPTER_INCOMPLETE',
  'ERR_2FA_ADAPTER_DROPPED_FIELD',
  'ERR_2FA_BAD_EXEMPT_VERDICT',
  'ERR_2FA_STORE_MAY_EVICT',
  // A call of the API with an argument of the wrong type: InvalidArgumentError.
  'ERR_2FA_INVALID_ARGUMENT',
  // The store could not be reached or did not answer: StoreUnavailableError.
  'ERR_2FA_STORE_UNAVAILABLE',
  // Refusals of what was asked.
  'ERR_2FA_ENFORCEMENT_ONE_WAY',
  'ERR_2FA_SESSION_POLICY_ONE_WAY',
  'ERR_2FA_ENFORCED_BY_ACCOUNT',
  'ERR_2FA_FORBIDDEN',
  'ERR_2FA_UNKNOWN_USER',
  'ERR_2FA_INVALID_PHONE',
  'ERR_2FA_BAD_FORM',
  // A code that could not be delivered: DeliveryError.
  'ERR_2FA_DELIVERY_FAILED',
  'ERR_2FA_DELIVERY_TIMEOUT',
  'ERR_2FA_NO_CHANNEL',
  'ERR_2FA_INVALID_NUMBER',
  'ERR_2FA_UNREACHABLE',
  'ERR_2FA_RATE_LIMITED',
  'ERR_2FA_PROVIDER',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The codes of one error class; naming a code that is not an `ErrorCode` fails to compile. */
type CodesOf<T extends ErrorCode> = T;

export type ConfigurationErrorCode = CodesOf<
  | 'ERR_2FA_CONFIGURATION'
  | 'ERR_2FA_NOT_MIDDLEWARE'
  | 'ERR_2FA_NO_SESSION'
  | 'ERR_2FA_NO_SESSION_STORE'
  | 'ERR_2FA_ADAPTER_INCOMPLETE'
  | 'ERR_2FA_ADAPTER_DROPPED_FIELD'
  | 'ERR_2FA_BAD_EXEMPT_VERDICT'
  | 'ERR_2FA_STORE_MAY_EVICT'
>;

export type DeliveryErrorCode = CodesOf<
  | 'ERR_2FA_DELIVERY_FAILED'
  | 'ERR_2FA_DELIVERY_TIMEOUT'
  | 'ERR_2FA_NO_CHANNEL'
  | 'ERR_2FA_INVALID_NUMBER'
  | 'ERR_2FA_UNREACHABLE'
  | 'ERR_2FA_RATE_LIMITED'
  | 'ERR_2FA_PROVIDER'
>;

/**
 * The base of every error the library throws. None carries an HTTP status of its own (except a bad
 * form, answered by the library itself): one reaching Express's own handler is a 500, so a mistake in
 * the host's code never passes for the client's.
 */
export class TwoFactorError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * The host's set-up is wrong: an option at start-up, or, at the first call that needs it, a missing
 * express-session, an adapter without a method the call needs, and the like. The message names what
 * to fix; the `code` says which condition it is.
 */
export class ConfigurationError extends TwoFactorError {
  declare readonly code: ConfigurationErrorCode;
  constructor(message: string, code: ConfigurationErrorCode = 'ERR_2FA_CONFIGURATION') {
    super(code, message);
  }
}

/**
 * A method of the library was called with an argument of the wrong type (a number for a user id, a
 * string for a boolean): a bug in the calling code, not bad input from a client, so it is never
 * answered as a 400.
 */
export class InvalidArgumentError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_INVALID_ARGUMENT';
  constructor(message: string) {
    super('ERR_2FA_INVALID_ARGUMENT', message);
  }
}

/** The store (Redis or memory) could not be reached or answered with an error. Sign-in fails closed. */
export class StoreUnavailableError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_STORE_UNAVAILABLE';
  constructor(cause: unknown) {
    super('ERR_2FA_STORE_UNAVAILABLE', 'The two-factor store could not be reached.', { cause });
  }
}

/** Account-wide enforcement is one-way: nothing may switch it off once it is on. */
export class EnforcementIsOneWayError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_ENFORCEMENT_ONE_WAY';
  constructor(accountId: string) {
    super(
      'ERR_2FA_ENFORCEMENT_ONE_WAY',
      `Account-wide two-factor enforcement for account "${accountId}" is on and cannot be switched off.`,
    );
  }
}

/** The account's session policy (the "Sessions" enhancement) is on and cannot be switched off. */
export class SessionPolicyIsOneWayError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_SESSION_POLICY_ONE_WAY';
  constructor(accountId: string) {
    super('ERR_2FA_SESSION_POLICY_ONE_WAY', `The session policy for account "${accountId}" is one-way: it can be switched on, never off.`);
  }
}

/** The host's user adapter did not know the user it was asked about. */
export class UnknownUserError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_UNKNOWN_USER';
  constructor(userId: string) {
    super('ERR_2FA_UNKNOWN_USER', `users.find("${userId}") returned nothing: pass the id of a user who exists.`);
  }
}

/**
 * A channel could not deliver a code. `tryAnotherMethod` says whether offering another method makes
 * sense (for example a rejected phone number) or the failure is likely to hit every channel.
 */
export class DeliveryError extends TwoFactorError {
  declare readonly code: DeliveryErrorCode;
  readonly tryAnotherMethod: boolean;
  constructor(message: string, options: { tryAnotherMethod: boolean; cause?: unknown; code?: DeliveryErrorCode }) {
    super(options.code ?? 'ERR_2FA_DELIVERY_FAILED', message, { cause: options.cause });
    this.tryAnotherMethod = options.tryAnotherMethod;
  }
}

/** A phone number that cannot be used (`reason` says why: invalid, not possible, country, type). */
export class InvalidPhoneError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_INVALID_PHONE';
  constructor(readonly reason: string) {
    super('ERR_2FA_INVALID_PHONE', `That phone number cannot be used for verification codes (${reason}).`);
  }
}

/**
 * An admin asked about a user outside their account. The message does not say whether the user
 * exists: an admin of one account learns nothing about another.
 */
export class ForbiddenError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_FORBIDDEN';
  constructor() {
    super('ERR_2FA_FORBIDDEN', 'That user is not in your account.');
  }
}

/** A user's own 2FA switch cannot be turned off while their account enforces 2FA. */
export class EnforcedByAccountError extends TwoFactorError {
  declare readonly code: 'ERR_2FA_ENFORCED_BY_ACCOUNT';
  constructor() {
    super('ERR_2FA_ENFORCED_BY_ACCOUNT', "The account enforces two-factor verification: a user's 2FA cannot be switched off.");
  }
}
