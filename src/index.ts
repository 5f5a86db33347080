/**
 * The main entry, `express-device-2fa`. Its types name no optional peer: the parts that need ioredis
 * or twilio are the `express-device-2fa/redis` and `express-device-2fa/twilio` entries.
 */
export { deviceTwoFactor } from './device-two-factor';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory-store';
export { EmailChannel } from './channels/email-channel';
export { DevelopmentOutbox, type OutboxEntry } from './channels/development-outbox';
export type { Channel, CodeMessage, CodePurpose } from './core/channel';
export type { Actor, TwoFactorEvent } from './core/events';
export type { SecurityNotice } from './core/notices';
// Languages: the type a table is held to, and the `strings` option's (see the README's "Languages").
export type { Strings } from './views/strings';
export type { StringsOption, StringsOverride } from './views/words';
export type { MethodWordsById } from './views/method-view';
export type { AccountAdmin, UserTwoFactorState } from './core/account-admin';
export { DEFAULT_ALLOWED_NUMBER_TYPES, normalisePhone, type PhoneOptions } from './core/phone';
export type {
  AttemptOutcome,
  AttemptPolicy,
  ChallengeRecord,
  DurableStore,
  EphemeralStore,
  FailureState,
  IndexedSession,
  IssueLimits,
  IssueOutcome,
  QuotaOutcome,
  RateWindow,
  Store,
  StoreLifecycle,
  StoredCredential,
  StoredDevice,
  StoreReport,
  VerifyOutcome,
} from './core/store';
export {
  ERROR_CODES,
  ConfigurationError,
  DeliveryError,
  EnforcedByAccountError,
  EnforcementIsOneWayError,
  SessionPolicyIsOneWayError,
  ForbiddenError,
  InvalidArgumentError,
  InvalidPhoneError,
  StoreUnavailableError,
  TwoFactorError,
  UnknownUserError,
  type ConfigurationErrorCode,
  type DeliveryErrorCode,
  type ErrorCode,
} from './errors';
export type {
  AccountSettings,
  AdminRouterOptions,
  AccountSettingsPatch,
  CookieOptions,
  DeliveryFailure,
  DeliveryMethod,
  DeviceTwoFactor,
  DeviceTwoFactorOptions,
  EmailOptions,
  ExemptClient,
  ExemptVerdict,
  Logger,
  LoginOptions,
  LoginUserId,
  LogoOptions,
  NotifyOptions,
  SessionPolicyOptions,
  PasswordVerifiedOptions,
  SignInOutcome,
  TwilioClientOption,
  TwilioCredentialOptions,
  TwilioOptions,
  TwilioRestClient,
  TwilioSenderOptions,
  TrustedDevice,
  UserAdapter,
  UserIdentity,
  UserSettings,
} from './types';
