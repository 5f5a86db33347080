import type { MethodOptions } from './core/method';
import { METHODS } from './methods/registry';
import type { Request } from 'express';
import type { Store as SessionStore } from 'express-session';
import { ConfigurationError } from './errors';
import { sameOriginPath } from './http/return-to';
import { DEFAULT_CHANNEL_TIMEOUT_MS } from './channels/timeouts';
import type { Channel } from './core/channel';
import type { TwoFactorEvent } from './core/events';
import { validatePhoneOptions, type PhoneOptions } from './core/phone';
import type { DurableStore, EphemeralStore, RateWindow } from './core/store';
import { checkStores } from './core/store-check';
import type { DeliveryFailure, DeliveryMethod, DeviceTwoFactorOptions, EmailOptions, ExemptVerdict, NotifyOptions, SessionPolicyOptions, TwilioOptions, UserAdapter, UserIdentity } from './types';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const DELIVERY_METHODS: readonly DeliveryMethod[] = ['email', 'sms', 'voice'];

/** Every option resolved to a fixed value, once, at start-up (never per request). */
export interface Configuration {
  secret: string;
  users: UserAdapter;
  store: EphemeralStore | undefined;
  durableStore: DurableStore | undefined;
  email: EmailOptions | undefined;
  channels: Partial<Record<DeliveryMethod, Channel>>;
  siteName: string;
  mountPath: string;
  loginPath: string;
  defaultReturnTo: string;
  exempt: ((req: Request) => ExemptVerdict) | undefined;
  allowWhilePending: readonly string[];
  trustedOrigins: ReadonlySet<string>;
  enforceNewAccounts: boolean;
  codeTtlMs: number;
  pendingTtlMs: number;
  maxAttempts: number;
  lockout: { threshold: number; baseMs: number; maxMs: number; memoryMs: number; permanentAfter: number };
  sendQuota: readonly RateWindow[];
  resendWaitMs: number;
  reauthWindowMs: number;
  phoneEnrolmentProof: 'email' | 'none';
  trust: { enabled: boolean; ttlMs: number; maxPerBrowser: number };
  storeTimeoutMs: number;
  channelTimeoutMs: number;
  onEvent: ((event: TwoFactorEvent) => void | Promise<void>) | undefined;
  twilio: TwilioOptions | undefined;
  phone: PhoneOptions;
  requirePhone: ((user: UserIdentity) => boolean | Promise<boolean>) | undefined;
  sendLimits: { perPhone: readonly RateWindow[]; perIp: readonly RateWindow[] };
  onPhoneVerified: ((userId: string, phone: string) => void | Promise<void>) | undefined;
  onDeliveryFailure: ((failure: DeliveryFailure) => void) | undefined;
  notify: Required<NotifyOptions>;
  sessionPolicy: Required<SessionPolicyOptions>;
  placeHint: ((req: Request) => string | undefined) | undefined;
  /** Each method's own options, checked by the method itself (src/methods/<id>). */
  methods: MethodOptions;
  cookie: { secure: boolean; name: string };
  development: boolean;
  sessionStore: SessionStore | undefined;
  now: () => number;
}

const KNOWN_OPTIONS: readonly (keyof DeviceTwoFactorOptions)[] = [
  'secret', 'users', 'store', 'durableStore', 'email', 'channels', 'siteName', 'mountPath', 'loginPath',
  'defaultReturnTo', 'exempt', 'allowWhilePending', 'trustedOrigins', 'enforceNewAccounts', 'codeTtlMs', 'pendingTtlMs',
  'maxAttempts', 'lockout', 'sendQuota', 'resendWaitMs', 'reauthWindowMs', 'phoneEnrolmentProof', 'trustedDevices', 'cookie', 'storeTimeoutMs', 'channelTimeoutMs',
  'development', 'onEvent', 'twilio', 'phone', 'requirePhone', 'sendLimits',
  'onPhoneVerified', 'onDeliveryFailure', 'notify', 'sessionPolicy', 'placeHint', 'sessionStore', 'now', 'methods',
];

/** Validates the options and fills every default. Throws a ConfigurationError that says what to fix. */
export function parseOptions(input: unknown): Configuration {
  if (typeof input === 'function') {
    fail('deviceTwoFactor() takes an options object, not a function. Did you write `app.use(deviceTwoFactor)` instead of creating it first with `const twoFactor = deviceTwoFactor({ ... })`?');
  }
  if (!isObject(input)) fail('deviceTwoFactor(options) needs an options object with at least `secret` and `users`.');
  checkStores(input);
  for (const key of Object.keys(input)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      const guess = closest(key, KNOWN_OPTIONS);
      fail(`received an unknown option \`${key}\`.${guess ? ` Did you mean \`${guess}\`?` : ''}`);
    }
  }
  const options = input as Partial<DeviceTwoFactorOptions>;
  const development = bool('development', options.development, process.env.NODE_ENV === 'development');

  if (typeof options.secret !== 'string' || options.secret.length < 32) {
    fail('`secret` must be a string of at least 32 characters (it keys the hashes of codes and device tokens). Generate one with `openssl rand -base64 48` and keep it out of source control.');
  }
  if (!isObject(options.users) || typeof options.users.find !== 'function') {
    fail('`users` must be an adapter over your user table: `{ find: async (userId) => ({ id, email, accountId }) }`.');
  }
  if (options.email !== undefined) checkEmail(options.email);
  else if (!development && options.channels?.email === undefined) {
    fail('`email` is required outside development: pass `email: { transport, from }` with a nodemailer transport or an SMTP URL. (With NODE_ENV=development codes go to the development outbox instead.)');
  }
  const channels = options.channels ?? {};
  if (!isObject(channels)) fail('`channels` must be an object such as `{ sms: twilioSms(...), voice: twilioVoice(...) }`.');
  for (const [method, channel] of Object.entries(channels)) {
    if (!(DELIVERY_METHODS as readonly string[]).includes(method)) {
      fail(`\`channels.${method}\` is not a delivery method. Use one of: ${DELIVERY_METHODS.join(', ')}.`);
    }
    if (!isObject(channel) || typeof channel.send !== 'function') {
      fail(`\`channels.${method}\` must be a channel with a \`send(message)\` method.`);
    }
  }
  if (options.exempt !== undefined && typeof options.exempt !== 'function') {
    fail('`exempt` must be a function `(req) => boolean | { userId, client? }` that returns true (or who the client is) for non-browser clients (API tokens, WebDAV, desktop sync).');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') fail('`onEvent` must be a function `(event) => void` (write the event to your audit log).');
  for (const hook of ['requirePhone', 'onPhoneVerified', 'onDeliveryFailure', 'placeHint'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') fail(`\`${hook}\` must be a function.`);
  }
  if (options.phone !== undefined) {
    if (!isObject(options.phone)) fail('`phone` must be `{ defaultCountry?, allowedCountries?, allowedTypes?, allowHighCostNumbers? }`.');
    validatePhoneOptions(options.phone, 'phone');
  }
  const notify = options.notify ?? {};
  if (!isObject(notify)) fail('`notify` must be an object such as `{ deviceTrusted: false }`.');
  const sendLimits = options.sendLimits ?? {};
  if (options.now !== undefined && typeof options.now !== 'function') fail('`now` must be a function returning milliseconds since the epoch.');

  const lockout = options.lockout ?? {};
  const trust = options.trustedDevices;
  const cookie = options.cookie ?? {};
  const sendQuota = options.sendQuota ?? [{ windowMs: 15 * MINUTE, max: 5 }];
  const proof = options.phoneEnrolmentProof ?? 'email';
  if (proof !== 'email' && proof !== 'none') {
    fail('`phoneEnrolmentProof` must be "email" (the default: a code to the email on file before a first phone is added at sign-in) or "none".');
  }

  return {
    secret: options.secret,
    users: options.users,
    store: options.store,
    durableStore: options.durableStore,
    email: options.email,
    channels,
    siteName: text('siteName', options.siteName, 'your account'),
    mountPath: path('mountPath', options.mountPath, '/2fa'),
    loginPath: path('loginPath', options.loginPath, '/login'),
    defaultReturnTo: path('defaultReturnTo', options.defaultReturnTo, '/'),
    exempt: options.exempt,
    allowWhilePending: (options.allowWhilePending ?? []).map((p, i) => path(`allowWhilePending[${i}]`, p, '/')),
    trustedOrigins: origins('trustedOrigins', options.trustedOrigins ?? []),
    enforceNewAccounts: bool('enforceNewAccounts', options.enforceNewAccounts, false),
    codeTtlMs: positiveInteger('codeTtlMs', options.codeTtlMs ?? 10 * MINUTE),
    pendingTtlMs: positiveInteger('pendingTtlMs', options.pendingTtlMs ?? 10 * MINUTE),
    maxAttempts: positiveInteger('maxAttempts', options.maxAttempts ?? 5),
    lockout: {
      threshold: positiveInteger('lockout.threshold', lockout.threshold ?? 5),
      baseMs: positiveInteger('lockout.baseMs', lockout.baseMs ?? MINUTE),
      maxMs: positiveInteger('lockout.maxMs', lockout.maxMs ?? 60 * MINUTE),
      memoryMs: positiveInteger('lockout.memoryMs', lockout.memoryMs ?? DAY),
      // NIST SP 800-63B rev 4 §3.2.2: at most 100 consecutive failed attempts.
      permanentAfter: positiveInteger('lockout.permanentAfter', lockout.permanentAfter ?? 100),
    },
    sendQuota: windows('sendQuota', sendQuota),
    resendWaitMs: nonNegativeInteger('resendWaitMs', options.resendWaitMs ?? 30_000),
    reauthWindowMs: positiveInteger('reauthWindowMs', options.reauthWindowMs ?? 10 * MINUTE),
    phoneEnrolmentProof: proof,
    sendLimits: {
      perPhone: windows('sendLimits.perPhone', sendLimits.perPhone ?? [{ windowMs: HOUR, max: 5 }, { windowMs: DAY, max: 10 }]),
      perIp: windows('sendLimits.perIp', sendLimits.perIp ?? [{ windowMs: HOUR, max: 30 }, { windowMs: DAY, max: 100 }]),
    },
    twilio: options.twilio,
    phone: options.phone ?? {},
    requirePhone: options.requirePhone,
    onPhoneVerified: options.onPhoneVerified,
    onDeliveryFailure: options.onDeliveryFailure,
    notify: {
      deviceTrusted: bool('notify.deviceTrusted', notify.deviceTrusted, true),
      phoneChanged: bool('notify.phoneChanged', notify.phoneChanged, true),
      methodChanged: bool('notify.methodChanged', notify.methodChanged, true),
      failedCodes: bool('notify.failedCodes', notify.failedCodes, true),
      recoveryUsed: bool('notify.recoveryUsed', notify.recoveryUsed, true),
      recoveryGenerated: bool('notify.recoveryGenerated', notify.recoveryGenerated, true),
      lockedOut: bool('notify.lockedOut', notify.lockedOut, true),
      twoFactorSwitched: bool('notify.twoFactorSwitched', notify.twoFactorSwitched, true),
      newSignIn: bool('notify.newSignIn', notify.newSignIn, true),
      clientsSwitched: bool('notify.clientsSwitched', notify.clientsSwitched, true),
    },
    sessionPolicy: sessionPolicyOption(options.sessionPolicy === undefined ? {} : options.sessionPolicy),
    placeHint: options.placeHint,
    methods: methodOptions(options.methods),
    trust: {
      enabled: trust !== false,
      ttlMs: positiveInteger('trustedDevices.ttlMs', (trust || {}).ttlMs ?? 30 * DAY),
      maxPerBrowser: positiveInteger('trustedDevices.maxPerBrowser', (trust || {}).maxPerBrowser ?? 5),
    },
    onEvent: options.onEvent,
    storeTimeoutMs: positiveInteger('storeTimeoutMs', options.storeTimeoutMs ?? 3000),
    channelTimeoutMs: positiveInteger('channelTimeoutMs', options.channelTimeoutMs ?? DEFAULT_CHANNEL_TIMEOUT_MS),
    cookie: {
      secure: bool('cookie.secure', cookie.secure, !development),
      name: cookieName(cookie.name ?? 'device_2fa'),
    },
    development,
    sessionStore: sessionStoreOption(options.sessionStore),
    now: options.now ?? Date.now,
  };
}

function sessionPolicyOption(policy: SessionPolicyOptions): Required<SessionPolicyOptions> {
  if (!isObject(policy)) fail('`sessionPolicy` must be an object, e.g. `{ idleMs: 15 * 60_000 }`.');
  const idleMs = positiveInteger('sessionPolicy.idleMs', policy.idleMs ?? 15 * MINUTE);
  const warningMs = positiveInteger('sessionPolicy.warningMs', policy.warningMs ?? 2 * MINUTE);
  if (warningMs >= idleMs) fail(`\`sessionPolicy.warningMs\` (${warningMs}) must be less than \`sessionPolicy.idleMs\` (${idleMs}): the warning comes before the end.`);
  return {
    idleMs,
    warningMs,
    absoluteMs: positiveInteger('sessionPolicy.absoluteMs', policy.absoluteMs ?? 12 * HOUR),
    bindNetwork: bool('sessionPolicy.bindNetwork', policy.bindNetwork, false),
    forNewAccounts: bool('sessionPolicy.forNewAccounts', policy.forNewAccounts, false),
  };
}

function sessionStoreOption(store: unknown): SessionStore | undefined {
  if (store === undefined) return undefined;
  const methods = ['get', 'set', 'destroy'];
  if (!isObject(store) || methods.some((m) => typeof store[m] !== 'function')) {
    fail('`sessionStore` must be the express-session store your app uses (with `get`, `set` and `destroy`), e.g. the connect-redis store you pass to session().');
  }
  return store as unknown as SessionStore;
}

function fail(message: string): never {
  throw new ConfigurationError(`express-device-2fa: ${message}`);
}

function methodOptions(value: unknown): MethodOptions {
  if (value === undefined) return {};
  if (!isObject(value)) fail('`methods` must be an object of per-method options, e.g. `{ passkey: { rpId, origins } }`.');
  const known = METHODS.map((plugin) => plugin.id);
  for (const key of Object.keys(value)) {
    if (!(known as string[]).includes(key)) fail(`received an unknown method \`methods.${key}\`. Methods: ${known.join(', ')}.`);
  }
  return value as MethodOptions;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function checkEmail(email: unknown): void {
  if (!isObject(email)) fail('`email` must be `{ transport, from }`.');
  const { transport, from } = email;
  if (!(typeof transport === 'string' && /^smtps?:\/\//.test(transport)) && !(isObject(transport) && typeof transport.sendMail === 'function')) {
    fail('`email.transport` must be a nodemailer transport (`nodemailer.createTransport(...)`) or an SMTP URL such as `smtp://user:pass@mail.example.com:587`.');
  }
  if (typeof from !== 'string' || !from.includes('@')) fail('`email.from` must be a sender address such as `"Acme" <security@acme.test>`.');
}

function windows(name: string, value: unknown): RateWindow[] {
  if (!Array.isArray(value) || value.length === 0) fail(`\`${name}\` must be a non-empty array of \`{ windowMs, max }\`.`);
  return value.map((w: { windowMs?: unknown; max?: unknown } | undefined, i) => ({
    windowMs: positiveInteger(`${name}[${i}].windowMs`, w?.windowMs),
    max: positiveInteger(`${name}[${i}].max`, w?.max),
  }));
}

function positiveInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) fail(`\`${name}\` must be a positive integer (got ${String(value)}).`);
  return value;
}

function nonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(`\`${name}\` must be an integer of 0 or more (got ${String(value)}).`);
  return value;
}

function bool(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(`\`${name}\` must be true or false.`);
  return value;
}

function text(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') fail(`\`${name}\` must be a non-empty string.`);
  return value;
}

/** A path on this site, judged as the browser will resolve it (the library redirects to these). */
function path(name: string, value: unknown, fallback: string): string {
  const given = text(name, value, fallback);
  const resolved = sameOriginPath(given);
  if (resolved === undefined) fail(`\`${name}\` must be a path on this site starting with a single "/" (got "${given}").`);
  return resolved.length > 1 ? resolved.replace(/\/+$/, '') : resolved;
}

/** Origins exactly as a browser writes them in the Origin header ("https://www.example.com"). */
function origins(name: string, value: unknown): ReadonlySet<string> {
  if (!Array.isArray(value)) fail(`\`${name}\` must be an array of origins such as ["https://www.example.com"].`);
  return new Set(
    value.map((origin: unknown, i) => {
      let parsed: string | undefined;
      try {
        parsed = typeof origin === 'string' ? new URL(origin).origin : undefined;
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || parsed === 'null' || parsed !== origin) {
        fail(`\`${name}[${i}]\` must be an origin such as "https://www.example.com" (scheme, host and port if not the default; no path or trailing "/"). Got ${JSON.stringify(origin)}.`);
      }
      return parsed;
    }),
  );
}

function cookieName(name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(name)) fail('`cookie.name` must be 1-64 letters, digits, "_" or "-".');
  return name;
}

/** The known option closest to a typo, for "did you mean" (Levenshtein distance ≤ 3). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
