import type { Redis } from 'ioredis';
import {
  BENCH_API_TOKEN,
  BENCH_CLIENT_TOKEN,
  BENCH_PASSWORD,
  BENCH_USERS,
  DEVICE_COOKIE,
  SESSION_COOKIE,
  type BenchStack,
  type BenchUser,
} from './apps';
import { CookieJar, csrfFrom, form, FORM, send, type BenchRequest, type BenchResponse } from './http';
import {
  addCounts,
  addTallies,
  commandStats,
  diffCounts,
  diffTallies,
  perRequest,
  round2,
  totalOf,
  type ClientTally,
  type CommandCounts,
  type RedisProbe,
} from './redis-probe';

export interface BenchUrls {
  baseline: string;
  twoFactor: string;
}

/** Sessions and cookies the measured requests carry, made once through the real flow. */
export interface Fixtures {
  /** Baseline app: a signed-in session. */
  baselineSession: string;
  /** 2FA app: a session verified with a code (user "reader"). */
  verifiedSession: string;
  /** 2FA app: a verified session (2FA off) used by the session-write baseline route. */
  writerSession: string;
  /** 2FA app: the trusted-device cookie of user "trusted". */
  deviceCookie: string;
  /** 2FA app: a pending session of user "guesser", its CSRF token and a code that is not its code. */
  pendingSession: string;
  pendingCsrf: string;
  wrongCode: string;
}

export interface BenchPath {
  id: string;
  label: string;
  app: keyof BenchUrls;
  /** The row this one is compared with (its req/s ratio and its Redis cost). */
  compareTo?: string;
  expectStatus: number;
  expectLocation?: string;
  /** A fixed request: measured under load and counted. */
  request?: BenchRequest;
  /** Count only: each counted request needs fresh state; what `prepare` does is not counted. */
  prepare?: () => Promise<BenchRequest>;
}

function expectResponse(res: BenchResponse, status: number, what: string, location?: string): void {
  if (res.status !== status || (location !== undefined && res.headers.location !== location)) {
    throw new Error(
      `${what}: expected ${status}${location ? ` → ${location}` : ''}, got ${res.status} → ${res.headers.location ?? ''}\n${res.body.slice(0, 300)}`,
    );
  }
}

function loginRequest(user: BenchUser, cookie?: string): BenchRequest {
  return {
    method: 'POST',
    path: '/login',
    headers: { 'content-type': FORM, ...(cookie ? { cookie } : {}) },
    body: form({ email: user.email, password: BENCH_PASSWORD }),
  };
}

/** Password step on the 2FA app for a user who needs a code: returns the pending jar and the page's CSRF token. */
export async function startPending(
  stack: BenchStack,
  url: string,
  user: BenchUser,
): Promise<{ jar: CookieJar; csrf: string; code: string }> {
  const jar = new CookieJar();
  const login = await send(url, loginRequest(user));
  expectResponse(login, 303, `password step of ${user.id}`, '/2fa');
  jar.update(login);
  const page = await send(url, { method: 'GET', path: '/2fa', headers: { cookie: jar.header(), accept: 'text/html' } });
  expectResponse(page, 200, `verification page of ${user.id}`);
  jar.update(page);
  return { jar, csrf: csrfFrom(page.body), code: stack.channel.take(user.email) };
}

export function verifyRequest(jar: CookieJar, csrf: string, code: string, trust: boolean): BenchRequest {
  return {
    method: 'POST',
    path: '/2fa/verify',
    headers: { 'content-type': FORM, cookie: jar.header(SESSION_COOKIE) },
    body: form({ _csrf: csrf, code, trust: trust ? '1' : '0' }),
  };
}

export async function prepareFixtures(stack: BenchStack, urls: BenchUrls): Promise<Fixtures> {
  const baselineLogin = await send(urls.baseline, loginRequest(BENCH_USERS.plain));
  expectResponse(baselineLogin, 303, 'baseline password step', '/');
  const baselineSession = new CookieJar().update(baselineLogin).header(SESSION_COOKIE);

  const reader = await startPending(stack, urls.twoFactor, BENCH_USERS.reader);
  const readerVerify = await send(urls.twoFactor, verifyRequest(reader.jar, reader.csrf, reader.code, false));
  expectResponse(readerVerify, 303, 'code step of reader', '/me');
  const verifiedSession = reader.jar.update(readerVerify).header(SESSION_COOKIE);

  const writerLogin = await send(urls.twoFactor, loginRequest(BENCH_USERS.plain));
  expectResponse(writerLogin, 303, 'password step with 2FA off', '/me');
  const writerSession = new CookieJar().update(writerLogin).header(SESSION_COOKIE);

  const trusted = await startPending(stack, urls.twoFactor, BENCH_USERS.trusted);
  const trustedVerify = await send(urls.twoFactor, verifyRequest(trusted.jar, trusted.csrf, trusted.code, true));
  expectResponse(trustedVerify, 303, 'code step of trusted (trust this browser)', '/me');
  const deviceCookie = trusted.jar.update(trustedVerify).header(DEVICE_COOKIE);
  if (!deviceCookie) throw new Error('No trusted-device cookie was set');

  const guesser = await startPending(stack, urls.twoFactor, BENCH_USERS.guesser);
  return {
    baselineSession,
    verifiedSession,
    writerSession,
    deviceCookie,
    pendingSession: guesser.jar.header(SESSION_COOKIE),
    pendingCsrf: guesser.csrf,
    wrongCode: guesser.code === '000000' ? '111111' : '000000',
  };
}

/** The measured paths, in table order. */
export function benchPaths(stack: BenchStack, urls: BenchUrls, fx: Fixtures): BenchPath[] {
  const wrongCodeBody = form({ _csrf: fx.pendingCsrf, code: fx.wrongCode, trust: '0' });
  const rightCode = (trust: boolean) => async (): Promise<BenchRequest> => {
    const { jar, csrf, code } = await startPending(stack, urls.twoFactor, BENCH_USERS.verifier);
    return verifyRequest(jar, csrf, code, trust);
  };
  return [
    {
      id: 'read-baseline',
      label: 'baseline: signed-in session read (no 2FA)',
      app: 'baseline',
      expectStatus: 200,
      request: { method: 'GET', path: '/me', headers: { cookie: fx.baselineSession } },
    },
    {
      id: 'read-verified',
      label: '2FA: verified session read through guard',
      app: 'twoFactor',
      compareTo: 'read-baseline',
      expectStatus: 200,
      request: { method: 'GET', path: '/me', headers: { cookie: fx.verifiedSession } },
    },
    {
      id: 'api-baseline',
      label: 'baseline: API request, no session (no 2FA)',
      app: 'baseline',
      expectStatus: 200,
      request: { method: 'GET', path: '/api/ping', headers: { authorization: BENCH_API_TOKEN } },
    },
    {
      id: 'api-exempt',
      label: '2FA: exempt API request through guard',
      app: 'twoFactor',
      compareTo: 'api-baseline',
      expectStatus: 200,
      request: { method: 'GET', path: '/api/ping', headers: { authorization: BENCH_API_TOKEN } },
    },
    {
      id: 'api-exempt-identified',
      label: '2FA: exempt API request naming its user',
      app: 'twoFactor',
      compareTo: 'api-baseline',
      expectStatus: 200,
      request: { method: 'GET', path: '/api/ping', headers: { authorization: BENCH_CLIENT_TOKEN } },
    },
    {
      id: 'anonymous',
      label: '2FA: anonymous request (no session) through guard',
      app: 'twoFactor',
      compareTo: 'api-baseline',
      expectStatus: 200,
      prepare: async () => ({ method: 'GET', path: '/api/ping' }),
    },
    {
      id: 'login-baseline',
      label: 'baseline: password step (no 2FA)',
      app: 'baseline',
      expectStatus: 303,
      expectLocation: '/',
      request: loginRequest(BENCH_USERS.plain),
    },
    {
      id: 'login-off',
      label: '2FA: password step, 2FA off for the user',
      app: 'twoFactor',
      compareTo: 'login-baseline',
      expectStatus: 303,
      expectLocation: '/me',
      request: loginRequest(BENCH_USERS.plain),
    },
    {
      id: 'login-trusted',
      label: '2FA: sign-in from a trusted device',
      app: 'twoFactor',
      compareTo: 'login-baseline',
      expectStatus: 303,
      expectLocation: '/me',
      request: loginRequest(BENCH_USERS.trusted, fx.deviceCookie),
    },
    {
      id: 'login-challenge',
      label: '2FA: password step issuing a challenge',
      app: 'twoFactor',
      compareTo: 'login-baseline',
      expectStatus: 303,
      expectLocation: '/2fa',
      request: loginRequest(BENCH_USERS.issuer),
    },
    {
      id: 'write-baseline',
      label: 'baseline: session read + write (2FA app)',
      app: 'twoFactor',
      expectStatus: 200,
      request: {
        method: 'POST',
        path: '/bench/session-write',
        headers: { 'content-type': FORM, cookie: fx.writerSession },
        body: wrongCodeBody,
      },
    },
    {
      id: 'verify-wrong',
      label: '2FA: verify a code (wrong code)',
      app: 'twoFactor',
      compareTo: 'write-baseline',
      expectStatus: 400,
      request: {
        method: 'POST',
        path: '/2fa/verify',
        headers: { 'content-type': FORM, cookie: fx.pendingSession },
        body: wrongCodeBody,
      },
    },
    {
      id: 'verify-right',
      label: '2FA: verify a code (right code)',
      app: 'twoFactor',
      compareTo: 'write-baseline',
      expectStatus: 303,
      expectLocation: '/me',
      prepare: rightCode(false),
    },
    {
      id: 'verify-right-trust',
      label: '2FA: verify a code (right code, trust browser)',
      app: 'twoFactor',
      compareTo: 'write-baseline',
      expectStatus: 303,
      expectLocation: '/me',
      prepare: rightCode(true),
    },
  ];
}

/** Per-request Redis cost of one path. */
export interface PathCounts {
  requests: number;
  /** `INFO commandstats` delta per request: what Redis executed, including commands run inside scripts. */
  executed: CommandCounts;
  executedTotal: number;
  /** What each client sent per request (`session`, `2fa`, and `all`): commands, scripts, round trips. */
  sent: Record<string, ClientTally>;
}

async function settle(probe: RedisProbe): Promise<void> {
  for (let i = 0; i < 1000 && !probe.idle(); i += 1) await new Promise((resolve) => setImmediate(resolve));
  if (!probe.idle()) throw new Error('A Redis command was still in flight after the response');
}

/**
 * Sends `n` requests one at a time and reads `INFO commandstats` (of every node, on a Cluster) and
 * the probe right before and right after each measured request, so per-iteration set-up (`prepare`)
 * is never counted.
 */
export async function countPath(
  path: BenchPath,
  n: number,
  deps: { admin: Redis | readonly Redis[]; probe: RedisProbe; urls: BenchUrls },
): Promise<PathCounts> {
  const executed: CommandCounts = {};
  const sent: Record<string, ClientTally> = {};
  for (let i = 0; i < n; i += 1) {
    const request = path.request ?? (await path.prepare!());
    await settle(deps.probe);
    const statsBefore = await commandStats(deps.admin);
    const probeBefore = deps.probe.snapshot();
    const res = await send(deps.urls[path.app], request);
    await settle(deps.probe);
    const probeAfter = deps.probe.snapshot();
    const statsAfter = await commandStats(deps.admin);
    expectResponse(res, path.expectStatus, path.label, path.expectLocation);
    addCounts(executed, diffCounts(statsBefore, statsAfter));
    addTallies(sent, diffTallies(probeBefore, probeAfter));
  }
  const per: Record<string, ClientTally> = {};
  for (const [label, tally] of Object.entries(sent)) {
    per[label] = {
      commands: perRequest(tally.commands, n),
      scripts: perRequest(tally.scripts, n),
      roundTrips: round2(tally.roundTrips / n),
      sequential: round2(tally.sequential / n),
    };
  }
  for (const label of ['all', 'session', '2fa']) per[label] ??= { commands: {}, scripts: {}, roundTrips: 0, sequential: 0 };
  return { requests: n, executed: perRequest(executed, n), executedTotal: round2(totalOf(executed) / n), sent: per };
}
