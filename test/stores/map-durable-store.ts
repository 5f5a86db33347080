import type { AccountSettings, DurableStore, StoredCredential, UserSettings } from '../../src';

/**
 * A host's durable store as a host would write one over its own database, here over plain Maps
 * (one per table). Nothing in it comes from the library but the types: it is what the README's
 * "Durable store" section describes, and the contract suite is run against it.
 */
export function mapDurableStore(): DurableStore & { tables: { users: Map<string, UserSettings>; accounts: Map<string, AccountSettings> } } {
  const users = new Map<string, UserSettings>();
  const accounts = new Map<string, AccountSettings>();
  const recoveryCodes = new Map<string, Set<string>>();
  /** Primary key (user, method, id) → row. */
  const credentials = new Map<string, StoredCredential & { userId: string }>();
  const credentialKey = (userId: string, method: string, id: string) => JSON.stringify([userId, method, id]);
  const defined = <T extends object>(patch: T) =>
    Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
  const account = (accountId: string, defaults: AccountSettings): AccountSettings => {
    const row = accounts.get(accountId) ?? { ...defaults };
    accounts.set(accountId, row);
    return row;
  };
  return {
    tables: { users, accounts },
    async getUserSettings(userId) {
      const row = users.get(userId);
      return row ? { ...row } : null;
    },
    async updateUserSettings(userId, patch, defaults) {
      const row = { ...(users.get(userId) ?? defaults), ...defined(patch) };
      users.set(userId, row);
      return { ...row };
    },
    async ensureAccountSettings(accountId, defaults) {
      return { ...account(accountId, defaults) };
    },
    async enforceAccount(accountId, now) {
      const row = account(accountId, { enforced: false, enforcedAt: null });
      if (!row.enforced) Object.assign(row, { enforced: true, enforcedAt: now });
      return { ...row };
    },
    async updateAccountSettings(accountId, { blockClients }, defaults) {
      const row = account(accountId, defaults);
      if (blockClients !== undefined) row.blockClients = blockClients;
      return { ...row };
    },
    async enableAccountSessionPolicy(accountId, defaults) {
      const row = account(accountId, defaults);
      row.sessionPolicy = true;
      return { ...row };
    },
    async setRecoveryCodes(userId, codeHashes) {
      recoveryCodes.set(userId, new Set(codeHashes));
    },
    async countRecoveryCodes(userId) {
      return recoveryCodes.get(userId)?.size ?? 0;
    },
    async consumeRecoveryCode(userId, codeHash) {
      const codes = recoveryCodes.get(userId);
      return codes?.delete(codeHash) ? codes.size : null;
    },
    async listCredentials(userId, method) {
      return [...credentials.values()]
        .filter((row) => row.userId === userId && row.method === method)
        .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1))
        .map(({ userId: _user, ...credential }) => credential);
    },
    async putCredential(userId, { id, method, label, createdAt, lastUsedAt, data }) {
      credentials.set(credentialKey(userId, method, id), { userId, id, method, label, createdAt, lastUsedAt, data });
    },
    async deleteCredential(userId, method, id) {
      return credentials.delete(credentialKey(userId, method, id));
    },
  };
}
