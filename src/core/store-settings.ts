import type { Store } from './store';
import type { SettingsAdapter } from '../types';
import { DEFAULT_USER_SETTINGS } from './policy';

/** The default settings adapter: durable settings kept in the library's own store. */
export function storeSettings(store: Store, now: () => number): SettingsAdapter {
  return {
    getUserSettings: (userId) => store.getUserSettings(userId),
    updateUserSettings: (userId, patch) => store.updateUserSettings(userId, patch, DEFAULT_USER_SETTINGS),
    ensureAccountSettings: (accountId, defaults) => store.ensureAccountSettings(accountId, defaults),
    enforceAccount: (accountId) => store.enforceAccount(accountId, now()),
    updateAccountSettings: (accountId, patch, defaults) => store.updateAccountSettings(accountId, patch, defaults),
    enableAccountSessionPolicy: (accountId, defaults) => store.enableAccountSessionPolicy(accountId, defaults),
  };
}
