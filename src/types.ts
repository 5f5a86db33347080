import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Channel } from './core/channel';
import type { TwoFactorEvent } from './core/events';
import type { PhoneOptions } from './core/phone';
import type { DeliveryError } from './errors';
import type { AccountAdmin } from './core/account-admin';
import type { DurableStore, EphemeralStore } from './core/store';
import type { MethodId, MethodOptions } from './core/method';
import type { StringsOption } from './views/words';

/** How a code reaches the user. */
export type DeliveryMethod = 'email' | 'sms' | 'voice';

/** Who the user is, as the host knows them. */
export interface UserIdentity {
  /** The host's stable user id. */
  id: string;
  /** Where email codes go. */
  email: string;
  /** The account (organisation, tenant) the user belongs to, for account-wide enforcement. */
  accountId?: string | null;
  /**
   * The user's language, a BCP 47 tag ("de", "es-MX"): codes and security emails go out in it,
   * whatever browser asked for them (matched to the library's languages; absent or unmatched: the
   * language of the request that caused the message, else English).
   */
  locale?: string;
  /** The user's IANA time zone ("Europe/Berlin"): times on their settings page and in their emails. Absent or unknown: `timeZone`. */
  timeZone?: string;
}

/** The host's adapter over its own user table. Only `find` is required. */
export interface UserAdapter {
  /** Returns the user, or null/undefined when there is no such user. */
  find(userId: string): Promise<UserIdentity | null | undefined>;
  /** The users of an account, for the admin user list. Optional: without it `listUsers` throws. */
  listByAccount?(accountId: string): Promise<UserIdentity[]>;
}

/** A user's durable two-factor settings. */
export interface UserSettings {
  /** The user's own 2FA switch. */
  enabled: boolean;
  /** Preferred method (`'email'`, `'sms'`, `'voice'`, `'totp'`, `'passkey'`). Email is the default for everyone. */
  method: MethodId;
  /**
   * The methods the user has set up credentials for (an authenticator app, passkeys): kept by the
   * library, so that which methods a user can use is known without reading their credentials.
   */
  enrolled?: MethodId[];
  /** A phone number the user proved they own (E.164), or null. Never an unverified number. */
  phone: string | null;
  /**
   * `false`: codes never go by email ("phone only"); email is neither offered nor used as a fallback
   * (recovery codes remain). Only with a verified phone. Absent means `true`, so adapters written
   * before this field need no change.
   */
  emailCodes?: boolean;
  /**
   * A number an admin typed in for the user (E.164), not yet proved: the next sign-in sends its code
   * there, and entering that code makes it `phone`. Absent or null when there is none.
   */
  unverifiedPhone?: string | null;
  /**
   * `true`: the user blocks clients that cannot do two-step verification (SmartVault's "Block mapped
   * drive access"): an exempt request that `exempt` says is theirs is refused with a 403. Absent
   * means `false`, so adapters written before this field need no change.
   */
  blockClients?: boolean;
  /**
   * `true`: the user's browser sessions follow `sessionPolicy` (idle timeout, absolute lifetime,
   * optional network binding), from their next sign-in. Reversible. Absent means `false`.
   */
  sessionPolicy?: boolean;
}

/** An account's durable two-factor settings. */
export interface AccountSettings {
  /** Account-wide enforcement. One-way: once true it never goes back to false. */
  enforced: boolean;
  /** When enforcement was switched on (ms since epoch), or null. */
  enforcedAt: number | null;
  /**
   * `true`: every user of the account is refused on clients that cannot do two-step verification
   * (see `UserSettings.blockClients`). Reversible, unlike enforcement. Absent means `false`.
   */
  blockClients?: boolean;
  /**
   * `true`: every user's browser sessions follow `sessionPolicy` (the "Sessions" enhancement).
   * One-way like enforcement: once true it never goes back. Absent means `false`.
   */
  sessionPolicy?: boolean;
}

/** The account settings an admin may switch both ways (never enforcement, which is one-way). */
export type AccountSettingsPatch = Pick<Partial<AccountSettings>, 'blockClients'>;

/**
 * What `exempt` may say of a request: `false` (an ordinary browser request), `true` (a non-browser
 * client, passed untouched at no cost), or who the client is, so that the user's and the account's
 * "block clients" settings can refuse it.
 */
export type ExemptVerdict = boolean | ExemptClient;

/** A non-browser client `exempt` has identified, from a credential it has already checked. */
export interface ExemptClient {
  /** The user the client acts for (the host's user id, as `users.find` takes it). */
  userId: string;
  /** A label for events, e.g. "webdav", "desktop" or "api". */
  client?: string;
}

/** A browser the user chose to trust. */
export interface TrustedDevice {
  /** Public identifier, safe to show and to pass to `revokeDevice`. */
  id: string;
  userId: string;
  /** Browser and OS from the User-Agent, names only, e.g. "Chrome 131 (macOS)"; '' when it named neither. */
  label: string;
  createdAt: number;
  lastUsedAt: number;
  /** Fixed at creation; use never extends it. */
  expiresAt: number;
  /** An approximate place supplied by the host's `placeHint` when the device was trusted. */
  placeHint?: string;
}

/** One of a user's signed-in sessions, as the settings page and admins see it. */
export interface SignedInSession {
  /** A public handle of the session (a hash of its id, never the id itself), to end it by. */
  id: string;
  signedInAt: number;
  /** The session's last request, at minute precision. */
  lastActiveAt: number;
  /** Browser and OS from the User-Agent at sign-in, names only, e.g. "Chrome 131 (macOS)"; '' when it named neither. */
  label: string;
  /** The host's `placeHint` at sign-in, if any. */
  placeHint?: string;
  /** The session the list was asked from. */
  current: boolean;
}

/** What `passwordVerified` decided. */
export type SignInOutcome =
  /** Signed in: 2FA not required, or this browser is trusted. */
  | { status: 'verified'; reason: 'not-required' | 'trusted-device'; redirectTo: string }
  /** The session is pending; the user must enter a code. */
  | { status: 'pending'; redirectTo: string }
  /** The request is exempt (a non-browser client); nothing was changed. */
  | { status: 'exempt' }
  /**
   * An identified exempt request (see `exempt`) of a user whose own or account setting blocks such
   * clients; nothing was changed (a 403 was sent unless `respond: false`).
   */
  | { status: 'blocked'; blockedBy: 'user' | 'account' }
  /** The store could not be reached: nobody signed in (a 503 page was sent). */
  | { status: 'unavailable' };

export interface PasswordVerifiedOptions {
  /** Where to send the user afterwards. Only same-origin paths are honoured; anything else becomes "/". */
  returnTo?: unknown;
  /**
   * When true (the default), the library answers the request: a redirect, or a 503 page. Pass false
   * to receive the outcome and respond yourself (for example from a JSON login API).
   */
  respond?: boolean;
}

/** Options for `login()`. */
export interface LoginOptions {
  /** Where to send the user afterwards (judged as in `passwordVerified`). Default: the posted `returnTo` field, `req.body.returnTo`. */
  returnTo?: (req: Request) => unknown;
}

/**
 * What `login()` asks of the host's login route: the id of the user whose password is right, or
 * nothing when there is no sign-in here (it answered the request itself, a wrong password say, or
 * lets `next()` answer).
 */
export type LoginUserId = (req: Request, res: Response) => string | false | null | undefined | Promise<string | false | null | undefined>;

export interface EmailOptions {
  /** A nodemailer transport, or an SMTP URL such as `smtp://user:pass@mail.example.com:587`. */
  transport: import('nodemailer').Transporter | string;
  /** The From header, e.g. `"Acme" <security@acme.test>`. */
  from: string;
}

/** The site's logo, shown on the library's pages above the card, with `siteName`. */
export interface LogoOptions {
  /**
   * An https URL (`"https://cdn.example.com/logo.svg"`) or a path on your site (`"/static/logo.svg"`):
   * the pages' CSP then allows images from exactly that origin (`'self'` for a path).
   */
  src: string;
  /** The image's text alternative; `""` when the logo only repeats `siteName`, which is shown beside it. */
  alt: string;
  /** In CSS pixels, so the page does not shift as it loads. */
  width?: number;
  height?: number;
}

export interface CookieOptions {
  /**
   * Secure, `__Host-`-prefixed cookie. Default: true unless NODE_ENV is "development".
   * Turn off only for plain-HTTP development and tests.
   */
  secure?: boolean;
  /** Base name of the trusted-device cookie. Default "device_2fa". */
  name?: string;
}

/** A code that could not be delivered, for the `onDeliveryFailure` hook. */
export interface DeliveryFailure {
  userId: string;
  method: DeliveryMethod;
  /** Masked, e.g. "•••• 0006". */
  destination: string;
  error: DeliveryError;
}

/** The "Sessions" enhancement's rules, for users and accounts that have it on. */
export interface SessionPolicyOptions {
  /** A session with no request for this long ends. Default 15 min. */
  idleMs?: number;
  /** The warning script shows its dialog this long before the end. Default 2 min; less than `idleMs`. */
  warningMs?: number;
  /** A session ends this long after its sign-in, whatever the activity. Default 12 h. */
  absoluteMs?: number;
  /** End the session when the client's network changes (IPv4 address, IPv6 /64; see `req.ip`). Default false. */
  bindNetwork?: boolean;
  /** Accounts first seen from now on start with the enhancement on. Default false. */
  forNewAccounts?: boolean;
}

/** Which security emails the user gets. Each defaults to true. */
export interface NotifyOptions {
  /** A browser was trusted. */
  deviceTrusted?: boolean;
  /** The phone number was added, changed or reset. */
  phoneChanged?: boolean;
  /** The preferred method changed. */
  methodChanged?: boolean;
  /** Repeated wrong codes locked the step. */
  failedCodes?: boolean;
  /** A recovery code was used. */
  recoveryUsed?: boolean;
  /** A new set of recovery codes was made (the old set stopped working). */
  recoveryGenerated?: boolean;
  /** 100 consecutive wrong codes shut the code step until a recovery code or an admin clears it. */
  lockedOut?: boolean;
  /** The user switched two-step verification on or off themselves, on the settings page. */
  twoFactorSwitched?: boolean;
  /** A sign-in that did not come from a trusted browser (time, browser, the `placeHint`). */
  newSignIn?: boolean;
  /** Clients that cannot do two-step verification were blocked or allowed again for the user. */
  clientsSwitched?: boolean;
}

/** Who sends: a From number, a Messaging Service, or both (SMS then uses the service, voice the number). */
export interface TwilioSenderOptions {
  /** The sending number in E.164, e.g. "+15017122661". Required for voice calls. */
  from?: string;
  /** A Messaging Service SID ("MG…"). SMS only: when set, texts are sent through it instead of `from`. */
  messagingServiceSid?: string;
}

/**
 * The part of a Twilio REST client (`twilio(accountSid, authToken)`) that the library calls. Written
 * out here rather than imported from "twilio" so that these types compile where that optional peer
 * is not installed; a real client fits it.
 */
export interface TwilioRestClient {
  messages: { create(params: { to: string; body: string; from?: string; messagingServiceSid?: string }): Promise<unknown> };
  calls: { create(params: { to: string; from: string; twiml: string }): Promise<unknown> };
}

/** A Twilio client the host built itself (any region, edge, API key or HTTP settings it needs). */
export interface TwilioClientOption {
  client: TwilioRestClient;
  accountSid?: never;
  authToken?: never;
  apiUrl?: never;
}

/** Credentials from which the library builds its own client. */
export interface TwilioCredentialOptions {
  client?: never;
  /** The Account SID ("AC…"), from the Twilio Console. */
  accountSid: string;
  /** The account's Auth Token. Keep it out of source control. */
  authToken: string;
  /**
   * The Twilio REST base URL. Default: Twilio's own (`https://api.twilio.com`). Set it to point the
   * SDK at a compatible server, such as a local stand-in in tests (`http://127.0.0.1:4010`).
   */
  apiUrl?: string;
}

export type TwilioOptions = (TwilioClientOption | TwilioCredentialOptions) & TwilioSenderOptions;

/**
 * Where the library's warnings and errors go: pino, bunyan, or anything with the same two methods.
 * Called as `warn(context, message)`: `context` holds what the entry is about (`userId`, `method`,
 * an error `code`, the host's own error as `err`), never a code, a token, a secret or a full phone
 * number.
 */
export interface Logger {
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

/** Options for `adminRouter()`. */
export interface AdminRouterOptions {
  /** The account the signed-in admin administers (from your own session/auth), or undefined → 403. */
  account: (req: Request) => string | undefined | Promise<string | undefined>;
  /** The admin's id, recorded in events. Default "admin". */
  adminId?: (req: Request) => string | undefined;
}

/** Options for `deviceTwoFactor()`. Only `secret` and `users` are required. */
export interface DeviceTwoFactorOptions {
  /** At least 32 characters of secret used to hash codes and device tokens. Keep it out of source control. */
  secret: string;
  /** The host's user adapter. */
  users: UserAdapter;
  /**
   * Ephemeral state (challenges, counters, trusted devices, the session index) and, unless
   * `durableStore` is given, durable state too. Default: a new `MemoryStore` (development only).
   */
  store?: EphemeralStore;
  /**
   * Where durable state lives (settings, recovery codes, credentials), e.g. an adapter over your own
   * database. Default: the `store`, which must then implement DurableStore too (MemoryStore and
   * RedisStore do; a RedisStore then refuses to run on an evicting Redis).
   */
  durableStore?: DurableStore;
  /** Email delivery. Required unless NODE_ENV is "development", where codes go to the development outbox. */
  email?: EmailOptions;
  /** Extra channels by method, e.g. `{ sms: twilioSms(...) }`. Email comes from `email`. */
  channels?: Partial<Record<DeliveryMethod, Channel>>;
  /**
   * Your app's name on the page and in messages ("123456 is your Acme verification code"). Default:
   * the display name of `email.from` (`"Acme" <security@acme.test>` → "Acme"), else its domain; in
   * development without email, "localhost".
   */
  siteName?: string;
  /**
   * The language of a request's pages, a BCP 47 tag ("de", "es-MX"), e.g. from the user's profile
   * or a cookie; undefined (or a language the library has no table for) leaves it to the request's
   * `Accept-Language`, and then English. See the README's "Languages".
   */
  locale?: (req: Request) => string | undefined;
  /** Your words over the library's, by language (`{ de: { verifyTitle: '…' } }`), or a whole new language. */
  strings?: StringsOption;
  /** The IANA time zone times are shown in ("Europe/Berlin") for users without their own `timeZone`. Default "UTC". */
  timeZone?: string;
  /** A logo on the library's pages (an https URL or a path on your site). Default: none. */
  logo?: LogoOptions;
  /** Where the library's routes live. Default "/2fa". */
  mountPath?: string;
  /** The host's password page, where an expired or cancelled sign-in goes back to. Default "/login". */
  loginPath?: string;
  /** Where to go after sign-in when no `returnTo` was given. Default "/". */
  defaultReturnTo?: string;
  /**
   * Non-browser clients (API tokens, desktop sync, WebDAV): never challenged, never redirected.
   * Return `true` to pass the request untouched (no store call), or `{ userId, client? }` naming the
   * user whose already-checked credential it carries: the request is then refused with a 403 when
   * that user or their account blocks such clients (one settings read per request). Synchronous:
   * identify the client in a middleware mounted before the guard if that needs a database.
   */
  exempt?: (req: Request) => ExemptVerdict;
  /** Paths a pending session may still reach through the guard (besides the library's own), e.g. ["/logout"]. */
  allowWhilePending?: readonly string[];
  /**
   * Other origins whose pages may post to the library's forms and admin API, for an app served under
   * several origins (e.g. `["https://www.example.com"]`). Its own origin is always allowed. Default [].
   */
  trustedOrigins?: readonly string[];
  /** New accounts (first seen after this is set) get account-wide enforcement on. Default false. */
  enforceNewAccounts?: boolean;
  /** Code lifetime in ms. Default 10 minutes. */
  codeTtlMs?: number;
  /** How long a pending sign-in waits for its code before going back to the password step. Default 10 minutes. */
  pendingTtlMs?: number;
  /** Wrong entries allowed per code. Default 5. */
  maxAttempts?: number;
  /**
   * Lock-out after consecutive failures per user: from `threshold` (5) a back-off from `baseMs`
   * (1 min) doubling to `maxMs` (1 h), forgotten `memoryMs` (24 h) after the last failure; at
   * `permanentAfter` (100) the code step stays shut until a recovery code or an admin clears it.
   */
  lockout?: { threshold?: number; baseMs?: number; maxMs?: number; memoryMs?: number; permanentAfter?: number };
  /** Code sends per user, across all sign-ins and methods: each window must have room. Default 5 per 15 min. */
  sendQuota?: readonly { windowMs: number; max: number }[];
  /** The least time before the same sign-in gets another code by the same method. Default 30 s. */
  resendWaitMs?: number;
  /**
   * How long a passed re-authentication lets the user make sensitive changes (method, phone,
   * recovery codes) without another code. Default 10 minutes.
   */
  reauthWindowMs?: number;
  /**
   * What a user who must add a first phone at sign-in proves first. `'email'` (default): a code to
   * the email on file (or a recovery code), so a password alone never chooses the second factor.
   * `'none'`: the phone form comes first; only for apps whose users do not control their email
   * address, since the first phone then rests on the password alone.
   */
  phoneEnrolmentProof?: 'email' | 'none';
  /** Trusted browsers. `false` never offers "trust this browser". */
  trustedDevices?: false | { ttlMs?: number; maxPerBrowser?: number };
  /**
   * How long to wait for the store, the durable store, the user adapter or a session write of the
   * library's (`session.regenerate`, `save`) before failing closed with a 503. Default 3000 ms.
   */
  storeTimeoutMs?: number;
  /**
   * How long one code send may take, start to finish, before the page says the code could not be
   * sent and offers the other methods. It bounds every channel, yours included, and is handed to the
   * built-in ones as nodemailer's connection, greeting, socket and DNS timeouts and the Twilio SDK's
   * request timeout. Default 8000 ms.
   */
  channelTimeoutMs?: number;
  /** Cookie settings for the trusted-device cookie. */
  cookie?: CookieOptions;
  /**
   * Send `Strict-Transport-Security` (helmet's: one year, subdomains) on the library's pages.
   * Default: true outside development; in development none, so a local HTTPS try-out does not pin
   * `localhost` to HTTPS for a year.
   */
  hsts?: boolean;
  /**
   * Development mode: codes without a configured channel go to the development outbox (console and
   * `<mountPath>/outbox`, served to loopback clients only), and cookies default to non-Secure.
   * Default: NODE_ENV === "development". With NODE_ENV=production it warns loudly at start-up.
   */
  development?: boolean;
  /**
   * Called once per security-relevant step (code issued, verified, rejected, lock-out, device trusted
   * or revoked, …) for your audit log. Never carries a code, token or full phone number. A throwing
   * hook is logged and never breaks a sign-in.
   */
  onEvent?: (event: TwoFactorEvent) => void | Promise<void>;
  /**
   * Twilio for SMS and voice codes: `{ accountSid, authToken, from }` (or `messagingServiceSid` for
   * SMS) or `{ client, from }` with a client you built. `apiUrl` points the SDK at another base URL.
   */
  twilio?: TwilioOptions;
  /**
   * How typed phone numbers are read: `{ defaultCountry: 'US', allowedCountries: ['US', 'CA'], allowedTypes,
   * allowHighCostNumbers }`. Numbers of no country (satellite, international networks) and
   * premium-rate or shared-cost numbers are refused unless `allowHighCostNumbers` is true.
   */
  phone?: PhoneOptions;
  /**
   * Users for whom codes must go to a phone (an account policy, say). Without a verified phone they
   * are asked to add one at sign-in. Users whose preferred method is SMS or voice always are.
   */
  requirePhone?: (user: UserIdentity) => boolean | Promise<boolean>;
  /**
   * Limits on SMS and voice sends beyond the per-user `sendQuota` (toll fraud, SMS pumping).
   * `perPhone` counts codes to a verified number per number, and codes to a number being enrolled per
   * (user, number), so nobody can use up a number owner's budget by typing their number. `perIp`
   * counts an IPv4 client by its address and an IPv6 client by its /64.
   * Defaults: per number 5 per hour and 10 per day; per client IP 30 per hour and 100 per day.
   */
  sendLimits?: { perPhone?: readonly { windowMs: number; max: number }[]; perIp?: readonly { windowMs: number; max: number }[] };
  /**
   * Called when a session becomes fully signed in (the second factor done, or none needed), under
   * the library's new session id and before the session is stored: set your own sign-in state here.
   * With Passport: `req.login(user, { keepSessionInfo: true }, callback)` (the README's Passport
   * section). A throw or no answer within `storeTimeoutMs` fails closed (a 503, nobody signed in);
   * a hook that drops the library's state from the session is refused (`ConfigurationError`).
   */
  onSignedIn?: (req: Request, userId: string) => void | Promise<void>;
  /** Called after a user proved a new phone number by code, so you can copy it into your profile. */
  onPhoneVerified?: (userId: string, phone: string) => void | Promise<void>;
  /** Called when a channel could not deliver a code (it is logged too). Destinations are masked. */
  onDeliveryFailure?: (failure: DeliveryFailure) => void;
  /**
   * Where warnings and errors go (pino-compatible `warn(context, message)` and `error(context,
   * message)`): failures of your adapters (`users.find` throwing), codes that could not be
   * delivered, start-up warnings. Default: the console.
   */
  logger?: Logger;
  /** Security emails to the user; each on by default. */
  notify?: NotifyOptions;
  /** The "Sessions" enhancement's rules (see SessionPolicyOptions); it applies to users and accounts that have it on. */
  sessionPolicy?: SessionPolicyOptions;
  /** An approximate place for a trusted device, e.g. an IP prefix or a city from your GeoIP lookup. */
  placeHint?: (req: Request) => string | undefined;
  /** Options of individual methods, e.g. `methods.passkey` (see each method's section). */
  methods?: MethodOptions;
  /**
   * The express-session store your app uses, so signed-in sessions can be listed and ended from
   * anywhere (admin API, `revokeAllDevices`). Optional: the library also learns it from the first
   * request it sees (`req.sessionStore`).
   */
  sessionStore?: import('express-session').Store;
  /** The clock, for tests. Default `Date.now`. */
  now?: () => number;
}

/** What `deviceTwoFactor()` hands the host. */
export interface DeviceTwoFactor {
  /**
   * The library as one middleware: `app.use(twoFactor)`, after the session middleware, is `router`
   * and then `guard` in one Express layer.
   */
  (req: Request, res: Response, next: NextFunction): void;
  /** Serves the verification page and its form posts under `mountPath`. Mount with `app.use(twoFactor.router)`. */
  readonly router: RequestHandler;
  /** Keeps a pending session away from everything but the verification routes. Mount after the session middleware. */
  readonly guard: RequestHandler;
  /**
   * An Express error middleware for the host to mount last (`app.use(twoFactor.errorHandler)`). A
   * store outage reaching the host's own routes (the session store failing or not answering, a
   * StoreUnavailableError from a library call) becomes the same 503 "try again" answer as the
   * library's (JSON for a JSON client); every other error goes on to `next(err)`.
   */
  readonly errorHandler: ErrorRequestHandler;
  /**
   * Resolves once the store is usable. A store that is down or does not answer at start-up is tried
   * again (with back-off) until it answers; only a refused configuration (for example a Redis that may
   * evict keys) rejects, with a message saying why. Until it resolves the step answers 503.
   */
  readonly ready: Promise<void>;
  /**
   * Middleware for the host's own state-changing routes (the login form, say): refuses, with a 403
   * page, a request another site sent (`Sec-Fetch-Site: cross-site`, a foreign `Origin`), as the
   * library does on its own routes. GET, HEAD and OPTIONS pass. A defence beside your CSRF token.
   */
  readonly sameOriginOnly: RequestHandler;
  /**
   * Your login route's last middleware: `app.post('/login', …, twoFactor.login(async (req, res) => …))`.
   * `userIdOf` checks the password (or reads the user a Passport strategy found) and returns the
   * user's id; then it is `passwordVerified` and its answer. It never rejects, so it is safe on
   * Express 4, which does not catch a rejected route: an id that is not a string or names no user
   * is a 401 page and an error line in the log, a store or adapter failure the 503 page (and a log
   * line for the adapter's), and a throw of `userIdOf` goes to `next(err)`. An exempt request, and
   * a `userIdOf` that returns nothing without answering, go on to `next()`.
   */
  login(userIdOf: LoginUserId, options?: LoginOptions): RequestHandler;
  /**
   * Call from your login route once the password is right (or use `login`). Rejects when `userId`
   * is not a non-empty string (`InvalidArgumentError`) or names no user (`UnknownUserError`): on
   * Express 4 pass the rejection to `next`.
   */
  passwordVerified(req: Request, res: Response, userId: string, options?: PasswordVerifiedOptions): Promise<SignInOutcome>;
  /** True when the request's session is fully signed in (password and, when required, the code). */
  isVerified(req: Request): boolean;
  /** The fully signed-in user id, or undefined. */
  verifiedUserId(req: Request): string | undefined;
  /**
   * Signs the session out (a fresh, empty session). Trusted devices stay trusted. Rejects with a
   * StoreUnavailableError when the session store fails or does not answer within `storeTimeoutMs`.
   */
  signOut(req: Request): Promise<void>;
  /** Whether 2FA is required for the user (own switch or account-wide enforcement). */
  isRequired(userId: string): Promise<boolean>;
  /** Switch the user's own 2FA on or off. */
  setUserEnabled(userId: string, enabled: boolean): Promise<UserSettings>;
  /**
   * Block (or allow again) the user's clients that cannot do two-step verification: identified
   * exempt requests for them get a 403. The user is told.
   */
  blockClients(userId: string, blocked: boolean): Promise<UserSettings>;
  /** Switch the user's own session policy (see `sessionPolicy`) on or off; it applies from their next sign-in. */
  setSessionPolicy(userId: string, on: boolean): Promise<UserSettings>;
  /**
   * Switch the account's session policy on; every user of the account (when `users.listByAccount`
   * exists) is signed out once. One-way: `false` throws a `SessionPolicyIsOneWayError`.
   */
  enableSessionPolicy(accountId: string, on?: true): Promise<AccountSettings>;
  /**
   * Switch account-wide enforcement on. There is no way to switch it off: passing `false` throws an
   * `EnforcementIsOneWayError` (the type already refuses it).
   */
  enforceAccount(accountId: string, enforced?: true): Promise<AccountSettings>;
  /** The user's trusted devices. */
  listDevices(userId: string): Promise<TrustedDevice[]>;
  /** Revoke one trusted device. Returns whether it existed. */
  revokeDevice(userId: string, deviceId: string): Promise<boolean>;
  /**
   * Revoke every trusted device of the user and end their signed-in sessions (all, or all but the
   * session of `except`, the request that changed the password). Call it when the password changes.
   * Resolves the number of devices revoked.
   */
  revokeAllDevices(userId: string, options?: { except?: Request }): Promise<number>;
  /** The user's signed-in sessions, oldest first. */
  listSessions(userId: string): Promise<SignedInSession[]>;
  /** Ends the user's signed-in sessions (all, or all but the session of `except`). Resolves how many. */
  endSessions(userId: string, options?: { except?: Request }): Promise<number>;
  /**
   * A new set of ten single-use recovery codes for the user (the old set stops working; the user is
   * told by email). Show them once.
   */
  generateRecoveryCodes(userId: string): Promise<string[]>;
  /**
   * Lifts the user's lock-out (after 100 consecutive wrong codes the code step stays shut until a
   * recovery code or this) and forgets their failed attempts. Resolves whether there was anything to clear.
   */
  unlock(userId: string): Promise<boolean>;
  /** Admin operations scoped to one account (`adminId` is recorded in events). */
  admin(accountId: string, adminId?: string): AccountAdmin;
  /** The admin operations as a JSON router, to mount behind your own admin check. */
  adminRouter(options: AdminRouterOptions): RequestHandler;
  /** Stops timers (start-up retries too) and closes what the library opened itself (not a client you passed in). */
  close(): Promise<void>;
}

export type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response };
