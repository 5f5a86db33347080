/**
 * The host's own user and account tables. A real app keeps these in its database; here they are two
 * in-memory Maps so the example runs with nothing installed. The library never sees a password: it
 * only reads users through `userAdapter` and keeps its durable state (2FA settings, recovery codes,
 * authenticator secrets and passkeys) in these tables through `durableStore`.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
// In your app: import type { ... } from 'express-device-2fa';
import type { AccountSettings, DeliveryMethod, DurableStore, StoredCredential, UserAdapter, UserIdentity, UserSettings } from '../src';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

export const DEMO_PASSWORD = 'demo-password';

export interface UserRow {
  id: string;
  email: string;
  accountId: string;
  /** May open /admin for their own account. */
  admin: boolean;
  salt: Buffer;
  passwordHash: Buffer;
  /**
   * The user's 2FA settings live next to the rest of the user, as columns would in a database.
   * `twoFactor.phone` is the user's one phone number column: the durable store and the
   * `onPhoneVerified` hook both write it, so there is no second copy to drift.
   */
  twoFactor: UserSettings;
}

export interface AccountRow {
  id: string;
  twoFactorEnforced: boolean;
  twoFactorEnforcedAt: number | null;
  /** Apps that can't ask for a code (API tokens) are refused for every user of the account. */
  blockClients: boolean;
  /** The "Sessions" enhancement (idle timeout, lifetime): one-way, like enforcement. */
  sessionPolicy: boolean;
}

/** A user's 2FA credential (an authenticator secret, a passkey), as a row of its own table. */
export interface CredentialRow extends StoredCredential {
  userId: string;
}

export interface Database {
  users: Map<string, UserRow>;
  accounts: Map<string, AccountRow>;
  /** User id → the hashes of their unused recovery codes (a table of (user_id, code_hash) rows). */
  recoveryCodes: Map<string, Set<string>>;
  /** Primary key (user id, method, credential id) → row. */
  credentials: Map<string, CredentialRow>;
}

/** The demo users, as `server.ts` prints them. Everyone's password is `demo-password`. */
export const DEMO_USERS: ReadonlyArray<{
  id: string;
  email: string;
  accountId: string;
  admin?: true;
  twoFactor: UserSettings;
  note: string;
}> = [
  {
    id: 'alice',
    email: 'alice@acme.test',
    accountId: 'acme',
    twoFactor: settings(false, 'email'),
    note: 'account acme enforces 2FA; email',
  },
  {
    id: 'bob',
    email: 'bob@acme.test',
    accountId: 'acme',
    twoFactor: settings(false, 'sms', '+15005550006'),
    note: 'account acme enforces 2FA; prefers SMS',
  },
  {
    id: 'carol',
    email: 'carol@globex.test',
    accountId: 'globex',
    twoFactor: settings(true, 'sms'),
    note: 'own 2FA on; prefers SMS but has no phone',
  },
  { id: 'dan', email: 'dan@globex.test', accountId: 'globex', twoFactor: settings(false, 'email'), note: '2FA off: no code' },
  {
    id: 'admin-acme',
    email: 'admin@acme.test',
    accountId: 'acme',
    admin: true,
    twoFactor: settings(true, 'email'),
    note: 'admin of acme (/admin); own 2FA on; email',
  },
  {
    id: 'admin-globex',
    email: 'admin@globex.test',
    accountId: 'globex',
    admin: true,
    twoFactor: settings(true, 'email'),
    note: 'admin of globex (/admin); own 2FA on; email',
  },
];

function settings(enabled: boolean, method: DeliveryMethod, phone: string | null = null): UserSettings {
  return { enabled, method, phone };
}

async function hashPassword(password: string, salt: Buffer): Promise<Buffer> {
  return scryptAsync(password.normalize('NFKC'), salt, 64);
}

/** Creates the tables and hashes the demo password once per user (each with its own salt). */
export async function createDatabase(): Promise<Database> {
  const users = new Map<string, UserRow>();
  for (const demo of DEMO_USERS) {
    const salt = randomBytes(16);
    const passwordHash = await hashPassword(DEMO_PASSWORD, salt);
    const { id, email, accountId } = demo;
    users.set(id, { id, email, accountId, admin: demo.admin === true, salt, passwordHash, twoFactor: { ...demo.twoFactor } });
  }
  const accounts = new Map<string, AccountRow>([
    ['acme', { id: 'acme', twoFactorEnforced: true, twoFactorEnforcedAt: Date.now(), blockClients: false, sessionPolicy: true }],
    ['globex', { id: 'globex', twoFactorEnforced: false, twoFactorEnforcedAt: null, blockClients: false, sessionPolicy: false }],
  ]);
  return { users, accounts, recoveryCodes: new Map(), credentials: new Map() };
}

// Unknown emails are checked against this hash too, so the response time does not tell whether an
// account exists.
const DUMMY_SALT = randomBytes(16);
const DUMMY_HASH = randomBytes(64);

/** The user with this email and password, or null. The first step of sign-in; the library does the second. */
export async function checkPassword(db: Database, email: unknown, password: unknown): Promise<UserRow | null> {
  if (typeof email !== 'string' || typeof password !== 'string' || password.length > 1024) return null;
  const wanted = email.trim().toLowerCase();
  const user = [...db.users.values()].find((u) => u.email === wanted);
  const hash = await hashPassword(password, user?.salt ?? DUMMY_SALT);
  const matches = timingSafeEqual(hash, user?.passwordHash ?? DUMMY_HASH);
  return user && matches ? user : null;
}

/** Who a user is, for the library: id, email (where codes go) and account (for account-wide enforcement). */
export function userAdapter(db: Database): UserAdapter {
  const identity = (user: UserRow): UserIdentity => ({ id: user.id, email: user.email, accountId: user.accountId });
  return {
    async find(userId) {
      const user = db.users.get(userId);
      return user ? identity(user) : null;
    },
    // For the admin page's user list (`twoFactor.admin(accountId).listUsers()`).
    async listByAccount(accountId) {
      return [...db.users.values()].filter((u) => u.accountId === accountId).map(identity);
    },
  };
}

/**
 * The library's durable state, kept in these tables instead of the library's store: it is then as
 * durable as the rest of the user (losing it would switch 2FA off or lock the user out), and Redis
 * stays a cache of state that may be lost.
 */
export function durableStore(db: Database): DurableStore {
  const credentialKey = (userId: string, method: string, id: string) => JSON.stringify([userId, method, id]);
  const accountSettings = (row: AccountRow): AccountSettings => ({
    enforced: row.twoFactorEnforced,
    enforcedAt: row.twoFactorEnforcedAt,
    blockClients: row.blockClients,
    sessionPolicy: row.sessionPolicy,
  });
  /** The account's row; an account seen for the first time gets the library's defaults. */
  const accountRow = (accountId: string, defaults: AccountSettings): AccountRow => {
    let row = db.accounts.get(accountId);
    if (!row) {
      // Stored, so a later change of the `enforceNewAccounts` option does not silently change existing accounts.
      row = {
        id: accountId,
        twoFactorEnforced: defaults.enforced,
        twoFactorEnforcedAt: defaults.enforcedAt,
        blockClients: defaults.blockClients === true,
        sessionPolicy: defaults.sessionPolicy === true,
      };
      db.accounts.set(accountId, row);
    }
    return row;
  };

  return {
    async getUserSettings(userId) {
      const row = db.users.get(userId);
      return row ? { ...row.twoFactor } : null;
    },
    async updateUserSettings(userId, patch) {
      const row = db.users.get(userId);
      if (!row) throw new Error(`No user "${userId}"`);
      // Copy only known fields: the patch may come from a form.
      const current = row.twoFactor;
      const { enabled = current.enabled, method = current.method, phone = current.phone } = patch;
      const {
        emailCodes = current.emailCodes ?? true,
        unverifiedPhone = current.unverifiedPhone ?? null,
        blockClients = current.blockClients ?? false,
      } = patch;
      const { sessionPolicy = current.sessionPolicy ?? false, enrolled = current.enrolled ?? [] } = patch;
      // `enrolled` (the methods with a credential: an authenticator app, passkeys) is kept by the library.
      row.twoFactor = { enabled, method, phone, emailCodes, unverifiedPhone, blockClients, sessionPolicy, enrolled: [...enrolled] };
      return { ...row.twoFactor };
    },
    async ensureAccountSettings(accountId, defaults) {
      return accountSettings(accountRow(accountId, defaults));
    },
    // Only the settings an admin may switch both ways: never enforcement.
    async updateAccountSettings(accountId, patch, defaults) {
      const row = accountRow(accountId, defaults);
      if (patch.blockClients !== undefined) row.blockClients = patch.blockClients;
      return accountSettings(row);
    },
    async enforceAccount(accountId, now) {
      const row = db.accounts.get(accountId) ?? {
        id: accountId,
        twoFactorEnforced: false,
        twoFactorEnforcedAt: null,
        blockClients: false,
        sessionPolicy: false,
      };
      // One-way: this only ever sets the flag, and keeps the first time it was set.
      if (!row.twoFactorEnforced) {
        row.twoFactorEnforced = true;
        row.twoFactorEnforcedAt = now;
      }
      db.accounts.set(accountId, row);
      return accountSettings(row);
    },
    async enableAccountSessionPolicy(accountId, defaults) {
      const row = accountRow(accountId, defaults);
      // One-way: this only ever sets the flag.
      row.sessionPolicy = true;
      return accountSettings(row);
    },
    // Recovery codes: only their hashes, replaced as a whole set.
    async setRecoveryCodes(userId, codeHashes) {
      db.recoveryCodes.set(userId, new Set(codeHashes));
    },
    async countRecoveryCodes(userId) {
      return db.recoveryCodes.get(userId)?.size ?? 0;
    },
    // In SQL one `DELETE ... WHERE user_id = ? AND code_hash = ?`, whose row count says whether it was there.
    async consumeRecoveryCode(userId, codeHash) {
      const codes = db.recoveryCodes.get(userId);
      return codes?.delete(codeHash) ? codes.size : null;
    },
    async listCredentials(userId, method) {
      const rows = [...db.credentials.values()].filter((row) => row.userId === userId && row.method === method);
      return rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)).map(({ userId: _user, ...credential }) => credential);
    },
    async putCredential(userId, credential) {
      const { id, method, label, createdAt, lastUsedAt, data } = credential;
      db.credentials.set(credentialKey(userId, method, id), { userId, id, method, label, createdAt, lastUsedAt, data });
    },
    async deleteCredential(userId, method, id) {
      return db.credentials.delete(credentialKey(userId, method, id));
    },
  };
}
