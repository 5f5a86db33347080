import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DEFAULT_USER_SETTINGS } from '../core/policy';
import type { DurableStore, StoredCredential } from '../core/store';
import type { AccountSettings, UserSettings } from '../types';

/** One case of a contract suite: hand it to your test runner, e.g. `it(c.name, c.run)`. */
export interface ContractCase {
  name: string;
  run(): Promise<void>;
}

const MINUTE = 60_000;
const DEFAULTS: UserSettings = { ...DEFAULT_USER_SETTINGS };
const OFF: AccountSettings = { enforced: false, enforcedAt: null };

/**
 * The behaviour the library relies on from a `durableStore`, as a list of cases that any test runner
 * can run (they use `node:assert` and throw on failure):
 *
 * ```ts
 * import { durableStoreContract } from 'express-device-2fa/testing';
 * describe('our durable store', () => {
 *   for (const c of durableStoreContract(() => new OurDurableStore(testDb))) it(c.name, c.run);
 * });
 * ```
 *
 * `makeStore` is called once per case. Every case uses user and account ids of its own (random), so
 * the cases may share one database and run in any order. Cases of an optional method pass when the
 * store does not have it. Fields that `UserSettings` and `AccountSettings` document as optional may
 * be left out of a result when they hold their default ("absent means false").
 */
export function durableStoreContract(makeStore: () => DurableStore | Promise<DurableStore>): ContractCase[] {
  const cases: ContractCase[] = [];
  const test = (name: string, body: (store: DurableStore, id: (name: string) => string) => Promise<void>): void => {
    cases.push({
      name,
      async run() {
        const suffix = randomBytes(6).toString('hex');
        await body(await makeStore(), (name) => `${name}-${suffix}`);
      },
    });
  };

  test('getUserSettings: null for a user it has never seen', async (store, id) => {
    assert.equal(await store.getUserSettings(id('nobody')), null);
  });

  test('updateUserSettings: creates the settings from the defaults, then merges each patch over what is stored', async (store, id) => {
    const ann = id('ann');
    assert.deepEqual(user(await store.updateUserSettings(ann, { enabled: true }, DEFAULTS)), { ...DEFAULTS, enabled: true });
    const withPhone = user(await store.updateUserSettings(ann, { method: 'sms', phone: '+15555550100' }, DEFAULTS));
    assert.deepEqual(withPhone, { ...DEFAULTS, enabled: true, method: 'sms', phone: '+15555550100' });
    assert.deepEqual(user(await store.getUserSettings(ann)), withPhone);
    assert.deepEqual(user(await store.updateUserSettings(ann, { phone: null, method: 'email' }, DEFAULTS)), { ...DEFAULTS, enabled: true });
    assert.deepEqual(user(await store.updateUserSettings(ann, { enabled: false }, DEFAULTS)), DEFAULTS);
    assert.equal(await store.getUserSettings(id('bob')), null);
  });

  test('updateUserSettings: keeps every field it is given, both ways', async (store, id) => {
    const ann = id('ann');
    const changes: Partial<UserSettings>[] = [
      { phone: '+15555550100', method: 'voice', emailCodes: false },
      { unverifiedPhone: '+15555550199' },
      { blockClients: true },
      { sessionPolicy: true },
    ];
    let expected = { ...DEFAULTS };
    for (const patch of changes) {
      expected = { ...expected, ...patch };
      assert.deepEqual(user(await store.updateUserSettings(ann, patch, DEFAULTS)), expected);
      assert.deepEqual(user(await store.getUserSettings(ann)), expected);
    }
    const back: Partial<UserSettings> = {
      emailCodes: true,
      unverifiedPhone: null,
      blockClients: false,
      sessionPolicy: false,
      method: 'email',
    };
    assert.deepEqual(user(await store.updateUserSettings(ann, back, DEFAULTS)), { ...DEFAULTS, phone: '+15555550100' });
  });

  test('updateUserSettings: ignores undefined values in a patch', async (store, id) => {
    const ann = id('ann');
    await store.updateUserSettings(ann, { enabled: true, method: 'sms', phone: '+15555550100' }, DEFAULTS);
    const patch: Partial<UserSettings> = { enabled: undefined, method: undefined, phone: undefined, emailCodes: false };
    assert.deepEqual(user(await store.updateUserSettings(ann, patch, DEFAULTS)), {
      ...DEFAULTS,
      enabled: true,
      method: 'sms',
      phone: '+15555550100',
      emailCodes: false,
    });
  });

  test('ensureAccountSettings: stores the first defaults of an account and keeps them, even under a race', async (store, id) => {
    const acme = id('acme');
    const on: AccountSettings = { enforced: true, enforcedAt: Date.now() };
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store.ensureAccountSettings(acme, i % 2 ? on : OFF)));
    const first = account(results[0]!);
    for (const result of results) assert.deepEqual(account(result), first);
    assert.deepEqual(account(await store.ensureAccountSettings(acme, { enforced: !first.enforced, enforcedAt: 1 })), first);
    assert.deepEqual(account(await store.ensureAccountSettings(id('other'), OFF)), account(OFF));
    assert.deepEqual(
      account(await store.ensureAccountSettings(id('born-on'), { ...OFF, sessionPolicy: true })),
      account({ ...OFF, sessionPolicy: true }),
    );
  });

  test('enforceAccount: one way, keeping the first enforcedAt, for a known or a new account', async (store, id) => {
    const acme = id('acme');
    const t0 = Date.now();
    await store.ensureAccountSettings(acme, OFF);
    assert.deepEqual(account(await store.enforceAccount(acme, t0)), account({ enforced: true, enforcedAt: t0 }));
    assert.deepEqual(account(await store.enforceAccount(acme, t0 + MINUTE)), account({ enforced: true, enforcedAt: t0 }));
    assert.deepEqual(account(await store.ensureAccountSettings(acme, OFF)), account({ enforced: true, enforcedAt: t0 }));
    assert.deepEqual(account(await store.enforceAccount(id('new-account'), t0)), account({ enforced: true, enforcedAt: t0 }));
  });

  test('ensureAccountSettings: enforced:false defaults never unset an account enforced from the start', async (store, id) => {
    const acme = id('acme');
    const t0 = Date.now();
    await store.ensureAccountSettings(acme, { enforced: true, enforcedAt: t0 });
    assert.deepEqual(account(await store.ensureAccountSettings(acme, OFF)), account({ enforced: true, enforcedAt: t0 }));
    assert.deepEqual(account(await store.enforceAccount(acme, t0 + MINUTE)), account({ enforced: true, enforcedAt: t0 }));
  });

  test('updateAccountSettings (optional): switches the client block both ways, storing the defaults of a new account', async (store, id) => {
    if (!store.updateAccountSettings) return assert.equal(store.updateAccountSettings, undefined);
    const fresh = id('fresh');
    const t0 = Date.now();
    const on: AccountSettings = { enforced: true, enforcedAt: t0 };
    assert.deepEqual(account(await store.updateAccountSettings(fresh, { blockClients: true }, on)), account({ ...on, blockClients: true }));
    // The account now exists: later defaults do not apply, and the block sticks until switched off.
    assert.deepEqual(account(await store.ensureAccountSettings(fresh, OFF)), account({ ...on, blockClients: true }));
    assert.deepEqual(account(await store.updateAccountSettings(fresh, { blockClients: false }, OFF)), account(on));
    assert.deepEqual(account(await store.updateAccountSettings(fresh, {}, OFF)), account(on));
  });

  test('updateAccountSettings (optional): never touches enforcement, and enforcing keeps the block', async (store, id) => {
    if (!store.updateAccountSettings) return assert.equal(store.updateAccountSettings, undefined);
    const acme = id('acme');
    const t0 = Date.now();
    await store.ensureAccountSettings(acme, OFF);
    // A JavaScript caller sneaking enforcement into the patch changes nothing but the block.
    const patch = { blockClients: true, enforced: true, enforcedAt: t0 } as { blockClients: boolean };
    assert.deepEqual(
      account(await store.updateAccountSettings(acme, patch, { enforced: true, enforcedAt: t0 })),
      account({ ...OFF, blockClients: true }),
    );
    assert.deepEqual(account(await store.enforceAccount(acme, t0)), account({ enforced: true, enforcedAt: t0, blockClients: true }));
    const enforced = id('enforced');
    await store.ensureAccountSettings(enforced, { enforced: true, enforcedAt: t0 });
    assert.equal((await store.updateAccountSettings(enforced, { blockClients: false }, OFF)).enforced, true);
  });

  test('enableAccountSessionPolicy (optional): one way, and nothing writes it back to off', async (store, id) => {
    if (!store.enableAccountSessionPolicy) return assert.equal(store.enableAccountSessionPolicy, undefined);
    const fresh = id('fresh');
    const t0 = Date.now();
    // An account never seen gets its defaults first.
    assert.deepEqual(account(await store.enableAccountSessionPolicy(fresh, OFF)), account({ ...OFF, sessionPolicy: true }));
    assert.equal((await store.ensureAccountSettings(fresh, { ...OFF, sessionPolicy: false })).sessionPolicy, true);
    if (store.updateAccountSettings) {
      const patch = { blockClients: true, sessionPolicy: false } as { blockClients: boolean };
      assert.deepEqual(
        account(await store.updateAccountSettings(fresh, patch, OFF)),
        account({ ...OFF, blockClients: true, sessionPolicy: true }),
      );
    }
    assert.equal((await store.enableAccountSessionPolicy(fresh, OFF)).sessionPolicy, true);
    const enforced = account(await store.enforceAccount(fresh, t0));
    assert.deepEqual(
      { enforced: enforced.enforced, enforcedAt: enforced.enforcedAt, sessionPolicy: enforced.sessionPolicy },
      { enforced: true, enforcedAt: t0, sessionPolicy: true },
    );
  });

  test('recovery codes: none for a user it has never seen', async (store, id) => {
    assert.equal(await store.countRecoveryCodes(id('nobody')), 0);
    assert.equal(await store.consumeRecoveryCode(id('nobody'), 'a'.repeat(64)), null);
  });

  test('recovery codes: stores, counts and consumes each code once', async (store, id) => {
    const ann = id('ann');
    await store.setRecoveryCodes(ann, hashes('aaaa', 'bbbb', 'cccc'));
    assert.equal(await store.countRecoveryCodes(ann), 3);
    assert.equal(await store.consumeRecoveryCode(ann, hash('bbbb')), 2);
    assert.equal(await store.consumeRecoveryCode(ann, hash('bbbb')), null);
    assert.equal(await store.countRecoveryCodes(ann), 2);
    assert.equal(await store.consumeRecoveryCode(ann, hash('aaaa')), 1);
    assert.equal(await store.consumeRecoveryCode(ann, hash('cccc')), 0);
    assert.equal(await store.countRecoveryCodes(ann), 0);
    assert.equal(await store.consumeRecoveryCode(ann, hash('cccc')), null);
  });

  test('recovery codes: a new set replaces the whole old set, and an empty set removes them', async (store, id) => {
    const ann = id('ann');
    await store.setRecoveryCodes(ann, hashes('aaaa', 'bbbb', 'cccc'));
    await store.setRecoveryCodes(ann, hashes('dddd', 'eeee'));
    assert.equal(await store.countRecoveryCodes(ann), 2);
    assert.equal(await store.consumeRecoveryCode(ann, hash('aaaa')), null);
    assert.equal(await store.consumeRecoveryCode(ann, hash('eeee')), 1);
    await store.setRecoveryCodes(ann, []);
    assert.equal(await store.countRecoveryCodes(ann), 0);
    assert.equal(await store.consumeRecoveryCode(ann, hash('dddd')), null);
  });

  test('recovery codes: keeps users apart', async (store, id) => {
    const [ann, bob] = [id('ann'), id('bob')];
    await store.setRecoveryCodes(ann, hashes('aaaa', 'bbbb'));
    assert.equal(await store.consumeRecoveryCode(bob, hash('aaaa')), null);
    assert.equal(await store.countRecoveryCodes(bob), 0);
    await store.setRecoveryCodes(bob, hashes('aaaa'));
    await store.setRecoveryCodes(bob, []);
    assert.equal(await store.countRecoveryCodes(ann), 2);
    assert.equal(await store.consumeRecoveryCode(ann, hash('aaaa')), 1);
  });

  test('recovery codes: exactly one of 10 concurrent uses of one code consumes it', async (store, id) => {
    const ann = id('ann');
    await store.setRecoveryCodes(ann, hashes('aaaa', 'bbbb', 'cccc'));
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.consumeRecoveryCode(ann, hash('aaaa'))));
    assert.deepEqual(
      outcomes.filter((o) => o !== null),
      [2],
    );
    assert.equal(await store.countRecoveryCodes(ann), 2);
  });

  const credential = (id: string, createdAt: number, overrides: Partial<StoredCredential> = {}): StoredCredential => ({
    id,
    method: 'totp',
    label: `Authenticator ${id}`,
    createdAt,
    lastUsedAt: null,
    data: `{"secret":"sealed ${id}"}`,
    ...overrides,
  });

  test('credentials: none for a user it has never seen', async (store, id) => {
    assert.deepEqual(await store.listCredentials(id('nobody'), 'totp'), []);
    assert.equal(await store.deleteCredential(id('nobody'), 'totp', 'c1'), false);
  });

  test('credentials: lists one method of one user, oldest first (ties by id), every field as stored', async (store, id) => {
    const [ann, bob] = [id('ann'), id('bob')];
    const t0 = Date.now();
    const c1 = credential('c1', t0 + 1000);
    const c2 = credential('c2', t0, { lastUsedAt: t0 + MINUTE });
    const c0 = credential('c0', t0 + 1000);
    for (const c of [c1, c2, c0]) await store.putCredential(ann, c);
    await store.putCredential(ann, credential('p1', t0, { method: 'passkey' }));
    await store.putCredential(bob, credential('b1', t0));
    assert.deepEqual(await store.listCredentials(ann, 'totp'), [c2, c0, c1]);
    assert.deepEqual(await store.listCredentials(ann, 'passkey'), [credential('p1', t0, { method: 'passkey' })]);
    assert.deepEqual(await store.listCredentials(bob, 'totp'), [credential('b1', t0)]);
    assert.deepEqual(await store.listCredentials(ann, 'sms'), []);
  });

  test('credentials: replaces one with the same method and id, and keeps the same id of another method apart', async (store, id) => {
    const ann = id('ann');
    const t0 = Date.now();
    await store.putCredential(ann, credential('c1', t0));
    await store.putCredential(ann, credential('c1', t0, { method: 'passkey', label: 'Phone' }));
    const used = credential('c1', t0, { label: 'Work phone', lastUsedAt: t0 + MINUTE, data: 'counter=7' });
    await store.putCredential(ann, used);
    assert.deepEqual(await store.listCredentials(ann, 'totp'), [used]);
    assert.deepEqual(await store.listCredentials(ann, 'passkey'), [credential('c1', t0, { method: 'passkey', label: 'Phone' })]);
  });

  test('credentials: deletes only the one it names', async (store, id) => {
    const [ann, bob] = [id('ann'), id('bob')];
    const t0 = Date.now();
    await store.putCredential(ann, credential('c1', t0));
    await store.putCredential(ann, credential('c2', t0));
    await store.putCredential(ann, credential('c1', t0, { method: 'passkey' }));
    await store.putCredential(bob, credential('c1', t0));
    assert.equal(await store.deleteCredential(ann, 'totp', 'c1'), true);
    assert.equal(await store.deleteCredential(ann, 'totp', 'c1'), false);
    assert.deepEqual(await store.listCredentials(ann, 'totp'), [credential('c2', t0)]);
    assert.equal((await store.listCredentials(ann, 'passkey')).length, 1);
    assert.equal((await store.listCredentials(bob, 'totp')).length, 1);
  });

  test('credentials: keeps ids, labels and data byte for byte, and hands out copies', async (store, id) => {
    const odd = id('we{ir}d:user');
    const t0 = Date.now();
    const make = () =>
      credential('id with spaces/and{braces}', t0, { label: 'Ünïcode “label” 🔑', data: 'line 1\nline 2\t"quoted"\\ \u0000 end' });
    const given = make();
    await store.putCredential(odd, given);
    given.label = 'changed by the caller after the put';
    const [listed] = await store.listCredentials(odd, 'totp');
    assert.deepEqual(listed, make());
    listed!.label = 'changed by the caller after the list';
    assert.deepEqual(await store.listCredentials(odd, 'totp'), [make()]);
  });

  return cases;
}

/** Settings with the documented defaults of absent optional fields filled in, for comparison. */
function user(settings: UserSettings | null): UserSettings | null {
  if (settings === null) return null;
  const { enabled, method, phone, emailCodes = true, unverifiedPhone = null, blockClients = false, sessionPolicy = false } = settings;
  return { enabled, method, phone, emailCodes, unverifiedPhone, blockClients, sessionPolicy };
}

function account(settings: AccountSettings): Required<AccountSettings> {
  return {
    enforced: settings.enforced,
    enforcedAt: settings.enforcedAt,
    blockClients: settings.blockClients === true,
    sessionPolicy: settings.sessionPolicy === true,
  };
}

/** Stand-ins for the HMACs the library stores (64 hex characters). */
function hash(code: string): string {
  return Buffer.from(code.padEnd(32, '-')).toString('hex');
}

function hashes(...codes: string[]): string[] {
  return codes.map(hash);
}
