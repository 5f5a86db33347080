import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { ConfigurationError, deviceTwoFactor, MemoryStore, type DeviceTwoFactorOptions } from '../src';
import { OPTIONS, parseOptions } from '../src/options';
import { optionPaths } from '../src/options-schema';
import { EXPRESS_VERSIONS, TEST_SECRET } from './helpers/test-app';

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
    ['a typo', { ...valid, mountpath: '/x' }, /Unknown option `mountpath`. Did you mean `mountPath`\?/],
    [
      'an unknown channel',
      { ...valid, channels: { fax: { method: 'fax', send: async () => undefined } } },
      /`channels.fax` is not a delivery method/,
    ],
    ['a channel without send()', { ...valid, channels: { sms: {} } }, /`channels.sms` must be a channel/],
    ['a store class instead of an instance', { ...valid, store: MemoryStore }, /not `store: RedisStore`/],
    [
      'a store that is not a store',
      { ...valid, store: {} },
      /`store` must implement EphemeralStore.*; missing: issueChallenge, verifyChallenge, /,
    ],
    [
      'the retired settings adapter',
      { ...valid, settings: { getUserSettings: async () => null } },
      /`settings` is now `durableStore`.*must now also implement updateUserSettings, ensureAccountSettings, enforceAccount, setRecoveryCodes/,
    ],
    [
      'an email transport that is neither URL nor transport',
      { ...valid, email: { transport: 'mail.example.test', from: 'a@b.test' } },
      /`email.transport` must be a nodemailer transport/,
    ],
    ['an email without sender', { ...valid, email: { transport: 'smtp://x' } }, /`email.from`/],
    ['a mount path that is a URL', { ...valid, mountPath: '//evil.test' }, /`mountPath` must be a path/],
    ['a zero code lifetime', { ...valid, codeTtlMs: 0 }, /`codeTtlMs` must be a positive integer/],
    ['a bad send quota', { ...valid, sendQuota: [{ windowMs: 1000 }] }, /`sendQuota\[0\].max`/],
    ['exempt that is not a function', { ...valid, exempt: true }, /`exempt` must be a function/],
    ['a bad cookie name', { ...valid, cookie: { name: 'a;b' } }, /`cookie.name`/],
    ['a zero channel timeout', { ...valid, channelTimeoutMs: 0 }, /`channelTimeoutMs` must be a positive integer/],
    ['a channel timeout as a string', { ...valid, channelTimeoutMs: '8000' }, /`channelTimeoutMs` must be a positive integer/],
    [
      'a session warning not before the end',
      { ...valid, sessionPolicy: { idleMs: 60_000, warningMs: 60_000 } },
      /`sessionPolicy.warningMs` \(60000\) must be less than `sessionPolicy.idleMs`/,
    ],
    [
      'a session warning longer than the default idle timeout',
      { ...valid, sessionPolicy: { warningMs: 20 * 60_000 } },
      /`sessionPolicy.warningMs`/,
    ],
    ['a fractional idle timeout', { ...valid, sessionPolicy: { idleMs: 1.5 } }, /`sessionPolicy.idleMs` must be a positive integer/],
    ['a zero session lifetime', { ...valid, sessionPolicy: { absoluteMs: 0 } }, /`sessionPolicy.absoluteMs` must be a positive integer/],
    ['bindNetwork as a string', { ...valid, sessionPolicy: { bindNetwork: 'yes' } }, /`sessionPolicy.bindNetwork` must be true or false/],
    ['a session policy that is not an object', { ...valid, sessionPolicy: null }, /`sessionPolicy` must be an object/],
    [
      'a premium-rate type without allowing high-cost numbers',
      { ...valid, phone: { allowedTypes: ['PREMIUM_RATE'] } },
      /`phone.allowHighCostNumbers: true`/,
    ],
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

describe('nested options are checked at every level, with a "did you mean"', () => {
  test.each([
    ['cookie.secur', { cookie: { secur: false } }, 'Unknown option `cookie.secur`. Did you mean `cookie.secure`?'],
    ['lockout.treshold', { lockout: { treshold: 3 } }, 'Unknown option `lockout.treshold`. Did you mean `lockout.threshold`?'],
    ['trustedDevices.ttl', { trustedDevices: { ttl: 1000 } }, 'Unknown option `trustedDevices.ttl`. Did you mean `trustedDevices.ttlMs`?'],
    [
      'sessionPolicy.idleMS',
      { sessionPolicy: { idleMS: 60_000 } },
      'Unknown option `sessionPolicy.idleMS`. Did you mean `sessionPolicy.idleMs`?',
    ],
    ['notify.deviceTrust', { notify: { deviceTrust: false } }, 'Unknown option `notify.deviceTrust`. Did you mean `notify.deviceTrusted`?'],
    [
      'phone.defaultcountry',
      { phone: { defaultcountry: 'US' } },
      'Unknown option `phone.defaultcountry`. Did you mean `phone.defaultCountry`?',
    ],
    [
      'twilio.acountSid',
      { twilio: { acountSid: 'AC', authToken: 't', from: '+15005550006' } },
      'Unknown option `twilio.acountSid`. Did you mean `twilio.accountSid`?',
    ],
    ['email.form', { email: { transport: 'smtp://x', form: 'a@b.test' } }, 'Unknown option `email.form`. Did you mean `email.from`?'],
    ['sendLimits.perPhon', { sendLimits: { perPhon: [] } }, 'Unknown option `sendLimits.perPhon`. Did you mean `sendLimits.perPhone`?'],
    [
      'cookie.domain (nothing close)',
      { cookie: { domain: 'example.test' } },
      'Unknown option `cookie.domain`: `cookie` takes `secure`, `name`.',
    ],
    [
      'a top-level option with nothing close',
      { colour: 'blue' },
      "Unknown option `colour`: deviceTwoFactor() has no such option (the README's Options section lists them all).",
    ],
  ])('%s', (_label, options, message) => {
    const build = configure({ ...valid, ...options });
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(`express-device-2fa: ${message}`);
  });

  test.each([
    [
      'a group that is a number',
      { lockout: 5 },
      '`lockout` must be an object: { threshold?, baseMs?, maxMs?, memoryMs?, permanentAfter? }.',
    ],
    ['a group that is an array', { notify: [] }, '`notify` must be an object'],
    ['a group that is null', { cookie: null }, '`cookie` must be an object: { secure?, name? }.'],
    ['email that is a string', { email: 'smtp://x' }, '`email` must be an object: { transport, from }.'],
    [
      'trustedDevices: true',
      { trustedDevices: true },
      '`trustedDevices` must be false (switched off) or an object: { ttlMs?, maxPerBrowser? }; leave it out for the defaults.',
    ],
    [
      'allowWhilePending as one string',
      { allowWhilePending: '/logout' },
      '`allowWhilePending` must be an array of paths such as ["/logout"].',
    ],
    [
      'a path in allowWhilePending to another host',
      { allowWhilePending: ['/ok', '//evil.test'] },
      '`allowWhilePending[1]` must be a path on this site',
    ],
    [
      'a nested option of the wrong type',
      { trustedDevices: { maxPerBrowser: '5' } },
      '`trustedDevices.maxPerBrowser` must be a positive integer (got 5).',
    ],
    ['phoneEnrolmentProof misspelt', { phoneEnrolmentProof: 'mail' }, '`phoneEnrolmentProof` must be "email" or "none" (got "mail").'],
    [
      'a hook that is not a function',
      { onPhoneVerified: 'log' },
      '`onPhoneVerified` must be a function `(userId, phone) => void | Promise<void>`.',
    ],
  ])('%s is refused, naming the option', (_label, options, message) => {
    expect(configure({ ...valid, ...options })).toThrow(message);
  });

  test("methods: each method's own options, from its folder, checked the same way", () => {
    expect(configure({ ...valid, methods: { passkee: {} } })).toThrow(
      'express-device-2fa: Unknown option `methods.passkee`. Did you mean `methods.passkey`?',
    );
    expect(configure({ ...valid, methods: { passkey: { rpID: 'example.com', origins: ['https://example.com'] } } })).toThrow(
      'express-device-2fa: Unknown option `methods.passkey.rpID`. Did you mean `methods.passkey.rpId`?',
    );
    expect(configure({ ...valid, methods: { totp: 'no' } })).toThrow('express-device-2fa: `methods.totp` must be true or false.');
    // The code methods take no options.
    expect(configure({ ...valid, methods: { email: {} } })).toThrow(/Unknown option `methods.email`: `methods` takes `totp`, `passkey`/);
  });

  test('channels keep their own message: the key names a delivery method', () => {
    expect(configure({ ...valid, channels: { fax: { send: async () => undefined } } })).toThrow(
      'express-device-2fa: `channels.fax` is not a delivery method. Use one of: email, sms, voice.',
    );
  });
});

describe('defaults come from the option table', () => {
  const resolved = (options: Partial<DeviceTwoFactorOptions>) => parseOptions({ ...valid, ...options });

  test('every default, nested ones included', () => {
    const config = resolved({});
    expect(config).toMatchObject({
      siteName: 'example.test',
      mountPath: '/2fa',
      loginPath: '/login',
      defaultReturnTo: '/',
      allowWhilePending: [],
      trustedOrigins: new Set(),
      enforceNewAccounts: false,
      codeTtlMs: 600_000,
      pendingTtlMs: 600_000,
      maxAttempts: 5,
      lockout: { threshold: 5, baseMs: 60_000, maxMs: 3_600_000, memoryMs: 86_400_000, permanentAfter: 100 },
      sendQuota: [{ windowMs: 900_000, max: 5 }],
      resendWaitMs: 30_000,
      reauthWindowMs: 600_000,
      phoneEnrolmentProof: 'email',
      trust: { enabled: true, ttlMs: 30 * 86_400_000, maxPerBrowser: 5 },
      cookie: { secure: true, name: 'device_2fa' },
      storeTimeoutMs: 3000,
      channelTimeoutMs: 8000,
      development: false,
      phone: {},
      channels: {},
      sendLimits: {
        perPhone: [
          { windowMs: 3_600_000, max: 5 },
          { windowMs: 86_400_000, max: 10 },
        ],
        perIp: [
          { windowMs: 3_600_000, max: 30 },
          { windowMs: 86_400_000, max: 100 },
        ],
      },
      sessionPolicy: { idleMs: 900_000, warningMs: 120_000, absoluteMs: 43_200_000, bindNetwork: false, forNewAccounts: false },
      now: Date.now,
    });
    expect(Object.values(config.notify)).toEqual(Array(10).fill(true));
    expect(config.twilio).toBeUndefined();
    expect(config.onEvent).toBeUndefined();
  });

  test('a nested option given keeps the others at their default', () => {
    expect(resolved({ lockout: { threshold: 3 } }).lockout).toEqual({
      threshold: 3,
      baseMs: 60_000,
      maxMs: 3_600_000,
      memoryMs: 86_400_000,
      permanentAfter: 100,
    });
    expect(resolved({ notify: { newSignIn: false } }).notify).toMatchObject({ newSignIn: false, deviceTrusted: true });
  });

  test('cookie.secure follows development; trustedDevices: false keeps its lifetime for the cookie', () => {
    expect(resolved({ development: true }).cookie.secure).toBe(false);
    expect(resolved({ development: true, cookie: { secure: true } }).cookie.secure).toBe(true);
    expect(resolved({ trustedDevices: false }).trust).toEqual({ enabled: false, ttlMs: 30 * 86_400_000, maxPerBrowser: 5 });
  });
});

describe('`deviceTwoFactor` itself handed to Express', () => {
  const notMiddleware = {
    name: 'ConfigurationError',
    code: 'ERR_2FA_NOT_MIDDLEWARE',
    message: expect.stringMatching(
      /is the factory, not a middleware.*deviceTwoFactor\(\{ secret, users, \.\.\. \}\).*app\.use\(twoFactor\.router\)/,
    ),
  };

  test.each(EXPRESS_VERSIONS)(
    '%s: app.use(deviceTwoFactor) throws at once, saying to call it and mount .router and .guard',
    (_name, express) => {
      const app = express();
      let thrown: unknown;
      try {
        app.use(deviceTwoFactor as unknown as express.RequestHandler);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigurationError);
      expect(thrown).toMatchObject(notMiddleware);
      expect(() => app.use('/2fa', deviceTwoFactor as unknown as express.RequestHandler)).toThrow(/is the factory, not a middleware/);
    },
  );

  test.each(EXPRESS_VERSIONS)(
    '%s: mounted where Express does not look first (a router, a route), each request fails with the same error',
    async (_name, express) => {
      const app = express();
      const router = express.Router();
      router.use(deviceTwoFactor as unknown as express.RequestHandler);
      app.use('/r', router);
      app.get('/route', deviceTwoFactor as unknown as express.RequestHandler);
      const reported: unknown[] = [];
      app.use((error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        reported.push(error);
        res.status(500).send('host error page');
      });
      expect((await request(app).get('/r/x')).status).toBe(500);
      expect((await request(app).get('/route')).status).toBe(500);
      expect(reported).toEqual([expect.objectContaining(notMiddleware), expect.objectContaining(notMiddleware)]);
    },
  );
});

describe("the README's option table is the option table", () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = /^## Options\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';

  test('one row per option, nested ones included, with its default and its line, in the same order', () => {
    // A "|" inside a cell is written "\|", as Markdown tables need.
    const expected = [...optionPaths(OPTIONS)].map(([path, row]) => `| \`${path}\` | ${row.shown} | ${row.doc.replaceAll('|', '\\|')} |`);
    const rows = section.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toEqual(expected);
  });

  test('every option described at length below the table is an option', () => {
    // `methods.<id>` are rows too, from each method's plugin.
    const paths = new Set([...optionPaths(OPTIONS)].map(([path]) => path));
    const headings = [...section.matchAll(/^#### `([^`]+)`/gm)].map((m) => m[1]);
    expect(headings.length).toBeGreaterThan(10);
    expect(headings.filter((heading) => !paths.has(heading!))).toEqual([]);
  });
});
