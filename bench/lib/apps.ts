import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RedisStore as RedisSessionStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import type { Cluster, Redis } from 'ioredis';
import {
  deviceTwoFactor,
  type Channel,
  type DeviceTwoFactor,
  type DeviceTwoFactorOptions,
  type ExemptVerdict,
  type UserIdentity,
} from '../../src';
import { RedisStore } from '../../src/redis';

/**
 * The two apps the bench compares, on one Redis:
 * - `baseline`: express + express-session + connect-redis 8.1.0 and a password login, no 2FA;
 * - `twoFactor`: the same app with `twoFactor.router` and `twoFactor.guard` mounted and the login
 *   route calling `passwordVerified`.
 * Sessions go through one ioredis client ("session"), the library's store through another ("2fa"),
 * so the probe can tell whose commands are whose. Durable settings stay in the library's store
 * (the default), so their reads are Redis commands too.
 */

export const BENCH_SECRET = 'bench-secret-that-is-long-enough-for-the-library';
export const BENCH_PASSWORD = 'right';
export const BENCH_API_TOKEN = 'Bearer bench-token';
/** A token `exempt` names the user of (user "client"), so the guard reads their "block clients" settings. */
export const BENCH_CLIENT_TOKEN = 'Bearer bench-client-token';
export const SESSION_COOKIE = 'connect.sid';
export const DEVICE_COOKIE = 'device_2fa';

export interface BenchUser extends UserIdentity {
  /** The user's own 2FA switch (stored in the library's settings at start-up). */
  twoFactor: boolean;
}

/** One user per measured path, so paths never disturb each other's state. */
export const BENCH_USERS = {
  /** Signs in with a code once; its verified session is then read over and over. */
  reader: { id: 'u-reader', email: 'reader@bench.test', accountId: 'acme', twoFactor: true },
  /** 2FA off: the password step signs in directly. */
  plain: { id: 'u-plain', email: 'plain@bench.test', accountId: 'acme', twoFactor: false },
  /** Has a trusted browser: the password step signs in without a code. */
  trusted: { id: 'u-trusted', email: 'trusted@bench.test', accountId: 'acme', twoFactor: true },
  /** Every password step issues (and delivers) a new challenge. */
  issuer: { id: 'u-issuer', email: 'issuer@bench.test', accountId: 'acme', twoFactor: true },
  /** A pending session that posts wrong codes. */
  guesser: { id: 'u-guesser', email: 'guesser@bench.test', accountId: 'acme', twoFactor: true },
  /** Signs in with the right code (count pass only: each code works once). */
  verifier: { id: 'u-verifier', email: 'verifier@bench.test', accountId: 'acme', twoFactor: true },
  /** The user of BENCH_CLIENT_TOKEN, an identified exempt client (not blocked). */
  client: { id: 'u-client', email: 'client@bench.test', accountId: 'acme', twoFactor: true },
} satisfies Record<string, BenchUser>;

/** `count` more users who need a code, each in an account of their own (so a Cluster spreads them). */
export function signInUsers(count: number): BenchUser[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `u-signin-${i}`,
    email: `signin-${i}@bench.test`,
    accountId: `signin-${i}`,
    twoFactor: true,
  }));
}

/**
 * Optional timing of what lies between the session middleware and the `/me` route: nothing but
 * Express's dispatch in the baseline, `twoFactor.router` + `twoFactor.guard` (and their dispatch) in
 * the 2FA app. That path is synchronous, so the difference of the two is the guard's CPU cost per
 * request, free of the machine's noise. Off unless `enabled` (then one branch per request).
 */
export const middlewareTiming = {
  enabled: false,
  samples: { baseline: [] as number[], twoFactor: [] as number[] },
};
const MARK = Symbol('bench.afterSession');

function markAfterSession(req: express.Request, _res: express.Response, next: express.NextFunction): void {
  if (middlewareTiming.enabled) (req as unknown as Record<symbol, bigint>)[MARK] = process.hrtime.bigint();
  next();
}

function recordTiming(app: 'baseline' | 'twoFactor', req: express.Request): void {
  if (!middlewareTiming.enabled) return;
  const mark = (req as unknown as Record<symbol, bigint | undefined>)[MARK];
  if (mark !== undefined) middlewareTiming.samples[app].push(Number(process.hrtime.bigint() - mark) / 1000);
}

/** A channel that keeps the last code per destination in memory: delivery is not what we measure. */
export class RecordingChannel implements Channel {
  readonly method = 'email' as const;
  private readonly codes = new Map<string, string>();

  async send(message: { to: string; code: string }): Promise<void> {
    this.codes.set(message.to, message.code);
  }

  /** The last code sent to `to` (and forgets it). */
  take(to: string): string {
    const code = this.codes.get(to);
    if (!code) throw new Error(`No code was sent to ${to}`);
    this.codes.delete(to);
    return code;
  }
}

/**
 * Options that keep every path repeatable under load: no send quota or resend wait in practice (a
 * huge max per 1-second window), and wrong codes never burn the challenge nor lock the user.
 */
export const REPEATABLE: Partial<DeviceTwoFactorOptions> = {
  sendQuota: [{ windowMs: 1_000, max: 1_000_000_000 }],
  resendWaitMs: 0,
  maxAttempts: 1_000_000_000,
  lockout: { threshold: 1_000_000_000, permanentAfter: 1_000_000_000 },
};

export interface BenchStack {
  baseline: express.Express;
  twoFactorApp: express.Express;
  twoFactor: DeviceTwoFactor;
  channel: RecordingChannel;
  /** Resolves once settings are stored and the library is ready. */
  ready: Promise<void>;
}

function sessionRecord(req: express.Request): Record<string, unknown> {
  return req.session as unknown as Record<string, unknown>;
}

/** The two apps on the given clients (single Redis or Cluster); `moreUsers` join BENCH_USERS. */
export function createBenchStack(
  clients: { session: Redis | Cluster; twoFactor: Redis | Cluster },
  options: Partial<DeviceTwoFactorOptions> = {},
  moreUsers: readonly BenchUser[] = [],
): BenchStack {
  const users: BenchUser[] = [...Object.values(BENCH_USERS), ...moreUsers];
  const byEmail = new Map(users.map((user) => [user.email, user]));
  const findByEmail = (email: unknown): BenchUser | undefined => (typeof email === 'string' ? byEmail.get(email) : undefined);
  const sessionMiddleware = session({
    secret: 'bench-session-secret',
    store: new RedisSessionStore({ client: clients.session, prefix: 'sess:' }),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax' },
  });
  const isApiClient = (req: express.Request): boolean =>
    req.headers.authorization === BENCH_API_TOKEN || req.headers.authorization === BENCH_CLIENT_TOKEN;
  const exempt = (req: express.Request): ExemptVerdict =>
    req.headers.authorization === BENCH_CLIENT_TOKEN
      ? { userId: BENCH_USERS.client.id, client: 'api' }
      : req.headers.authorization === BENCH_API_TOKEN;
  const urlencoded = express.urlencoded({ extended: false, limit: '4kb' });

  // --- baseline: the host app before 2FA -------------------------------------------------------
  const baseline = express();
  baseline.disable('x-powered-by');
  baseline.use(sessionMiddleware);
  baseline.use(markAfterSession);
  baseline.post('/login', urlencoded, (req, res, next) => {
    const user = findByEmail(req.body?.email);
    if (!user || req.body?.password !== BENCH_PASSWORD) {
      res.status(401).send('Wrong email or password');
      return;
    }
    // What a careful host does without the library: a new session id at sign-in.
    req.session.regenerate((error) => {
      if (error) return next(error);
      sessionRecord(req).userId = user.id;
      res.redirect(303, '/');
    });
  });
  baseline.get('/me', (req, res) => {
    recordTiming('baseline', req);
    const userId = sessionRecord(req).userId;
    if (typeof userId !== 'string') {
      res.status(401).send('Not signed in');
      return;
    }
    res.send(`Signed in as ${userId}`);
  });
  baseline.get('/api/ping', (req, res) => {
    res.json({ ok: isApiClient(req) });
  });

  // --- the same app with the library -----------------------------------------------------------
  const channel = new RecordingChannel();
  const twoFactor = deviceTwoFactor({
    secret: BENCH_SECRET,
    users: { find: async (id) => users.find((u) => u.id === id) },
    store: new RedisStore({ client: clients.twoFactor, prefix: 'bench2fa:' }),
    channels: { email: channel },
    siteName: 'Bench',
    cookie: { secure: false },
    exempt,
    ...REPEATABLE,
    ...options,
  });
  const twoFactorApp = express();
  twoFactorApp.disable('x-powered-by');
  twoFactorApp.use(sessionMiddleware);
  twoFactorApp.use(markAfterSession);
  twoFactorApp.use(twoFactor.router);
  twoFactorApp.use(twoFactor.guard);
  twoFactorApp.post('/login', urlencoded, async (req, res, next) => {
    try {
      const user = findByEmail(req.body?.email);
      if (!user || req.body?.password !== BENCH_PASSWORD) {
        res.status(401).send('Wrong email or password');
        return;
      }
      const outcome = await twoFactor.passwordVerified(req, res, user.id, { returnTo: '/me' });
      if (outcome.status === 'exempt') res.json({ userId: user.id });
    } catch (error) {
      next(error);
    }
  });
  twoFactorApp.get('/me', (req, res) => {
    recordTiming('twoFactor', req);
    const userId = twoFactor.verifiedUserId(req);
    if (!userId) {
      res.status(401).send('Not signed in');
      return;
    }
    res.send(`Signed in as ${userId}`);
  });
  twoFactorApp.get('/api/ping', (req, res) => {
    res.json({ ok: isApiClient(req) });
  });
  // The baseline for the verify route: one session read and one session write, same stack, and a
  // form body of the same size parsed on the way.
  twoFactorApp.post('/bench/session-write', urlencoded, (req, res) => {
    const record = sessionRecord(req);
    record.writes = (typeof record.writes === 'number' ? record.writes : 0) + 1;
    res.status(200).send(`Saved ${typeof req.body?.code === 'string' ? req.body.code.length : 0}`);
  });

  const ready = (async () => {
    await twoFactor.ready;
    for (const user of users) await twoFactor.setUserEnabled(user.id, user.twoFactor);
  })();
  return { baseline, twoFactorApp, twoFactor, channel, ready };
}

/** Listens on a free loopback port. */
export async function listen(app: express.Express): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(app);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
