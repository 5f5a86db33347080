export { deviceTwoFactor } from './device-two-factor';
export { MemoryStore, type MemoryStoreOptions } from './stores/memory-store';
export { RedisStore, type RedisStoreOptions } from './stores/redis-store';
export { EmailChannel } from './channels/email-channel';
export { DevelopmentOutbox, type OutboxEntry } from './channels/development-outbox';
export type { Channel, CodeMessage, CodePurpose } from './channels/channel';
export type { Actor, TwoFactorEvent } from './core/events';
export type {
  AttemptPolicy,
  ChallengeRecord,
  FailureState,
  IssueLimits,
  IssueOutcome,
  RateWindow,
  Store,
  StoredDevice,
  VerifyOutcome,
} from './stores/store';
export {
  ConfigurationError,
  DeliveryError,
  EnforcementIsOneWayError,
  StoreUnavailableError,
  TwoFactorError,
  UnknownUserError,
} from './errors';
export type {
  AccountSettings,
  CookieOptions,
  DeliveryMethod,
  DeviceTwoFactor,
  DeviceTwoFactorOptions,
  EmailOptions,
  PasswordVerifiedOptions,
  SettingsAdapter,
  SignInOutcome,
  TrustedDevice,
  UserAdapter,
  UserIdentity,
  UserSettings,
} from './types';
