import { IncomingMessage } from 'node:http';
import type { Store as SessionStore } from 'express-session';
import { ConfigurationError } from './errors';
import { sameOriginPath } from './http/return-to';
import { DEFAULT_CHANNEL_TIMEOUT_MS } from './channels/timeouts';
import type { Channel } from './core/channel';
import type { MethodOptions } from './core/method';
import { validatePhoneOptions } from './core/phone';
import type { DurableStore, EphemeralStore } from './core/store';
import { checkStores } from './core/store-check';
import { METHODS } from './methods/registry';
import { buildCatalog, SHIPPED_STRINGS, type Catalog } from './views/catalog';
import { isTimeZone } from './views/format';
import { consoleLogger } from './core/logger';
import type { DeliveryMethod, DeviceTwoFactorOptions, Logger, LogoOptions, UserAdapter } from './types';
import {
  asGiven,
  bool,
  count,
  duration,
  fail,
  fn,
  group,
  isObject,
  leaf,
  oneOf,
  optionalGroup,
  readBoolean,
  readGroup,
  rejectUnknownKeys,
  shape,
  switchableGroup,
  windows,
  type Option,
  type OptionSchema,
  type ParseContext,
  type Resolved,
} from './options-schema';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const DELIVERY_METHODS: readonly DeliveryMethod[] = ['email', 'sms', 'voice'];

type O = DeviceTwoFactorOptions;

/**
 * Every option of `deviceTwoFactor()`, nested ones included: how it is checked, its default, and
 * its line in the README's option table (a test holds the README to it). Typed against
 * `DeviceTwoFactorOptions`, so an option added to one and not the other fails to compile: adding an
 * option is its property in `types.ts` and one row here.
 */
export const OPTIONS = {
  secret: leaf('At least 32 characters; keys the hashes of codes and device tokens.', 'required', readSecret),
  users: leaf(
    'Your adapter over your user table: `{ find(userId) }` resolving `{ id, email, accountId?, locale?, timeZone? }`, or null.',
    'required',
    readUsers,
  ),
  // The two stores are checked together, before the table (`checkStores`): one needs the other.
  store: leaf(
    'Ephemeral state and, without `durableStore`, durable state too: a `RedisStore` or `MemoryStore`.',
    'a new `MemoryStore`',
    (value) => value as EphemeralStore | undefined,
  ),
  durableStore: leaf(
    'Durable state (settings, recovery codes, credentials) in your own database: a `DurableStore`.',
    'the `store`',
    (value) => value as DurableStore | undefined,
  ),
  email: optionalGroup('Email delivery; required outside development (where codes go to the development outbox).', {
    transport: leaf<EmailOption['transport'], EmailOption['transport']>(
      'A nodemailer transport, or an SMTP URL such as `smtp://user:pass@mail.example.com:587`.',
      'required',
      readTransport,
    ),
    from: leaf<EmailOption['from'], string>('The From header, e.g. `"Acme" <security@acme.test>`.', 'required', readSender),
  }),
  channels: group(
    'Your own channels by method, instead of those from `email` and `twilio`.',
    {
      email: channel('A channel for email codes.', 'from `email`'),
      sms: channel('A channel for SMS codes.', 'from `twilio`'),
      voice: channel('A channel for voice calls.', 'from `twilio` with `from`'),
    },
    { keysAre: 'delivery method' },
  ),
  // Its default needs `email`, so it is filled in by `parseOptions`.
  siteName: leaf<string | undefined, string | undefined>(
    'Your app’s name on the page and in messages: “123456 is your Acme verification code”.',
    'the name in `email.from`',
    readSiteName,
  ),
  locale: fn<O['locale']>('the language of a request’s pages (a BCP 47 tag), before its `Accept-Language`.', '(req) => string | undefined'),
  strings: leaf(
    'Your words over the shipped ones by language, `{ de: { verifyTitle: "…" } }`, or a whole new language.',
    'none',
    readStrings,
  ),
  timeZone: leaf('The IANA time zone times are shown in, for users without their own `timeZone`.', '`"UTC"`', readTimeZone),
  logo: leaf<O['logo'], Logo | undefined>(
    '`{ src, alt, width?, height? }`: a logo above the pages’ card; `src` an https URL or a path on your site, the one place the pages’ CSP then allows images from.',
    'none',
    readLogo,
  ),
  mountPath: sitePath('Where the library’s routes live.', '/2fa'),
  loginPath: sitePath('Your password page, where an expired or cancelled sign-in goes back to.', '/login'),
  defaultReturnTo: sitePath('Where to go after sign-in without a (valid) `returnTo`.', '/'),
  exempt: fn<O['exempt']>('non-browser clients, never challenged, never redirected.', '(req) => boolean | { userId, client? }'),
  allowWhilePending: leaf('Exact paths a pending session may still reach, e.g. `["/logout"]`.', '`[]`', readPaths),
  trustedOrigins: leaf('Other origins whose pages may post to the library’s forms and admin API.', '`[]`', readOrigins),
  enforceNewAccounts: bool('Accounts first seen after this is set get account-wide enforcement.', false),
  codeTtlMs: duration('Code lifetime.', 10 * MINUTE),
  pendingTtlMs: duration('How long a pending sign-in waits for its code.', 10 * MINUTE),
  maxAttempts: count('Wrong entries per code before it is burnt.', 5),
  lockout: group('Lock-out after consecutive failures of a user, across codes, sessions and browsers.', {
    threshold: count('Failures before the step locks.', 5),
    baseMs: duration('The first lock, doubling with each further failure.', MINUTE),
    maxMs: duration('The longest lock.', 60 * MINUTE),
    memoryMs: duration('Failures are forgotten this long after the last one.', DAY),
    // NIST SP 800-63B rev 4 §3.2.2: at most 100 consecutive failed attempts.
    permanentAfter: count('Failures after which the code step stays shut until a recovery code or an admin.', 100),
  }),
  sendQuota: windows('Code sends per user, across every sign-in, method and purpose: every window must have room.', [
    { windowMs: 15 * MINUTE, max: 5 },
  ]),
  resendWaitMs: duration('The least time before the same sign-in gets another code by the same method.', 30_000, { allowZero: true }),
  reauthWindowMs: duration('How long a passed re-authentication allows changes to the second factor.', 10 * MINUTE),
  phoneEnrolmentProof: oneOf(
    'What a user adding a first phone at sign-in proves first: a code by `"email"`, or `"none"`.',
    ['email', 'none'],
    'email',
  ),
  trustedDevices: switchableGroup('Trusted browsers; `false` never offers “trust this browser”.', {
    ttlMs: duration('How long a browser stays trusted (fixed when it is trusted).', 30 * DAY),
    maxPerBrowser: count('Users one browser can be trusted for.', 5),
  }),
  cookie: group('The trusted-device cookie.', {
    secure: bool(
      'Secure, `__Host-` prefixed; off only for plain-HTTP development and tests.',
      (context) => !context.development,
      '`true` outside development',
    ),
    name: cookieName('Base name of the cookie.', 'device_2fa'),
  }),
  hsts: bool(
    '`Strict-Transport-Security` on the library’s pages (helmet’s: a year, subdomains).',
    (context) => !context.development,
    '`true` outside development',
  ),
  storeTimeoutMs: duration('How long to wait for the stores, the user adapter or a session write before failing closed with a 503.', 3000),
  channelTimeoutMs: duration('How long one code send may take, start to finish.', DEFAULT_CHANNEL_TIMEOUT_MS),
  development: bool(
    'Development mode: the development outbox, cookies not Secure by default.',
    (context) => context.development,
    '`NODE_ENV === "development"`',
  ),
  twilio: shape('SMS and voice codes through the `twilio` SDK (an optional peer dependency).', {
    accountSid: asGiven('Your Account SID (`AC…`).', 'required without `client`'),
    authToken: asGiven('The account’s Auth Token.', 'required without `client`'),
    client: asGiven('A Twilio client you built, instead of `accountSid` and `authToken`.', 'none'),
    from: asGiven('The sending number in E.164; required for voice, and for SMS without `messagingServiceSid`.', 'none'),
    messagingServiceSid: asGiven('A Messaging Service SID (`MG…`): texts go through it instead of `from`.', 'none'),
    apiUrl: asGiven('Another REST base URL for the SDK (a local stand-in in tests).', 'Twilio’s'),
  }),
  phone: shape(
    'How typed phone numbers are read (libphonenumber-js).',
    {
      defaultCountry: asGiven('The country of numbers typed without `+`, e.g. `"US"`.', 'none'),
      allowedCountries: asGiven('Only numbers of these countries are accepted, e.g. `["US", "CA"]`.', 'every country'),
      allowedTypes: asGiven('The number types accepted.', 'mobile and fixed line'),
      allowHighCostNumbers: asGiven('Accept numbers of no country, premium-rate and shared-cost numbers.', '`false`'),
    },
    { check: validatePhoneOptions, fallback: {} },
  ),
  requirePhone: fn<O['requirePhone']>('users whose codes must go to a phone.', '(user) => boolean | Promise<boolean>'),
  sendLimits: group('Limits on SMS and voice sends beyond `sendQuota`.', {
    perPhone: windows('Sends per number (per user and number while it is being enrolled).', [
      { windowMs: HOUR, max: 5 },
      { windowMs: DAY, max: 10 },
    ]),
    perIp: windows('Sends per client IP (an IPv4 address, an IPv6 /64).', [
      { windowMs: HOUR, max: 30 },
      { windowMs: DAY, max: 100 },
    ]),
  }),
  onSignedIn: fn<O['onSignedIn']>(
    'the session is fully signed in: your own sign-in, e.g. Passport’s `req.login`.',
    '(req, userId) => void | Promise<void>',
  ),
  onPhoneVerified: fn<O['onPhoneVerified']>('a user proved a new number (E.164).', '(userId, phone) => void | Promise<void>'),
  onDeliveryFailure: fn<O['onDeliveryFailure']>(
    'a code could not be delivered (the destination masked).',
    '({ userId, method, destination, error }) => void',
  ),
  onEvent: fn<O['onEvent']>('one call per security-relevant step, for your audit log.', '(event) => void | Promise<void>'),
  logger: leaf(
    'Where warnings and errors go: pino, or any `{ warn(context, message), error(context, message) }`.',
    'the console',
    readLogger,
  ),
  notify: group('Security emails to the user.', {
    deviceTrusted: bool('A browser was trusted.', true),
    phoneChanged: bool('The phone number was added, changed or reset.', true),
    methodChanged: bool('The preferred method changed.', true),
    failedCodes: bool('Repeated wrong codes locked the step.', true),
    recoveryUsed: bool('A recovery code was used.', true),
    recoveryGenerated: bool('A new set of recovery codes was made.', true),
    lockedOut: bool('The code step was shut after `lockout.permanentAfter` failures.', true),
    twoFactorSwitched: bool('The user switched two-step verification on or off.', true),
    newSignIn: bool('A sign-in that did not come from a trusted browser.', true),
    clientsSwitched: bool('Clients that cannot do two-step verification were blocked or allowed again.', true),
  }),
  sessionPolicy: group(
    'The session policy’s rules, for users and accounts that have it on.',
    {
      idleMs: duration('A session with no request for this long ends.', 15 * MINUTE),
      warningMs: duration('The warning shows this long before the end; less than `idleMs`.', 2 * MINUTE),
      absoluteMs: duration('A session ends this long after its sign-in.', 12 * HOUR),
      bindNetwork: bool('End the session when the client’s network changes.', false),
      forNewAccounts: bool('Accounts first seen from now on start with it on.', false),
    },
    {
      check: ({ idleMs, warningMs }, path) => {
        if (warningMs >= idleMs)
          fail(`\`${path}.warningMs\` (${warningMs}) must be less than \`${path}.idleMs\` (${idleMs}): the warning comes before the end.`);
      },
    },
  ),
  placeHint: fn<O['placeHint']>('an approximate place stored with a newly trusted device.', '(req) => string | undefined'),
  sessionStore: leaf('Your express-session store, to list and end sessions outside a request.', 'the first request’s', readSessionStore),
  now: fn<O['now']>('the clock, in ms since the epoch (tests freeze it).', '() => number', Date.now, '`Date.now`'),
  methods: registeredMethods('Options of the methods that take some, from their folders (src/methods/<id>).'),
} satisfies OptionSchema<DeviceTwoFactorOptions>;

// Nested rows inside a group call: the compiler needs their option type said.
type EmailOption = NonNullable<O['email']>;
type Options = Resolved<typeof OPTIONS>;

/** Every option resolved to a fixed value, once, at start-up (never per request). */
export type Configuration = Omit<Options, 'trustedDevices' | 'siteName'> & {
  /** `trustedDevices`, under the name its readers use. */
  trust: Options['trustedDevices'];
  siteName: string;
};

/** Validates the options and fills every default. Throws a ConfigurationError that says what to fix. */
export function parseOptions(input: unknown): Configuration {
  // `app.use(deviceTwoFactor)` without the `handle` check (a `router.use`, a route): a request.
  if (input instanceof IncomingMessage) throw factoryAsMiddleware();
  if (typeof input === 'function') {
    fail(
      'deviceTwoFactor() takes an options object, not a function. Did you write `app.use(deviceTwoFactor)` instead of creating it first with `const twoFactor = deviceTwoFactor({ ... })`?',
    );
  }
  if (!isObject(input)) fail('deviceTwoFactor(options) needs an options object with at least `secret` and `users`.');
  // Before the unknown-option check: the retired `settings` gets its rename, not a "did you mean".
  checkStores(input);
  // Other defaults follow `development` (cookie.secure, whether `email` is required): read first.
  const context: ParseContext = { development: readBoolean('development', input.development) ?? process.env.NODE_ENV === 'development' };
  const { trustedDevices, ...options } = readGroup(input, '', OPTIONS, context) as Options;
  if (options.email === undefined && !options.development && options.channels.email === undefined) {
    fail(
      '`email` is required outside development: pass `email: { transport, from }` with a nodemailer transport or an SMTP URL. (With NODE_ENV=development codes go to the development outbox instead.)',
    );
  }
  return { ...options, siteName: options.siteName ?? defaultSiteName(options.email?.from, options.development), trust: trustedDevices };
}

/**
 * A name that reads well wherever it goes ("123456 is your Acme verification code", "New sign-in to
 * your Acme account"): the display name of `email.from` (`"Acme" <security@acme.test>`), else its
 * domain; in development without email, "localhost". Outside development with neither, the host says it.
 */
function defaultSiteName(from: string | undefined, development: boolean): string {
  const address = from === undefined ? undefined : /^\s*(?:"([^"]*)"|([^<"]*?))\s*<([^>]*)>\s*$/.exec(from);
  const name = (address?.[1] ?? address?.[2])?.trim();
  if (name) return name;
  const domain = /@([^@\s>]+)$/.exec((address?.[3] ?? from ?? '').trim())?.[1];
  if (domain) return domain;
  if (development) return 'localhost';
  fail(
    '`siteName` is required when there is no `email.from` to take it from: it names your app on the page and in messages ("123456 is your Acme verification code"). Pass `siteName: "Acme"`.',
  );
}

/** `deviceTwoFactor` itself handed to Express, which then calls it with each request. */
export function factoryAsMiddleware(): ConfigurationError {
  return new ConfigurationError(
    'express-device-2fa: `deviceTwoFactor` is the factory, not a middleware. Create the step once, `const twoFactor = deviceTwoFactor({ secret, users, ... })`, then mount `app.use(twoFactor.router)` and `app.use(twoFactor.guard)`.',
    'ERR_2FA_NOT_MIDDLEWARE',
  );
}

// ---- Readers of the options that are the host's own objects or need more than a kind ----

function readSecret(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length < 32) {
    fail(
      `\`${path}\` must be a string of at least 32 characters (it keys the hashes of codes and device tokens). Generate one with \`openssl rand -base64 48\` and keep it out of source control.`,
    );
  }
  return value;
}

function readUsers(value: unknown, path: string): UserAdapter {
  if (!isObject(value) || typeof value.find !== 'function') {
    fail(`\`${path}\` must be an adapter over your user table: \`{ find: async (userId) => ({ id, email, accountId }) }\`.`);
  }
  return value as unknown as UserAdapter;
}

function readLogger(value: unknown, path: string): Logger {
  if (value === undefined) return consoleLogger;
  if (!isObject(value) || typeof value.warn !== 'function' || typeof value.error !== 'function') {
    fail(`\`${path}\` must be a logger with \`warn(context, message)\` and \`error(context, message)\`, such as a pino logger.`);
  }
  // Called as methods of the logger itself: pino's need their `this`.
  const logger = value as unknown as Logger;
  return { warn: (context, message) => logger.warn(context, message), error: (context, message) => logger.error(context, message) };
}

function readSiteName(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') fail(`\`${path}\` must be a non-empty string, your app's name ("Acme").`);
  return value;
}

function readSessionStore(value: unknown, path: string): SessionStore | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value) || ['get', 'set', 'destroy'].some((m) => typeof value[m] !== 'function')) {
    fail(
      `\`${path}\` must be the express-session store your app uses (with \`get\`, \`set\` and \`destroy\`), e.g. the connect-redis store you pass to session().`,
    );
  }
  return value as unknown as SessionStore;
}

/**
 * `methods.<id>`, one row per registered method that takes options, from its plugin: a new method
 * brings its own row. What each holds is checked again by the method's `create`.
 */
function registeredMethods(doc: string): Option<MethodOptions | undefined, MethodOptions> {
  const rows = Object.fromEntries(METHODS.flatMap((plugin) => (plugin.option ? [[plugin.id, plugin.option] as const] : [])));
  return {
    doc,
    shown: '',
    children: rows,
    parse: (value, path, context) => readGroup(value === undefined ? {} : value, path, rows, context) as MethodOptions,
  };
}

/** The shipped tables (the library's and every registered method's) with the host's words merged over them. */
function readStrings(value: unknown, path: string): Catalog {
  return buildCatalog({ core: SHIPPED_STRINGS, methods: METHODS }, value, path);
}

function readTimeZone(value: unknown, path: string): string {
  if (value === undefined) return 'UTC';
  if (!isTimeZone(value))
    fail(`\`${path}\` must be an IANA time zone this Node.js knows, such as "Europe/Berlin" or "UTC" (got ${JSON.stringify(value)}).`);
  return value;
}

function readTransport(value: unknown, path: string): EmailOption['transport'] {
  if (!(typeof value === 'string' && /^smtps?:\/\//.test(value)) && !(isObject(value) && typeof value.sendMail === 'function')) {
    fail(
      `\`${path}\` must be a nodemailer transport (\`nodemailer.createTransport(...)\`) or an SMTP URL such as \`smtp://user:pass@mail.example.com:587\`.`,
    );
  }
  return value as EmailOption['transport'];
}

function readSender(value: unknown, path: string): string {
  if (typeof value !== 'string' || !value.includes('@'))
    fail(`\`${path}\` must be a sender address such as \`"Acme" <security@acme.test>\`.`);
  return value;
}

/** A logo as the pages show it, with where the CSP allows it from (`img-src`). */
export interface Logo extends LogoOptions {
  /** `'self'` for a path on the site, else the URL's origin. */
  imgSource: string;
}

function readLogo(value: unknown, path: string): Logo | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) fail(`\`${path}\` must be \`{ src, alt, width?, height? }\`, e.g. \`{ src: "/static/logo.svg", alt: "Acme" }\`.`);
  rejectUnknownKeys(value, path, ['src', 'alt', 'width', 'height']);
  const { src, alt, width, height } = value;
  const at = typeof src === 'string' ? logoSource(src) : undefined;
  if (!at) {
    fail(
      `\`${path}.src\` must be an https URL such as "https://cdn.example.com/logo.svg" or a path on your site such as "/static/logo.svg" (got ${JSON.stringify(src)}).`,
    );
  }
  if (typeof alt !== 'string')
    fail(`\`${path}.alt\` must be a string: the logo's text alternative, or "" when it only repeats \`siteName\` (shown beside it).`);
  const sizes: Pick<LogoOptions, 'width' | 'height'> = {};
  for (const [key, size] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (size === undefined) continue;
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size <= 0 || size > 2000)
      fail(`\`${path}.${key}\` must be a whole number of CSS pixels, 1 to 2000 (got ${String(size)}).`);
    sizes[key] = size;
  }
  return { src: at.src, alt, ...sizes, imgSource: at.imgSource };
}

/** A path on this site (as a browser resolves it), or an https URL without credentials. */
function logoSource(src: string): { src: string; imgSource: string } | undefined {
  const path = sameOriginPath(src);
  if (path !== undefined) return { src: path, imgSource: "'self'" };
  if (!/^https:\/\//i.test(src)) return undefined;
  try {
    const url = new URL(src);
    // The origin goes into the CSP as it stands: a host of letters, digits, dots and hyphens (an
    // international name is punycode by now) or an IPv6 address, so it is one source and no more
    // (WHATWG URL lets "*", ";", "," and quotes through in a host).
    const host = /^(?:[a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname);
    return host && url.username === '' && url.password === '' ? { src: url.href, imgSource: url.origin } : undefined;
  } catch {
    return undefined;
  }
}

function cookieName(doc: string, fallback: string): Option<string | undefined, string> {
  return leaf(doc, `\`"${fallback}"\``, (value, path) => {
    const name = value ?? fallback;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) fail(`\`${path}\` must be 1-64 letters, digits, "_" or "-".`);
    return name;
  });
}

function readPaths(value: unknown, path: string): readonly string[] {
  const given = value ?? [];
  if (!Array.isArray(given)) fail(`\`${path}\` must be an array of paths such as ["/logout"].`);
  return given.map((p: unknown, i) => sitePathValue(`${path}[${i}]`, p));
}

function channel(doc: string, shown: string): Option<Channel | undefined, Channel | undefined> {
  return leaf(doc, shown, (value, path) => {
    if (value === undefined) return undefined;
    if (!isObject(value) || typeof value.send !== 'function') fail(`\`${path}\` must be a channel with a \`send(message)\` method.`);
    return value as unknown as Channel;
  });
}

function sitePath(doc: string, fallback: string): Option<string | undefined, string> {
  return leaf(doc, `\`"${fallback}"\``, (value, path) => sitePathValue(path, value ?? fallback));
}

/** A path on this site, judged as the browser will resolve it (the library redirects to these). */
function sitePathValue(path: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') fail(`\`${path}\` must be a non-empty string.`);
  const resolved = sameOriginPath(value);
  if (resolved === undefined) fail(`\`${path}\` must be a path on this site starting with a single "/" (got "${value}").`);
  return resolved.length > 1 ? resolved.replace(/\/+$/, '') : resolved;
}

/** Origins exactly as a browser writes them in the Origin header ("https://www.example.com"). */
function readOrigins(given: unknown, path: string): ReadonlySet<string> {
  const value = given ?? [];
  if (!Array.isArray(value)) fail(`\`${path}\` must be an array of origins such as ["https://www.example.com"].`);
  return new Set(
    value.map((origin: unknown, i) => {
      let parsed: string | undefined;
      try {
        parsed = typeof origin === 'string' ? new URL(origin).origin : undefined;
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || parsed === 'null' || parsed !== origin) {
        fail(
          `\`${path}[${i}]\` must be an origin such as "https://www.example.com" (scheme, host and port if not the default; no path or trailing "/"). Got ${JSON.stringify(origin)}.`,
        );
      }
      return parsed;
    }),
  );
}
