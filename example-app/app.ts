/**
 * An app that already had a password login, with device-aware two-factor added in front of
 * everything behind it. The lines that concern the library are marked "2FA".
 */
import { createHash } from 'node:crypto';
import express from 'express';
import session from 'express-session';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import { Redis } from 'ioredis';
// In your app: import { deviceTwoFactor, RedisStore, ... } from 'express-device-2fa';
import { deviceTwoFactor, type DeviceTwoFactor, type EmailOptions, type PhoneOptions, type TwilioOptions } from '../src';
import { RedisStore } from '../src/redis';
import { DEFAULT_ALLOWED_NUMBER_TYPES } from '../src'; // not exported by the package yet
import { adminRoutes } from './admin';
import { csrfToken, requireCsrf } from './csrf';
import { sendDashboard, sendForbidden, sendLoginPage } from './pages';
import { checkPassword, createDatabase, DEMO_USERS, durableStore, userAdapter, type Database } from './users';

/** Good enough to try the app on your machine, refused anywhere else. */
const DEVELOPMENT_SECRET = 'example-app-development-secret-not-for-production';

/** API tokens (kept as SHA-256 digests, like passwords) and whose they are. The demo's is "demo-token". */
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
const API_TOKENS = new Map([[sha256('demo-token'), 'alice']]);

/** The token of an `Authorization: Bearer …` header, if any. */
const bearerToken = (req: express.Request): string | undefined => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];

/** 2FA: which typed phone numbers codes may go to. */
export const PHONE_OPTIONS: PhoneOptions = {
  // "415 555 0100" typed without "+1" is read as a US number.
  defaultCountry: 'US',
  // Only the countries our users live in: every other country is a toll-fraud risk we need not take.
  // (Satellite and other numbers of no country are refused anyway.)
  allowedCountries: ['US', 'CA', 'GB'],
  // Only for the demo: Twilio's magic test numbers (+1 500 555 ...) are PERSONAL_NUMBER, which
  // the library refuses by default (toll fraud). A real app keeps the default.
  allowedTypes: [...DEFAULT_ALLOWED_NUMBER_TYPES, 'PERSONAL_NUMBER'],
};

export interface ExampleConfig {
  port: number;
  development: boolean;
  /** Plain HTTP (development and tests): cookies cannot be Secure. */
  plainHttp: boolean;
  /** `__Host-sid` over HTTPS (Secure, this host only: no subdomain can set or read it); `sid` on plain HTTP. */
  sessionCookie: string;
  /** Express's `trust proxy` (TRUST_PROXY), for a TLS-terminating proxy in front: hops or addresses. */
  trustProxy: number | string | undefined;
  sessionSecret: string;
  twoFactorSecret: string;
  /** Absent: sessions and the library's state live in memory (one process, lost on restart). */
  redisUrl: string | undefined;
  /** How long one Redis command (or connecting) may take before it fails: below `storeTimeoutMs`. */
  redisTimeoutMs: number;
  /** The library's `storeTimeoutMs`: the longest a request waits on a store before the 503. */
  storeTimeoutMs: number;
  /** The session policy (acme has it on): idle timeout and the warning before it (SESSION_IDLE_SECONDS, SESSION_WARNING_SECONDS). */
  sessionPolicy: { idleMs: number; warningMs: number };
  /** Absent: in development the library prints codes and lists them at /2fa/outbox. */
  email: EmailOptions | undefined;
  /** Absent: in development SMS and calls go to the outbox too; otherwise bob and carol get email. */
  twilio: TwilioOptions | undefined;
  /** Passkeys (PASSKEY_RP_ID, PASSKEY_ORIGINS comma-separated). Absent: in development the library's localhost default, otherwise none. */
  passkey: { rpId: string; origins: string[] } | undefined;
}

export function readConfig(env: Record<string, string | undefined>): ExampleConfig {
  // Note: the library reads process.env.NODE_ENV itself (for its outbox and cookie defaults), so
  // `env` should carry the same NODE_ENV as the process.
  const development = env.NODE_ENV === 'development';
  const secret = (name: string): string => {
    const value = env[name];
    if (value) return value;
    if (development) return DEVELOPMENT_SECRET;
    throw new Error(`${name} must be set when NODE_ENV is not "development" (generate one with \`openssl rand -base64 48\`).`);
  };
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number (got "${env.PORT}").`);
  const plainHttp = development || env.NODE_ENV === 'test';
  const trustProxy = env.TRUST_PROXY || undefined;
  const milliseconds = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a number of milliseconds (got "${env[name]}").`);
    return value;
  };
  const seconds = (name: string, fallback: number): number => {
    const value = Number(env[name] ?? fallback);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a number of seconds (got "${env[name]}").`);
    return value;
  };
  return {
    port,
    development,
    plainHttp,
    sessionCookie: plainHttp ? 'sid' : '__Host-sid',
    trustProxy: trustProxy !== undefined && /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy,
    sessionSecret: secret('SESSION_SECRET'),
    twoFactorSecret: secret('TWO_FACTOR_SECRET'),
    redisUrl: env.REDIS_URL || undefined,
    redisTimeoutMs: milliseconds('REDIS_TIMEOUT_MS', 2000),
    storeTimeoutMs: milliseconds('TWO_FACTOR_STORE_TIMEOUT_MS', 3000),
    sessionPolicy: {
      idleMs: seconds('SESSION_IDLE_SECONDS', 15 * 60) * 1000,
      warningMs: seconds('SESSION_WARNING_SECONDS', 2 * 60) * 1000,
    },
    email: env.SMTP_URL ? { transport: env.SMTP_URL, from: env.MAIL_FROM || '"Example Co" <security@example.test>' } : undefined,
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM_NUMBER
        ? {
            accountSid: env.TWILIO_ACCOUNT_SID,
            authToken: env.TWILIO_AUTH_TOKEN,
            from: env.TWILIO_FROM_NUMBER,
            // Another base URL for Twilio's REST API (the tests point it at a local stand-in).
            ...(env.TWILIO_API_URL ? { apiUrl: env.TWILIO_API_URL } : {}),
          }
        : undefined,
    passkey: env.PASSKEY_RP_ID
      ? {
          rpId: env.PASSKEY_RP_ID,
          origins: (env.PASSKEY_ORIGINS ?? '')
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        }
      : undefined,
  };
}

export async function createExampleApp(env: Record<string, string | undefined>): Promise<{
  app: express.Express;
  twoFactor: DeviceTwoFactor;
  config: ExampleConfig;
  /** The app's own tables (the tests look at them). */
  db: Database;
  close(): Promise<void>;
}> {
  const config = readConfig(env);
  const db = await createDatabase();
  // One Redis client for both the sessions and the library's state. The app owns it and closes it.
  // It fails fast while Redis is away (ioredis's defaults hold a request for minutes: 20 retries and
  // an offline queue), so every request gets the 503 "try again" page within storeTimeoutMs.
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, {
        commandTimeout: config.redisTimeoutMs, // a hung Redis: each command gives up
        connectTimeout: config.redisTimeoutMs,
        maxRetriesPerRequest: 1,
        enableOfflineQueue: false, // while disconnected: fail at once, queue nothing
      })
    : undefined;
  redis?.on('error', (error: Error) => console.error(`Redis: ${error.message}`));

  let twoFactor: DeviceTwoFactor;
  try {
    // 2FA: created once at start-up; a wrong option throws here with a message saying what to fix.
    twoFactor = deviceTwoFactor({
      secret: config.twoFactorSecret,
      users: userAdapter(db),
      // Durable state (settings, recovery codes, credentials) stays in our own tables, so Redis only
      // holds state that may be lost.
      durableStore: durableStore(db),
      store: redis ? new RedisStore({ client: redis }) : undefined,
      email: config.email,
      // SMS and voice codes. Without it, development sends them to the outbox.
      twilio: config.twilio,
      phone: PHONE_OPTIONS,
      // A user proved a new phone number by code. Our durable store has already stored it in the
      // user's row (the same column); an app whose settings live in the library's store would copy
      // it into its profile here. Writing the same column again keeps the two from ever differing.
      onPhoneVerified: (userId, phone) => {
        const user = db.users.get(userId);
        if (user) user.twoFactor.phone = phone;
      },
      // The audit log: one JSON line per security event (no codes, tokens or full phone numbers).
      onEvent: (event) => console.log(JSON.stringify(event)),
      // A code that could not be delivered is logged by the library itself (its `logger`, here the console).
      // Shown next to each trusted browser on the settings pages: an approximate place, never the full IP.
      placeHint: (req) => ipPrefix(req.ip),
      // Non-browser clients (here: API tokens) are never challenged. A token we know names its user,
      // so that user's (or their account's) "block apps that can't ask for a code" refuses it with a
      // 403; an unknown token passes untouched, and /api/me refuses it itself.
      exempt: (req) => {
        const token = bearerToken(req);
        if (token === undefined) return false;
        const userId = API_TOKENS.get(sha256(token));
        return userId ? { userId, client: 'api' } : true;
      },
      siteName: 'Example Co',
      // Pages a user waiting for their code may still reach: the password form, to start over. (The
      // code page has its own "Cancel and sign out".)
      allowWhilePending: ['/login'],
      // Secure `__Host-` cookies cannot be set over plain HTTP.
      cookie: config.plainHttp ? { secure: false } : undefined,
      storeTimeoutMs: config.storeTimeoutMs,
      // The "Sessions" enhancement, for accounts (acme) and users that have it on.
      sessionPolicy: config.sessionPolicy,
      // Passkeys are valid only for these origins (never taken from request headers).
      ...(config.passkey ? { methods: { passkey: config.passkey } } : {}),
    });
    // 2FA: a moment for the store to answer (a refused configuration throws here). With Redis down
    // the app starts anyway: it answers 503 until Redis is back, then works without a restart.
    await Promise.race([twoFactor.ready, new Promise((resolve) => setTimeout(resolve, config.storeTimeoutMs).unref())]);
  } catch (error) {
    redis?.disconnect();
    throw error;
  }

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy Express must trust it, or it sees http: Secure cookies are not
  // sent and the library refuses the forms' https Origin as foreign.
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  app.use(
    session({
      // Not the default "connect.sid" (which names the framework). `__Host-` needs Secure, so plain
      // HTTP (development, tests) uses a plain name.
      name: config.sessionCookie,
      secret: config.sessionSecret,
      // connect-redis 8.1.0: the last version that accepts an ioredis client. Keys are "sess:<id>".
      store: redis ? new RedisSessionStore({ client: redis }) : undefined,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: !config.plainHttp },
    }),
  );
  // 2FA in one line: the verification page under /2fa, and the guard that keeps half-signed-in
  // sessions out of everything below. After the session middleware, before the app's own routes.
  app.use(twoFactor);

  const hint = config.development ? DEMO_USERS.map((u) => u.email) : undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');

  // The password form carries a CSRF token like every other form (login CSRF: another site must not
  // sign the browser in to an account of its choosing). The token lives in the session, so showing
  // the form starts one; the password step then replaces it with a new session id.
  app.get('/login', (req, res) => {
    sendLoginPage(res, 200, { returnTo: text(req.query.returnTo), csrf: csrfToken(req), hint });
  });

  const loginExpired = (res: express.Response) => sendForbidden(res, 'This sign-in form has expired. Reload the page and try again.');
  // 2FA: `sameOriginOnly` refuses a post another site sent (Fetch Metadata, Origin), as on the library's own forms.
  app.post(
    '/login',
    twoFactor.sameOriginOnly,
    express.urlencoded({ extended: false, limit: '4kb' }),
    requireCsrf(loginExpired),
    // 2FA: our password check returns the user's id; the library then signs the user in (2FA not
    // required, or a trusted browser) or starts the code step, a redirect either way, following only
    // same-origin `returnTo` paths. It never rejects: a mistake is a clear page and a log line.
    twoFactor.login(async (req, res) => {
      const { email, password, returnTo } = req.body ?? {};
      const user = await checkPassword(db, email, password);
      if (user) return user.id;
      // One message for an unknown email and a wrong password: no hint which accounts exist.
      sendLoginPage(res, 401, {
        returnTo: text(returnTo),
        email: text(email),
        error: 'Wrong email or password.',
        csrf: csrfToken(req),
        hint,
      });
      return undefined;
    }),
    // An exempt request (one with a Bearer token) is left to us: API clients use /api/me, not this form.
    (_req, res) => void res.status(400).json({ error: 'use_api_token' }),
  );

  app.get('/', (req, res) => {
    // 2FA: only a fully verified session has a user id; a password alone is not enough.
    const userId = twoFactor.verifiedUserId(req);
    const user = userId ? db.users.get(userId) : undefined;
    if (!user) return res.redirect('/login?returnTo=/');
    sendDashboard(res, { email: user.email, csrf: csrfToken(req), isAdmin: user.admin });
  });

  app.post(
    '/logout',
    twoFactor.sameOriginOnly,
    express.urlencoded({ extended: false, limit: '1kb' }),
    requireCsrf(sendForbidden),
    async (req, res) => {
      // 2FA: a fresh, empty session. The browser stays trusted, so the next sign-in needs no code.
      await twoFactor.signOut(req);
      res.redirect(303, '/login');
    },
  );

  // An API for non-browser clients. `exempt` (above) lets Bearer requests past the 2FA step, so this
  // route must authenticate them itself: exemption skips the second factor, not authentication.
  app.get('/api/me', (req, res) => {
    const token = bearerToken(req);
    const user = token ? db.users.get(API_TOKENS.get(sha256(token)) ?? '') : undefined;
    if (!user) return res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'invalid_token' });
    res.json({ id: user.id, email: user.email, accountId: user.accountId });
  });

  // The account admins' page, /admin, and its JSON twin under /admin/api.
  app.use(adminRoutes(db, twoFactor));

  // 2FA: last, after every route. When Redis (the session store or the library's) fails or does not
  // answer, the request gets the 503 "try again" page (JSON for JSON clients) instead of a 500.
  app.use(twoFactor.errorHandler);

  return {
    app,
    twoFactor,
    config,
    db,
    async close() {
      await twoFactor.close();
      // QUIT needs a connection: with Redis away (and no offline queue) just drop the socket.
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}

/** "203.0.113.x" or "2001:db8:85a3:…": enough to tell places apart, not enough to find anyone. */
function ipPrefix(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/.exec(ip);
  return v4 ? `${v4[1]}.x` : `${ip.split(':').slice(0, 3).join(':')}:…`;
}
