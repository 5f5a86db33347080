import express from 'express';
import request from 'supertest';
import { ConfigurationError, deviceTwoFactor, MemoryStore, type DeviceTwoFactorOptions } from '../src';
import { TEST_SECRET } from './helpers/test-app';

const users = { find: async () => ({ id: 'u1', email: 'u1@example.test' }) };
const email = { transport: 'smtp://127.0.0.1:2525', from: 'security@example.test' };
const valid: DeviceTwoFactorOptions = { secret: TEST_SECRET, users, email };

function configure(options: unknown) {
  return () => deviceTwoFactor(options as DeviceTwoFactorOptions).close();
}

describe('options are validated once, at start-up, with messages that say what to fix', () => {
  test.each([
    ['no options', undefined, /needs an options object/],
    ['the factory itself passed as middleware', deviceTwoFactor, /Did you write `app.use\(deviceTwoFactor\)`/],
    ['a missing secret', { users, email }, /`secret` must be a string of at least 32 characters/],
    ['a short secret', { ...valid, secret: 'short' }, /openssl rand/],
    ['no user adapter', { secret: TEST_SECRET, email }, /`users` must be an adapter/],
    ['a typo', { ...valid, mountpath: '/x' }, /unknown option `mountpath`. Did you mean `mountPath`\?/],
    ['an unknown channel', { ...valid, channels: { fax: { method: 'fax', send: async () => undefined } } }, /`channels.fax` is not a delivery method/],
    ['a channel without send()', { ...valid, channels: { sms: {} } }, /`channels.sms` must be a channel/],
    ['a store class instead of an instance', { ...valid, store: MemoryStore }, /not `store: RedisStore`/],
    ['a store that is not a store', { ...valid, store: {} }, /`store` must implement EphemeralStore.*; missing: issueChallenge, verifyChallenge, /],
    ['the retired settings adapter', { ...valid, settings: { getUserSettings: async () => null } }, /`settings` is now `durableStore`.*must now also implement updateUserSettings, ensureAccountSettings, enforceAccount, setRecoveryCodes/],
    ['an email transport that is neither URL nor transport', { ...valid, email: { transport: 'mail.example.test', from: 'a@b.test' } }, /`email.transport` must be a nodemailer transport/],
    ['an email without sender', { ...valid, email: { transport: 'smtp://x' } }, /`email.from`/],
    ['a mount path that is a URL', { ...valid, mountPath: '//evil.test' }, /`mountPath` must be a path/],
    ['a zero code lifetime', { ...valid, codeTtlMs: 0 }, /`codeTtlMs` must be a positive integer/],
    ['a bad send quota', { ...valid, sendQuota: [{ windowMs: 1000 }] }, /`sendQuota\[0\].max`/],
    ['exempt that is not a function', { ...valid, exempt: true }, /`exempt` must be a function/],
    ['a bad cookie name', { ...valid, cookie: { name: 'a;b' } }, /`cookie.name`/],
    ['a zero channel timeout', { ...valid, channelTimeoutMs: 0 }, /`channelTimeoutMs` must be a positive integer/],
    ['a channel timeout as a string', { ...valid, channelTimeoutMs: '8000' }, /`channelTimeoutMs` must be a positive integer/],
    ['a session warning not before the end', { ...valid, sessionPolicy: { idleMs: 60_000, warningMs: 60_000 } }, /`sessionPolicy.warningMs` \(60000\) must be less than `sessionPolicy.idleMs`/],
    ['a session warning longer than the default idle timeout', { ...valid, sessionPolicy: { warningMs: 20 * 60_000 } }, /`sessionPolicy.warningMs`/],
    ['a fractional idle timeout', { ...valid, sessionPolicy: { idleMs: 1.5 } }, /`sessionPolicy.idleMs` must be a positive integer/],
    ['a zero session lifetime', { ...valid, sessionPolicy: { absoluteMs: 0 } }, /`sessionPolicy.absoluteMs` must be a positive integer/],
    ['bindNetwork as a string', { ...valid, sessionPolicy: { bindNetwork: 'yes' } }, /`sessionPolicy.bindNetwork` must be true or false/],
    ['a session policy that is not an object', { ...valid, sessionPolicy: null }, /`sessionPolicy` must be an object/],
    ['a premium-rate type without allowing high-cost numbers', { ...valid, phone: { allowedTypes: ['PREMIUM_RATE'] } }, /`phone.allowHighCostNumbers: true`/],
  ])('%s', (_label, options, message) => {
    expect(configure(options)).toThrow(ConfigurationError);
    expect(configure(options)).toThrow(message);
  });

  test('outside development, email delivery is required', () => {
    expect(configure({ secret: TEST_SECRET, users })).toThrow(/`email` is required outside development/);
  });

  test('valid options build', () => {
    expect(configure(valid)).not.toThrow();
  });
});

describe('host mistakes at request time', () => {
  test('a missing session middleware is a clear error, and nothing passes', async () => {
    const twoFactor = deviceTwoFactor(valid);
    const app = express();
    app.use(twoFactor.guard);
    app.get('/', (_req, res) => {
      res.send('reached');
    });
    let reported: unknown;
    app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      reported = error;
      res.status(500).send('host error page');
    });
    const response = await request(app).get('/');
    expect(response.text).not.toBe('reached');
    expect(reported).toBeInstanceOf(ConfigurationError);
    expect(String(reported)).toMatch(/Mount `app.use\(session\(\{ ... \}\)\)` before/);
    await twoFactor.close();
  });
});
