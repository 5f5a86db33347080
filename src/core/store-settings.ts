import type { AccountSettings, AccountSettingsPatch, UserSettings } from '../types';
import { DEFAULT_USER_SETTINGS } from './policy';
import type { DurableStore } from './store';

/**
 * The durable settings as the flow uses them: the durable store's settings methods with the library's
 * defaults and clock filled in. The optional account methods are there only when the store has them.
 */
export interface DurableSettings {
  getUserSettings(userId: string): Promise<UserSettings | null>;
  updateUserSettings(userId: string, patch: Partial<UserSettings>): Promise<UserSettings>;
  ensureAccountSettings(accountId: string, defaults: AccountSettings): Promise<AccountSettings>;
  enforceAccount(accountId: string): Promise<AccountSettings>;
  updateAccountSettings?(accountId: string, patch: AccountSettingsPatch, defaults: AccountSettings): Promise<AccountSettings>;
  enableAccountSessionPolicy?(accountId: string, defaults: AccountSettings): Promise<AccountSettings>;
}

export function durableSettings(store: DurableStore, now: () => number): DurableSettings {
  const { updateAccountSettings, enableAccountSessionPolicy } = store;
  return {
    getUserSettings: (userId) => store.getUserSettings(userId),
    updateUserSettings: (userId, patch) => store.updateUserSettings(userId, patch, DEFAULT_USER_SETTINGS),
    ensureAccountSettings: (accountId, defaults) => store.ensureAccountSettings(accountId, defaults),
    enforceAccount: (accountId) => store.enforceAccount(accountId, now()),
    ...(updateAccountSettings && {
      updateAccountSettings: (accountId, patch, defaults) => updateAccountSettings.call(store, accountId, patch, defaults),
    }),
    ...(enableAccountSessionPolicy && {
      enableAccountSessionPolicy: (accountId, defaults) => enableAccountSessionPolicy.call(store, accountId, defaults),
    }),
  };
}
