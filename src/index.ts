export { deviceTwoFactor } from './device-two-factor';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory-store';
export { RedisStore, type RedisStoreOptions } from './stores/redis-store';
export { EmailChannel } from './channels/email-channel';
export { DevelopmentOutbox, type OutboxEntry } from './channels/development-outbox';
export type { Channel, CodeMessage, CodePurpose } from './channels/channel';
export type { Actor, TwoFactorEvent } from './core/events';
export type { SecurityNotice } from './core/notices';
export type { AccountAdmin, UserTwoFactorState } from './core/account-admin';
export type { AdminRouterOptions } from './http/admin-router';
export { DEFAULT_ALLOWED_NUMBER_TYPES, normalisePhone, type PhoneOptions } from './core/phone';
export { SmsChannel } from './channels/sms-channel';
export { VoiceChannel } from './channels/voice-channel';
export { createTwilioClient, type TwilioOptions } from './channels/twilio-client';
export type {
  AttemptPolicy,
  ChallengeRecord,
  FailureState,
  IndexedSession,
  IssueLimits,
  IssueOutcome,
  RateWindow,
  Store,
  StoredDevice,
  StoreReport,
  VerifyOutcome,
} from './stores/store';
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
  AccountSettingsPatch,
  CookieOptions,
  DeliveryFailure,
  DeliveryMethod,
  DeviceTwoFactor,
  DeviceTwoFactorOptions,
  EmailOptions,
  ExemptClient,
  ExemptVerdict,
  NotifyOptions,
  SessionPolicyOptions,
  PasswordVerifiedOptions,
  SettingsAdapter,
  SignInOutcome,
  TrustedDevice,
  UserAdapter,
  UserIdentity,
  UserSettings,
} from './types';
