// A strict TypeScript consumer of the main entry and the testing entry, compiled with skipLibCheck
// off where neither ioredis nor twilio is installed: the package's declarations must not need them.
import express from 'express';
import {
  ConfigurationError,
  deviceTwoFactor,
  MemoryStore,
  StoreUnavailableError,
  type DeviceTwoFactor,
  type DeviceTwoFactorOptions,
  type Store,
  type TwilioOptions,
  type UserIdentity,
} from 'express-device-2fa';
import { durableStoreContract, type ContractCase } from 'express-device-2fa/testing';

const users = {
  find: async (id: string): Promise<UserIdentity | undefined> => (id === 'u-ann' ? { id, email: 'ann@example.com' } : undefined),
};
const options: DeviceTwoFactorOptions = {
  secret: 'a-consumer-secret-that-is-long-enough-for-it',
  users,
  store: new MemoryStore(),
  development: true,
};
const twoFactor: DeviceTwoFactor = deviceTwoFactor(options);

const app = express();
app.use(twoFactor);
app.use(twoFactor.router, twoFactor.guard);
app.use(twoFactor.errorHandler);
const handler: express.RequestHandler = twoFactor;

const store: Store = new MemoryStore();
const cases: ContractCase[] = durableStoreContract(() => new MemoryStore());
// The `twilio` option is typed without the twilio package: a client of the right shape fits.
const twilio: TwilioOptions = {
  client: { messages: { create: async () => ({}) }, calls: { create: async () => ({}) } },
  from: '+15017122661',
};

export { app, cases, handler, store, twilio, ConfigurationError, StoreUnavailableError };
