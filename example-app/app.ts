/**
 * An app that already had a password login, with device-aware two-factor added in front of
 * everything behind it. The lines that concern the library are marked "2FA".
 */
import express from 'express';
import session from 'express-session';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import { Redis } from 'ioredis';
// In your app: import { deviceTwoFactor, RedisStore, type DeviceTwoFactor } from 'express-device-2fa';
import { deviceTwoFactor, RedisStore, type DeviceTwoFactor, type EmailOptions } from '../src';
import { sendDashboard, sendLoginPage } from './pages';
import { checkPassword, createDatabase, DEMO_USERS, settingsAdapter, userAdapter } from './users';

/** Good enough to try the app on your machine, refused anywhere else. */
const DEVELOPMENT_SECRET = 'example-app-development-secret-not-for-production';

export interface ExampleConfig {
  port: number;
  development: boolean;
  /** Plain HTTP (development and tests): cookies cannot be Secure. */
  plainHttp: boolean;
  sessionSecret: string;
  twoFactorSecret: string;
  /** Absent: sessions and the library's state live in memory (one process, lost on restart). */
  redisUrl: string | undefined;
  /** Absent: in development the library prints codes and lists them at /2fa/outbox. */
  email: EmailOptions | undefined;
  /** Read now, unused until SMS and voice codes land (next issue); bob and carol get email until then. */
  twilio: { accountSid?: string; authToken?: string; fromNumber?: string; apiUrl?: string };
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
  return {
    port,
    development,
    plainHttp: development || env.NODE_ENV === 'test',
    sessionSecret: secret('SESSION_SECRET'),
    twoFactorSecret: secret('TWO_FACTOR_SECRET'),
    redisUrl: env.REDIS_URL || undefined,
    email: env.SMTP_URL ? { transport: env.SMTP_URL, from: env.MAIL_FROM || '"Example Co" <security@example.test>' } : undefined,
    twilio: {
      accountSid: env.TWILIO_ACCOUNT_SID,
      authToken: env.TWILIO_AUTH_TOKEN,
      fromNumber: env.TWILIO_FROM_NUMBER,
      apiUrl: env.TWILIO_API_URL,
    },
  };
}

export async function createExampleApp(env: Record<string, string | undefined>): Promise<{
  app: express.Express;
  twoFactor: DeviceTwoFactor;
  config: ExampleConfig;
  close(): Promise<void>;
}> {
  const config = readConfig(env);
  const db = await createDatabase();
  // One Redis client for both the sessions and the library's state. The app owns it and closes it.
  const redis = config.redisUrl ? new Redis(config.redisUrl) : undefined;
  redis?.on('error', (error: Error) => console.error(`Redis: ${error.message}`));

  let twoFactor: DeviceTwoFactor;
  try {
    // 2FA: created once at start-up; a wrong option throws here with a message saying what to fix.
    twoFactor = deviceTwoFactor({
      secret: config.twoFactorSecret,
      users: userAdapter(db),
      // Durable settings stay in our own tables, so Redis only holds state that may be lost.
      settings: settingsAdapter(db),
      store: redis ? new RedisStore({ client: redis }) : undefined,
      email: config.email,
      siteName: 'Example Co',
      // Pages a user waiting for their code may still reach: the password form (to start over) and logout.
      allowWhilePending: ['/login', '/logout'],
      // Secure `__Host-` cookies cannot be set over plain HTTP.
      cookie: config.plainHttp ? { secure: false } : undefined,
    });
    await twoFactor.ready;
  } catch (error) {
    redis?.disconnect();
    throw error;
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(
    session({
      secret: config.sessionSecret,
      // connect-redis 8.1.0: the last version that accepts an ioredis client. Keys are "sess:<id>".
      store: redis ? new RedisSessionStore({ client: redis }) : undefined,
      resave: false,
      saveUninitialized: false,
      // Behind a TLS-terminating proxy also call app.set('trust proxy', 1), or Secure cookies are not sent.
      cookie: { httpOnly: true, sameSite: 'lax', secure: !config.plainHttp },
    }),
  );
  // 2FA: the verification page under /2fa, then the guard that keeps half-signed-in sessions out of
  // everything below. Both after the session middleware, before the app's own routes.
  app.use(twoFactor.router);
  app.use(twoFactor.guard);

  // CSRF: SameSite=Lax keeps the session cookie off cross-site posts, which is enough for this demo's
  // two forms; a real app also puts tokens in its own forms (the library's forms carry their own).
  const hint = config.development ? DEMO_USERS.map((u) => u.email) : undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');

  app.get('/login', (req, res) => {
    sendLoginPage(res, 200, { returnTo: text(req.query.returnTo), hint });
  });

  app.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const { email, password, returnTo } = req.body ?? {};
    const user = await checkPassword(db, email, password);
    if (!user) {
      // One message for an unknown email and a wrong password: no hint which accounts exist.
      sendLoginPage(res, 401, { returnTo: text(returnTo), email: text(email), error: 'Wrong email or password.', hint });
      return;
    }
    // 2FA: the password is right. The library signs the user in (2FA not required, or a trusted
    // browser) or starts the code step; either way it answers with a redirect. It only follows
    // same-origin `returnTo` paths.
    return twoFactor.passwordVerified(req, res, user.id, { returnTo });
  });

  app.get('/', (req, res) => {
    // 2FA: only a fully verified session has a user id; a password alone is not enough.
    const userId = twoFactor.verifiedUserId(req);
    const user = userId ? db.users.get(userId) : undefined;
    if (!user) return res.redirect('/login?returnTo=/');
    sendDashboard(res, user.email);
  });

  app.post('/logout', async (req, res) => {
    // 2FA: a fresh, empty session. The browser stays trusted, so the next sign-in needs no code.
    await twoFactor.signOut(req);
    res.redirect(303, '/login');
  });

  return {
    app,
    twoFactor,
    config,
    async close() {
      await twoFactor.close();
      await redis?.quit();
    },
  };
}
