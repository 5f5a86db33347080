import { UnknownUserError } from '../errors';
import type { AccountSettings, SettingsAdapter, UserAdapter, UserIdentity, UserSettings } from '../types';
import { DEFAULT_USER_SETTINGS, isTwoFactorRequired } from './policy';

/** A user as the flow needs them: who they are, their settings, and their account's settings. */
export interface LoadedUser {
  identity: UserIdentity;
  settings: UserSettings;
  account: AccountSettings | null;
  required: boolean;
}

/** Reads users through the host's adapter and their settings through the settings adapter. */
export class UserDirectory {
  constructor(
    private readonly users: UserAdapter,
    private readonly settings: SettingsAdapter,
    private readonly enforceNewAccounts: boolean,
    private readonly now: () => number,
  ) {}

  async load(userId: string): Promise<LoadedUser> {
    const identity = await this.users.find(userId);
    if (!identity) throw new UnknownUserError(userId);
    const [stored, account] = await Promise.all([
      this.settings.getUserSettings(identity.id),
      identity.accountId
        ? this.settings.ensureAccountSettings(identity.accountId, this.newAccountDefaults())
        : Promise.resolve(null),
    ]);
    const settings = { ...DEFAULT_USER_SETTINGS, ...stored };
    return { identity, settings, account, required: isTwoFactorRequired(settings, account) };
  }

  private newAccountDefaults(): AccountSettings {
    return this.enforceNewAccounts ? { enforced: true, enforcedAt: this.now() } : { enforced: false, enforcedAt: null };
  }
}
