import type { AccountSettings, UserSettings } from '../types';

/** Settings of a user the library has never stored anything for: 2FA off, codes by email. */
export const DEFAULT_USER_SETTINGS: Readonly<UserSettings> = Object.freeze({
  enabled: false,
  method: 'email',
  phone: null,
  emailCodes: true,
  unverifiedPhone: null,
  blockClients: false,
  sessionPolicy: false,
});

/** 2FA is required when the user's own switch is on or their account enforces it. */
export function isTwoFactorRequired(user: UserSettings, account: AccountSettings | null): boolean {
  return user.enabled || account?.enforced === true;
}
