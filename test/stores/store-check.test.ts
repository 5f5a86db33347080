import {
  ConfigurationError,
  deviceTwoFactor,
  MemoryStore,
  type DeviceTwoFactor,
  type DeviceTwoFactorOptions,
  type DurableStore,
} from '../../src';
import { REQUIRED_METHODS } from '../../src/core/store';
import { TEST_SECRET } from '../helpers/test-app';
import { mapDurableStore } from './map-durable-store';

const users = { find: async () => ({ id: 'u1', email: 'u1@example.test', accountId: 'acme' }) };
const base = { secret: TEST_SECRET, users, development: true };

/** The error deviceTwoFactor() throws for these options (the test fails when it starts instead). */
function startUpError(options: Record<string, unknown>): ConfigurationError {
  let twoFactor: DeviceTwoFactor;
  try {
    twoFactor = deviceTwoFactor({ ...base, ...options } as DeviceTwoFactorOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return error as ConfigurationError;
  }
  void twoFactor.close();
  throw new Error('deviceTwoFactor() started');
}

/** A MemoryStore's methods as a plain object, less `drop` (as a host's own store missing them would be). */
function memoryStoreWithout(store: MemoryStore, ...drop: string[]): Record<string, unknown> {
  const methods = [...REQUIRED_METHODS.ephemeral, ...REQUIRED_METHODS.durable].filter((m) => !drop.includes(m));
  return Object.fromEntries(methods.map((m) => [m, (store as unknown as Record<string, (...args: unknown[]) => unknown>)[m]!.bind(store)]));
}

describe('the stores are checked at start-up, every required method of both parts', () => {
  const memory = new MemoryStore();
  afterAll(() => memory.close());

  it('knows all 26 required methods: 16 ephemeral, 10 durable', () => {
    expect(REQUIRED_METHODS.ephemeral).toHaveLength(16);
    expect(REQUIRED_METHODS.durable).toHaveLength(10);
  });

  it.each([...REQUIRED_METHODS.ephemeral.map((m) => ['ephemeral', m]), ...REQUIRED_METHODS.durable.map((m) => ['durable', m])])(
    'refuses a store without %s method %s, naming it',
    (part, method) => {
      const error = startUpError({ store: memoryStoreWithout(memory, method) });
      const interfaceName = part === 'ephemeral' ? 'EphemeralStore' : 'DurableStore';
      expect(error.message).toMatch(new RegExp(`\`store\`[^.]* must implement ${interfaceName}.*missing: ${method}\\.`));
    },
  );

  it('lists everything missing, from both options, in one error', () => {
    const durable: Partial<DurableStore> = { ...mapDurableStore() };
    delete durable.consumeRecoveryCode;
    delete durable.listCredentials;
    const error = startUpError({ store: memoryStoreWithout(memory, 'claimOnce', 'recordAttempt', 'putCredential'), durableStore: durable });
    expect(error.message).toBe(
      'express-device-2fa: `store` must implement EphemeralStore (MemoryStore and RedisStore do); missing: recordAttempt, claimOnce. ' +
        '`durableStore` must implement DurableStore; missing: consumeRecoveryCode, listCredentials.',
    );
  });

  it('asks a store without a durableStore for the durable methods too, and says how to avoid it', () => {
    const error = startUpError({ store: memoryStoreWithout(memory, ...REQUIRED_METHODS.durable) });
    expect(error.message).toBe(
      'express-device-2fa: `store` also keeps the durable state, as no `durableStore` is given, so it must implement DurableStore too ' +
        `(or pass a \`durableStore\`); missing: ${REQUIRED_METHODS.durable.join(', ')}.`,
    );
  });

  it('starts with an ephemeral-only store beside a durableStore, and with a durableStore without the optional methods', async () => {
    const { updateAccountSettings: _a, enableAccountSessionPolicy: _b, ...required } = mapDurableStore();
    const twoFactor = deviceTwoFactor({
      ...base,
      store: memoryStoreWithout(memory, ...REQUIRED_METHODS.durable) as never,
      durableStore: required,
    });
    await expect(twoFactor.ready).resolves.toBeUndefined();
    // Today's behaviour without the optional methods: the features that need them say so.
    await expect(twoFactor.enableSessionPolicy('acme')).rejects.toThrow(
      /needs `enableAccountSessionPolicy\(accountId, defaults\)` in your `durableStore`/,
    );
    await expect(twoFactor.admin('acme').blockAccountClients(true)).rejects.toThrow(
      /needs `updateAccountSettings\(accountId, patch, defaults\)` in your `durableStore`/,
    );
    await twoFactor.close();
  });

  it('refuses the retired `settings` option with the rename and what the adapter must add', () => {
    const { getUserSettings, updateUserSettings, ensureAccountSettings, enforceAccount } = mapDurableStore();
    const old = { getUserSettings, updateUserSettings, ensureAccountSettings, enforceAccount };
    expect(startUpError({ settings: old }).message).toBe(
      'express-device-2fa: `settings` is now `durableStore`: rename the option. The durable store keeps all durable state ' +
        '(settings, recovery codes, credentials) in one adapter, so yours must now also implement setRecoveryCodes, ' +
        'countRecoveryCodes, consumeRecoveryCode, listCredentials, putCredential, deleteCredential. See "Durable store" in the ' +
        'README; `durableStoreContract` checks an adapter from your own tests.',
    );
    // Refused even when the adapter is complete, or beside a durableStore: the option is gone.
    expect(startUpError({ settings: mapDurableStore() }).message).toMatch(
      /^express-device-2fa: `settings` is now `durableStore`: rename the option\. The durable store keeps all durable state \(settings, recovery codes, credentials\) in one adapter\. See/,
    );
    expect(startUpError({ settings: old, durableStore: mapDurableStore() }).message).toMatch(/`settings` is now `durableStore`/);
  });

  it('refuses a class or factory passed as durableStore', () => {
    expect(startUpError({ durableStore: mapDurableStore }).message).toMatch(
      /`durableStore` must be a store instance .*not a class or a factory/,
    );
  });
});
