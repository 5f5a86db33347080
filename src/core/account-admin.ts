import {
  ConfigurationError,
  EnforcedByAccountError,
  EnforcementIsOneWayError,
  ForbiddenError,
  InvalidArgumentError,
  InvalidPhoneError,
} from '../errors';
import { normalisePhone, type PhoneOptions } from './phone';
import type { MethodId } from './method';
import type { AccountSettings, SignedInSession, TrustedDevice, UserAdapter } from '../types';
import type { DurableSettings } from './store-settings';

/** A user's signed-in sessions, as admin operations need them (the HTTP layer implements it over the session store). */
export interface UserSessions {
  list(userId: string): Promise<SignedInSession[]>;
  /** Ends every session of the user; resolves how many. */
  end(userId: string): Promise<number>;
}
import type { EphemeralStore } from './store';
import { switchAccountClients, switchUserClients } from './client-access';
import { enableAccountSessionPolicy, switchUserSessionPolicy } from './session-policy-settings';
import type { Actor, Events } from './events';
import { maskPhone } from './mask';
import type { Notices } from './notices';
import type { TrustedDevices } from './trusted-devices';
import type { LoadedUser, UserDirectory } from './users';

/** What an admin sees of one user. The phone is masked. */
export interface UserTwoFactorState {
  userId: string;
  email: string;
  /** The user's own switch. */
  enabled: boolean;
  /** Own switch or account enforcement. */
  required: boolean;
  method: MethodId;
  /** Methods the user set up credentials for (an authenticator app, passkeys). */
  enrolled: MethodId[];
  phone: string | null;
  /** Masked number an admin typed in, not yet proved by the user's code; null when none. */
  unverifiedPhone: string | null;
  deviceCount: number;
  /** 100 consecutive wrong codes shut the user's code step until a recovery code or `unlock`. */
  lockedOut: boolean;
  /** The user's own "block clients that cannot do 2FA" (the account's is in `getAccount()`). */
  blockClients: boolean;
  /** The user's own session policy (the account's is in `getAccount()`). */
  sessionPolicy: boolean;
}

/** Admin operations, all scoped to one account: an admin of `acme` cannot see or touch `globex`. */
export interface AccountAdmin {
  readonly accountId: string;
  /** The account's settings (is enforcement on, since when; are clients that cannot do 2FA blocked). */
  getAccount(): Promise<AccountSettings>;
  listUsers(): Promise<UserTwoFactorState[]>;
  getUser(userId: string): Promise<UserTwoFactorState>;
  /** Off is refused (EnforcedByAccountError) while the account enforces 2FA. */
  setUserEnabled(userId: string, enabled: boolean): Promise<UserTwoFactorState>;
  /** Forgets the user's verified phone; SMS/voice users fall back to email until they add one again. */
  resetPhone(userId: string): Promise<UserTwoFactorState>;
  /**
   * Types a mobile number in for the user (read and checked like any other; `InvalidPhoneError`
   * otherwise) and makes codes go to it by `method` (default SMS). It stays unverified until the
   * user's next sign-in, whose code goes there: entering it makes the number theirs. The user is told.
   */
  setPhone(userId: string, phone: string, method?: 'sms' | 'voice'): Promise<UserTwoFactorState>;
  listDevices(userId: string): Promise<TrustedDevice[]>;
  revokeDevice(userId: string, deviceId: string): Promise<boolean>;
  revokeAllDevices(userId: string): Promise<number>;
  /** The user's signed-in sessions (browser, place, signed in, last active). */
  listSessions(userId: string): Promise<SignedInSession[]>;
  /** Signs the user out everywhere: every signed-in session ends. Resolves how many. */
  signOutEverywhere(userId: string): Promise<number>;
  /** Lifts the user's lock-out and forgets their failed attempts. Resolves whether there was anything to clear. */
  unlock(userId: string): Promise<boolean>;
  /** One-way: there is no operation to disable it; `false` throws EnforcementIsOneWayError. */
  enforce(enforced?: true): Promise<AccountSettings>;
  /** Blocks (or allows again) the user's clients that cannot do 2FA; the user is told. */
  blockClients(userId: string, blocked: boolean): Promise<UserTwoFactorState>;
  /** Blocks (or allows again) clients that cannot do 2FA for every user of the account. */
  blockAccountClients(blocked: boolean): Promise<AccountSettings>;
  /** The user's own session policy (idle timeout, lifetime), either way; from their next sign-in. */
  setSessionPolicy(userId: string, on: boolean): Promise<UserTwoFactorState>;
  /** One-way: the account's session policy; its users are signed out once. `false` throws SessionPolicyIsOneWayError. */
  enableSessionPolicy(on?: true): Promise<AccountSettings>;
}

interface AdminDeps {
  users: UserAdapter;
  directory: UserDirectory;
  settings: DurableSettings;
  devices: TrustedDevices;
  events: Events;
  notices: Notices;
  failures: Pick<EphemeralStore, 'getFailureState' | 'clearFailures'>;
  sessions: UserSessions;
  now: () => number;
  phone: PhoneOptions;
}

/** Builds the account-scoped admin handle for `accountId`, acting as admin `adminId`. */
export function accountAdmin(deps: AdminDeps, accountId: string, adminId: string): AccountAdmin {
  if (typeof accountId !== 'string' || accountId === '')
    throw new InvalidArgumentError('admin(accountId, adminId): accountId must be a non-empty string.');
  const by: Actor = { kind: 'admin', adminId };

  /** The user, if in this account; otherwise the same refusal whether or not they exist. */
  async function member(userId: string): Promise<LoadedUser> {
    const identity = typeof userId === 'string' ? await deps.users.find(userId) : undefined;
    if (!identity || identity.accountId !== accountId) throw new ForbiddenError();
    return deps.directory.load(identity.id);
  }

  async function describe(user: LoadedUser): Promise<UserTwoFactorState> {
    const [devices, failures] = await Promise.all([
      deps.devices.list(user.identity.id),
      deps.failures.getFailureState(user.identity.id, deps.now()),
    ]);
    return {
      userId: user.identity.id,
      email: user.identity.email,
      enabled: user.settings.enabled,
      required: user.required,
      method: user.settings.method,
      enrolled: user.settings.enrolled ?? [],
      phone: user.settings.phone ? maskPhone(user.settings.phone) : null,
      unverifiedPhone: user.settings.unverifiedPhone ? maskPhone(user.settings.unverifiedPhone) : null,
      deviceCount: devices.length,
      lockedOut: failures.lockedOut,
      blockClients: user.settings.blockClients === true,
      sessionPolicy: user.settings.sessionPolicy === true,
    };
  }

  return {
    accountId,
    getAccount() {
      return deps.directory.account(accountId, true);
    },
    async listUsers() {
      if (!deps.users.listByAccount)
        throw new ConfigurationError(
          'express-device-2fa: listing users needs `users.listByAccount(accountId)` in your user adapter.',
          'ERR_2FA_ADAPTER_INCOMPLETE',
        );
      const identities = await deps.users.listByAccount(accountId);
      return Promise.all(identities.filter((u) => u.accountId === accountId).map(async (u) => describe(await deps.directory.load(u.id))));
    },
    async getUser(userId) {
      return describe(await member(userId));
    },
    async setUserEnabled(userId, enabled) {
      if (typeof enabled !== 'boolean') throw new InvalidArgumentError('setUserEnabled(userId, enabled): enabled must be true or false.');
      const user = await member(userId);
      if (!enabled && user.account?.enforced) throw new EnforcedByAccountError();
      await deps.settings.updateUserSettings(user.identity.id, { enabled });
      deps.events.emit({ type: 'user.2fa-switched', userId: user.identity.id, enabled, by });
      return describe(await deps.directory.load(user.identity.id));
    },
    async resetPhone(userId) {
      const user = await member(userId);
      // Codes fall back to email: re-enrolling a phone at the next sign-in would rest on the password alone.
      await deps.settings.updateUserSettings(user.identity.id, { phone: null, unverifiedPhone: null, method: 'email', emailCodes: true });
      deps.events.emit({ type: 'phone.changed', userId: user.identity.id, phone: null, by });
      deps.notices.send(user.identity.id, { kind: 'phone-changed', phone: null });
      return describe(await deps.directory.load(user.identity.id));
    },
    async setPhone(userId, typed, method = 'sms') {
      if (method !== 'sms' && method !== 'voice')
        throw new InvalidArgumentError('setPhone(userId, phone, method): method must be "sms" or "voice".');
      const user = await member(userId);
      const parsed = normalisePhone(typeof typed === 'string' ? typed : '', deps.phone);
      if (!parsed.ok) throw new InvalidPhoneError(parsed.reason);
      await deps.settings.updateUserSettings(user.identity.id, { unverifiedPhone: parsed.e164, method });
      const masked = maskPhone(parsed.e164);
      deps.events.emit({ type: 'phone.set-by-admin', userId: user.identity.id, phone: masked, by });
      deps.notices.send(user.identity.id, { kind: 'phone-set-by-admin', phone: masked });
      return describe(await deps.directory.load(user.identity.id));
    },
    async listDevices(userId) {
      return deps.devices.list((await member(userId)).identity.id);
    },
    async revokeDevice(userId, deviceId) {
      return deps.devices.revoke((await member(userId)).identity.id, deviceId, by);
    },
    async revokeAllDevices(userId) {
      return deps.devices.revokeAll((await member(userId)).identity.id, by);
    },
    async listSessions(userId) {
      return deps.sessions.list((await member(userId)).identity.id);
    },
    async signOutEverywhere(userId) {
      const id = (await member(userId)).identity.id;
      const count = await deps.sessions.end(id);
      deps.events.emit({ type: 'sessions.ended', userId: id, count, by });
      return count;
    },
    async unlock(userId) {
      return unlockUser(deps, (await member(userId)).identity.id, by);
    },
    async enforce(enforced = true) {
      if ((enforced as boolean) !== true) throw new EnforcementIsOneWayError(accountId);
      const settings = await deps.settings.enforceAccount(accountId);
      deps.events.emit({ type: 'enforcement.enabled', accountId, by });
      return settings;
    },
    async blockClients(userId, blocked) {
      const user = await member(userId);
      await switchUserClients(deps, user.identity.id, blocked, by);
      return describe(await deps.directory.load(user.identity.id));
    },
    blockAccountClients(blocked) {
      return switchAccountClients(deps, accountId, blocked, by);
    },
    async setSessionPolicy(userId, on) {
      const user = await member(userId);
      await switchUserSessionPolicy(deps, user.identity.id, on, by);
      return describe(await deps.directory.load(user.identity.id));
    },
    enableSessionPolicy(on = true) {
      return enableAccountSessionPolicy(deps, accountId, on, by);
    },
  };
}

/** Lifts a lock-out (admin or host): the failure count is forgotten and the user can get codes again. */
export async function unlockUser(deps: Pick<AdminDeps, 'failures' | 'events'>, userId: string, by: Actor): Promise<boolean> {
  const cleared = await deps.failures.clearFailures(userId);
  if (cleared) deps.events.emit({ type: 'user.unlocked', userId, by });
  return cleared;
}
