/**
 * Errors the host may catch. Each has a stable `code` so hosts can branch on it without parsing
 * messages (the same idea as jose's ERR_JWT_* and express-rate-limit's ERR_ERL_* codes).
 */
export class TwoFactorError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Thrown at start-up when an option is missing or wrong. The message names the option and the fix. */
export class ConfigurationError extends TwoFactorError {
  constructor(message: string) {
    super('ERR_2FA_CONFIGURATION', message);
  }
}

/** The store (Redis or memory) could not be reached or answered with an error. Sign-in fails closed. */
export class StoreUnavailableError extends TwoFactorError {
  constructor(cause: unknown) {
    super('ERR_2FA_STORE_UNAVAILABLE', 'The two-factor store could not be reached.', { cause });
  }
}

/** Account-wide enforcement is one-way: nothing may switch it off once it is on. */
export class EnforcementIsOneWayError extends TwoFactorError {
  constructor(accountId: string) {
    super(
      'ERR_2FA_ENFORCEMENT_ONE_WAY',
      `Account-wide two-factor enforcement for account "${accountId}" is on and cannot be switched off.`,
    );
  }
}

/** The account's session policy (the "Sessions" enhancement) is on and cannot be switched off. */
export class SessionPolicyIsOneWayError extends TwoFactorError {
  constructor(accountId: string) {
    super('ERR_2FA_SESSION_POLICY_ONE_WAY', `The session policy for account "${accountId}" is one-way: it can be switched on, never off.`);
  }
}

/** The host's user adapter did not know the user it was asked about. */
export class UnknownUserError extends TwoFactorError {
  constructor(userId: string) {
    super('ERR_2FA_UNKNOWN_USER', `users.find("${userId}") returned nothing: pass the id of a user who exists.`);
  }
}

/**
 * A channel could not deliver a code. `tryAnotherMethod` says whether offering another method makes
 * sense (for example a rejected phone number) or the failure is likely to hit every channel.
 */
export class DeliveryError extends TwoFactorError {
  readonly tryAnotherMethod: boolean;
  constructor(message: string, options: { tryAnotherMethod: boolean; cause?: unknown; code?: string }) {
    super(options.code ?? 'ERR_2FA_DELIVERY_FAILED', message, { cause: options.cause });
    this.tryAnotherMethod = options.tryAnotherMethod;
  }
}

/**
 * An admin asked about a user outside their account. The message does not say whether the user
 * exists: an admin of one account learns nothing about another.
 */
/** A phone number that cannot be used (`reason` says why: invalid, not possible, country, type). */
export class InvalidPhoneError extends TwoFactorError {
  constructor(readonly reason: string) {
    super('ERR_2FA_INVALID_PHONE', `That phone number cannot be used for verification codes (${reason}).`);
  }
}

export class ForbiddenError extends TwoFactorError {
  constructor() {
    super('ERR_2FA_FORBIDDEN', 'That user is not in your account.');
  }
}

/** A user's own 2FA switch cannot be turned off while their account enforces 2FA. */
export class EnforcedByAccountError extends TwoFactorError {
  constructor() {
    super('ERR_2FA_ENFORCED_BY_ACCOUNT', "The account enforces two-factor verification: a user's 2FA cannot be switched off.");
  }
}
