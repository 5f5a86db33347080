import { fieldNotKept } from './store-check';
import { ConfigurationError, InvalidArgumentError } from '../errors';
import type { AccountSettings, UserSettings } from '../types';
import type { DurableSettings } from './store-settings';
import type { Actor, Events } from './events';
import type { Notices } from './notices';
import type { UserDirectory } from './users';

/** Who refuses a user's clients that cannot do two-step verification. */
export type ClientBlock = 'user' | 'account';

export interface ClientAccessDeps {
  directory: UserDirectory;
  settings: DurableSettings;
  events: Events;
  notices: Notices;
}

/**
 * Whether the user's clients that cannot do two-step verification are refused, and by whom, as
 * stored now: one `load` (the user adapter, then the user's and the account's settings together;
 * the account is read even when its enforcement is remembered, since a block can be lifted).
 */
export async function clientBlock(directory: UserDirectory, userId: string): Promise<ClientBlock | null> {
  const user = await directory.load(userId, { fresh: true });
  if (user.settings.blockClients === true) return 'user';
  return user.account?.blockClients === true ? 'account' : null;
}

/** The user's own "block clients" switch, either way; the user is told (in `requestLocale` when they have no language of their own). */
export async function switchUserClients(
  deps: ClientAccessDeps,
  userId: string,
  blocked: boolean,
  by: Actor,
  requestLocale?: string,
): Promise<UserSettings> {
  if (typeof blocked !== 'boolean') throw new InvalidArgumentError('blockClients(userId, blocked): blocked must be true or false.');
  const updated = await deps.settings.updateUserSettings(userId, { blockClients: blocked });
  if ((updated.blockClients === true) !== blocked) throw fieldNotKept('updateUserSettings', 'blockClients');
  deps.events.emit({ type: 'clients.switched', userId, blocked, by });
  deps.notices.send(userId, { kind: 'clients-switched', blocked }, requestLocale);
  return updated;
}

/** The account-wide "block clients" switch, either way (unlike enforcement). */
export async function switchAccountClients(
  deps: ClientAccessDeps,
  accountId: string,
  blocked: boolean,
  by: Actor,
): Promise<AccountSettings> {
  if (typeof blocked !== 'boolean') throw new InvalidArgumentError('blockAccountClients(blocked): blocked must be true or false.');
  if (!deps.settings.updateAccountSettings) {
    throw new ConfigurationError(
      'express-device-2fa: blocking clients for an account needs `updateAccountSettings(accountId, patch, defaults)` in your `durableStore`.',
      'ERR_2FA_ADAPTER_INCOMPLETE',
    );
  }
  const updated = await deps.settings.updateAccountSettings(accountId, { blockClients: blocked }, deps.directory.newAccountDefaults());
  if ((updated.blockClients === true) !== blocked) throw fieldNotKept('updateAccountSettings', 'blockClients');
  deps.events.emit({ type: 'account.clients-switched', accountId, blocked, by });
  return updated;
}
