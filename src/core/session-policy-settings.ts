import { ConfigurationError, InvalidArgumentError, SessionPolicyIsOneWayError } from '../errors';
import type { AccountSettings, UserAdapter, UserSettings } from '../types';
import type { DurableSettings } from './store-settings';
import type { Actor, Events } from './events';
import type { UserDirectory } from './users';

export interface SessionPolicySwitchDeps {
  users: UserAdapter;
  directory: UserDirectory;
  settings: DurableSettings;
  events: Events;
  sessions: { end(userId: string): Promise<number> };
}

/** The user's own session policy, either way; it applies from their next sign-in. */
export async function switchUserSessionPolicy(
  deps: SessionPolicySwitchDeps,
  userId: string,
  on: boolean,
  by: Actor,
): Promise<UserSettings> {
  if (typeof on !== 'boolean') throw new InvalidArgumentError('setSessionPolicy(userId, on): on must be true or false.');
  const updated = await deps.settings.updateUserSettings(userId, { sessionPolicy: on });
  if ((updated.sessionPolicy === true) !== on) throw notKept('updateUserSettings');
  deps.events.emit({ type: 'session-policy.switched', userId, on, by });
  return updated;
}

/**
 * Switches the account's session policy on, one-way. The first time, every user of the account is
 * signed out once (when the user adapter can list them), so that their next sign-in follows it.
 */
export async function enableAccountSessionPolicy(
  deps: SessionPolicySwitchDeps,
  accountId: string,
  on: unknown,
  by: Actor,
): Promise<AccountSettings> {
  // A JavaScript caller passing `false` gets a clear refusal, not a no-op.
  if (on !== true) throw new SessionPolicyIsOneWayError(accountId);
  const enable = deps.settings.enableAccountSessionPolicy;
  if (!enable) {
    throw new ConfigurationError(
      'express-device-2fa: the session policy for an account needs `enableAccountSessionPolicy(accountId, defaults)` in your `durableStore`.',
      'ERR_2FA_ADAPTER_INCOMPLETE',
    );
  }
  const before = await deps.directory.account(accountId, true);
  const updated = await enable.call(deps.settings, accountId, deps.directory.newAccountDefaults());
  if (updated.sessionPolicy !== true) throw notKept('enableAccountSessionPolicy');
  let signedOut = 0;
  if (before.sessionPolicy !== true && deps.users.listByAccount) {
    const members = await deps.users.listByAccount(accountId);
    const counts = await Promise.all(members.map((member) => deps.sessions.end(member.id)));
    signedOut = counts.reduce((sum, count) => sum + count, 0);
  }
  deps.events.emit({ type: 'account.session-policy-enabled', accountId, signedOut, by });
  return updated;
}

/** An adapter that silently drops the field would let the switch claim a policy that is not there. */
function notKept(method: string): ConfigurationError {
  return new ConfigurationError(
    `express-device-2fa: your \`durableStore\`'s ${method} did not return the \`sessionPolicy\` it was given. Store the field and return it (see DurableStore).`,
    'ERR_2FA_ADAPTER_DROPPED_FIELD',
  );
}
