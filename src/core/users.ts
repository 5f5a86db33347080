import { UnknownUserError } from '../errors';
import type { AccountSettings, UserAdapter, UserIdentity, UserSettings } from '../types';
import type { DurableSettings } from './store-settings';
import { DEFAULT_USER_SETTINGS, isTwoFactorRequired } from './policy';

/** A user as the flow needs them: who they are, their settings, and their account's settings. */
export interface LoadedUser {
  identity: UserIdentity;
  settings: UserSettings;
  account: AccountSettings | null;
  required: boolean;
}

/** Reads users through the host's adapter and their settings through the durable store. */
const MAX_REMEMBERED_ACCOUNTS = 10_000;

export class UserDirectory {
  private readonly enforced = new Map<string, AccountSettings>();

  constructor(
    private readonly users: UserAdapter,
    private readonly settings: DurableSettings,
    /** What an account seen for the first time starts with: `enforceNewAccounts`, `sessionPolicy.forNewAccounts`. */
    private readonly newAccounts: { enforced: boolean; sessionPolicy: boolean },
    private readonly now: () => number,
  ) {}

  /**
   * The user, their settings and their account's. Only the one-way settings are remembered for an
   * enforced account: pass `fresh` to read its reversible settings (`blockClients`) as they are now,
   * and `sessionPolicy` when the account's session policy must be known (a sign-in): a remembered
   * account without it is read again, since another process may have switched it on.
   */
  async load(userId: string, { fresh = false, sessionPolicy = false } = {}): Promise<LoadedUser> {
    const identity = await this.identity(userId);
    const [stored, account] = await Promise.all([
      this.settings.getUserSettings(identity.id),
      identity.accountId ? this.account(identity.accountId, fresh, sessionPolicy) : Promise.resolve(null),
    ]);
    const settings = { ...DEFAULT_USER_SETTINGS, ...stored };
    return { identity, settings, account, required: isTwoFactorRequired(settings, account) };
  }

  /** Who the user is, from the host's adapter alone (no settings read). */
  async identity(userId: string): Promise<UserIdentity> {
    const identity = await this.users.find(userId);
    if (!identity) throw new UnknownUserError(userId);
    return identity;
  }

  /**
   * The account's settings; an account seen for the first time gets the new-account defaults.
   * Enforcement is one-way, so an account once seen enforced is remembered in this process and
   * costs no further store call (bounded; the oldest is forgotten first) unless `fresh` asks for
   * the settings that can change back (`blockClients`), or `sessionPolicy` for that flag while it
   * is not known to be on (it is one-way too, so it is never remembered as off).
   */
  async account(accountId: string, fresh = false, sessionPolicy = false): Promise<AccountSettings> {
    const known = fresh ? undefined : this.enforced.get(accountId);
    if (known && (known.sessionPolicy === true || !sessionPolicy)) return { ...known };
    const settings = await this.settings.ensureAccountSettings(accountId, this.newAccountDefaults());
    if (settings.enforced) {
      if (this.enforced.size >= MAX_REMEMBERED_ACCOUNTS) this.enforced.delete(this.enforced.keys().next().value as string);
      this.enforced.set(accountId, {
        enforced: true,
        enforcedAt: settings.enforcedAt,
        ...(settings.sessionPolicy === true ? { sessionPolicy: true } : {}),
      });
    }
    return settings;
  }

  /** What an account seen for the first time starts with. */
  newAccountDefaults(): AccountSettings {
    const { enforced, sessionPolicy } = this.newAccounts;
    return { enforced, enforcedAt: enforced ? this.now() : null, sessionPolicy };
  }
}
