/**
 * Exact Redis cost per path (issue 6): these numbers do not depend on the machine, so unlike the
 * bench's throughput they are asserted. Same apps, paths and counting as `npm run bench`
 * (bench/lib): INFO commandstats before/after each request on a private redis-server, plus a probe on
 * each ioredis client (session store: "session", library store: "2fa") for commands sent and round
 * trips (see bench/lib/redis-probe.ts for how a round trip differs from a command).
 *
 * Where a number misses the issue's target, the test asserts the current number and says so: a
 * change in the library that improves it should update the assertion.
 */
import type { Redis } from 'ioredis';
import { createBenchStack, listen, type BenchStack } from '../../bench/lib/apps';
import { closeAgent } from '../../bench/lib/http';
import { benchPaths, countPath, prepareFixtures, type BenchPath, type BenchUrls, type PathCounts } from '../../bench/lib/paths';
import { RedisProbe } from '../../bench/lib/redis-probe';
import { startRedis, startRedisCluster, type TestRedis, type TestRedisCluster } from '../helpers/redis-server';

const N = 10;

let redis: TestRedis;
let admin: Redis;
let probe: RedisProbe;
let stack: BenchStack;
let servers: Array<{ close(): Promise<void> }>;
let urls: BenchUrls;
let paths: Map<string, BenchPath>;
const measured = new Map<string, PathCounts>();

beforeAll(async () => {
  redis = await startRedis();
  admin = redis.client();
  probe = new RedisProbe();
  stack = createBenchStack({ session: probe.attach('session', redis.client()), twoFactor: probe.attach('2fa', redis.client()) });
  await stack.ready;
  const baseline = await listen(stack.baseline);
  const twoFactor = await listen(stack.twoFactorApp);
  servers = [baseline, twoFactor];
  urls = { baseline: baseline.url, twoFactor: twoFactor.url };
  const fixtures = await prepareFixtures(stack, urls);
  paths = new Map(benchPaths(stack, urls, fixtures).map((path) => [path.id, path]));
  // ioredis sends EVAL the first time a script is unknown to the server: warm every path once.
  for (const path of paths.values()) await countPath(path, 1, { admin, probe, urls });
}, 30_000);

afterAll(async () => {
  await stack?.twoFactor.close();
  for (const server of servers ?? []) await server.close();
  closeAgent();
  await redis?.stop();
});

async function count(id: string): Promise<PathCounts> {
  let result = measured.get(id);
  if (!result) {
    result = await countPath(paths.get(id)!, N, { admin, probe, urls });
    measured.set(id, result);
  }
  return result;
}

/** For paths without scripts, what Redis executed is exactly what the clients sent. */
function expectExecutedEqualsSent(counts: PathCounts): void {
  expect(counts.executed).toEqual(counts.sent.all!.commands);
}

describe('requests of a signed-in user', () => {
  test('a verified session through the guard costs exactly what the session store costs without 2FA: GET + EXPIRE (touch)', async () => {
    const baseline = await count('read-baseline');
    const verified = await count('read-verified');
    expect(baseline.executed).toEqual({ get: 1, expire: 1 });
    expect(verified.executed).toEqual(baseline.executed);
    expect(verified.sent['2fa']!.commands).toEqual({});
    expect(verified.sent.session!.commands).toEqual({ get: 1, expire: 1 });
    expectExecutedEqualsSent(verified);
  });

  test('an exempt request (API token, no session) makes no Redis call at all, with or without 2FA', async () => {
    expect((await count('api-baseline')).executed).toEqual({});
    const exempt = await count('api-exempt');
    expect(exempt.executed).toEqual({});
    expect(exempt.sent.all!.roundTrips).toBe(0);
  });

  test('an exempt request naming its user reads that user\'s and account\'s "block clients": HMGET + the account script, sent together', async () => {
    const identified = await count('api-exempt-identified');
    expect(identified.sent.session!.commands).toEqual({});
    expect(identified.sent['2fa']!.commands).toEqual({ hmget: 1, evalsha: 1 });
    expect(identified.sent['2fa']!.scripts).toEqual({ deviceTwoFactorEnsureAccount: 1 });
    // Read even for an account whose enforcement is remembered: a client block can be lifted.
    expect(identified.sent['2fa']).toMatchObject({ roundTrips: 2, sequential: 1 });
    expect(identified.executed).toEqual({ hmget: 2, evalsha: 1, exists: 1 });
  });

  test('an anonymous request (no session, not exempt) through the guard makes no Redis call', async () => {
    const anonymous = await count('anonymous');
    expect(anonymous.executed).toEqual({});
    expect(anonymous.sent.all!.roundTrips).toBe(0);
  });
});

describe('password step', () => {
  test('baseline without the library: the session store destroys the old session and saves the new one', async () => {
    const baseline = await count('login-baseline');
    expect(baseline.executed).toEqual({ del: 1, set: 1 });
    expect(baseline.sent.all).toMatchObject({ roundTrips: 2, sequential: 2 });
  });

  test('2FA off for the user: the library reads the user settings and the account settings (2 round trips, sent together), then indexes the session', async () => {
    const off = await count('login-off');
    expect(off.sent.session!.commands).toEqual({ del: 1, set: 1 });
    expect(off.sent['2fa']!.commands).toEqual({ hmget: 1, evalsha: 2 });
    expect(off.sent['2fa']!.scripts).toEqual({ deviceTwoFactorEnsureAccount: 1, deviceTwoFactorPutSession: 1 });
    // Then the session's index entry (on the 2FA client), alongside the session save.
    expect(off.sent['2fa']).toMatchObject({ roundTrips: 3, sequential: 2 });
    expect(off.executed.evalsha).toBe(2);
  });

  test('sign-in from a trusted device: the useDevice script rides with the settings reads (one extra wait)', async () => {
    const off = await count('login-off');
    const baseline = await count('login-baseline');
    const trusted = await count('login-trusted');
    expect(trusted.sent.session!.commands).toEqual({ del: 1, set: 1 });
    expect(trusted.sent['2fa']!.commands).toEqual({ hmget: 1, evalsha: 3 });
    expect(trusted.sent['2fa']!.scripts).toEqual({
      deviceTwoFactorEnsureAccount: 1,
      deviceTwoFactorUseDevice: 1,
      deviceTwoFactorPutSession: 1,
    });
    // The device check goes out together with the settings reads: three commands, one wait; then the index entry.
    expect(trusted.sent['2fa']).toMatchObject({ roundTrips: 4, sequential: 2 });
    expect(trusted.executed.evalsha).toBe(3);
    // Target (issue 6, 2): "adds at most one Redis round trip to the password step".
    // Against the password step with the library mounted and 2FA off: +1 command, no extra wait.
    expect(trusted.sent.all!.roundTrips - off.sent.all!.roundTrips).toBe(1);
    expect(trusted.sent.all!.sequential - off.sent.all!.sequential).toBe(0);
    // Against the password step without the library: one extra wait (+1 sequential), carrying three
    // pipelined commands while the settings live in the library's store (a host durable store
    // leaves only the device script).
    expect(trusted.sent.all!.roundTrips - baseline.sent.all!.roundTrips).toBe(4);
    // The session's index entry goes out alongside the session save: no wait of its own.
    expect(trusted.sent.all!.sequential - baseline.sent.all!.sequential).toBe(1);
  });

  test('issuing a challenge: the store itself makes one round trip (rate limit + store in one script)', async () => {
    const issue = await count('login-challenge');
    expect(issue.sent.session!.commands).toEqual({ del: 1, set: 1 });
    expect(issue.sent['2fa']!.commands).toEqual({ hmget: 1, evalsha: 2 });
    expect(issue.sent['2fa']!.scripts).toEqual({ deviceTwoFactorEnsureAccount: 1, deviceTwoFactorIssueChallenge: 1 });
    expect(issue.executed.evalsha).toBe(2);
    // Target (issue 6, 3): "at most two round trips (rate-limit check + store)". The store's own part
    // is one script; the settings reads before it make it 3 round trips on the 2FA client (2
    // sequential: user HMGET and account script go out together, then the issue script).
    // MISSED on round trips (3 > 2) while the settings live in the library's store; a host settings
    // adapter (as in the example app) removes the 2 settings reads from Redis.
    expect(issue.sent['2fa']).toMatchObject({ roundTrips: 3, sequential: 2 });
  });
});

describe('verifying a code: exactly one EVALSHA per attempt, whatever the outcome', () => {
  test('a wrong code', async () => {
    const wrong = await count('verify-wrong');
    expect(wrong.sent['2fa']!.commands).toEqual({ evalsha: 1 });
    expect(wrong.sent['2fa']!.scripts).toEqual({ deviceTwoFactorVerifyChallenge: 1 });
    expect(wrong.sent['2fa']).toMatchObject({ roundTrips: 1, sequential: 1 });
    expect(wrong.executed.evalsha).toBe(1);
    // The session is read and, unchanged (no lock-out), only touched.
    expect(wrong.sent.session!.commands).toEqual({ get: 1, expire: 1 });
  });

  test('the right code', async () => {
    const right = await count('verify-right');
    expect(right.sent['2fa']!.commands).toEqual({ evalsha: 2 });
    expect(right.sent['2fa']!.scripts).toEqual({ deviceTwoFactorVerifyChallenge: 1, deviceTwoFactorPutSession: 1 });
    // The verify script, then the new session's index entry.
    expect(right.sent['2fa']).toMatchObject({ roundTrips: 2, sequential: 2 });
    expect(right.executed.evalsha).toBe(2);
    // Read the pending session, destroy it and save the verified one under a new id.
    expect(right.sent.session!.commands).toEqual({ get: 1, del: 1, set: 1 });
  });

  test('the right code with "trust this browser": the verify script, then storing the device in one script', async () => {
    const trust = await count('verify-right-trust');
    expect(trust.sent['2fa']!.scripts).toEqual({
      deviceTwoFactorVerifyChallenge: 1,
      deviceTwoFactorPutSession: 1,
      deviceTwoFactorPutDevice: 1,
    });
    // Before issue 13 the device was a MULTI of 8 commands (hset, pexpireat × 3, zadd): the same round trip.
    expect(trust.sent['2fa']!.commands).toEqual({ evalsha: 3 });
    expect(trust.sent['2fa']).toMatchObject({ roundTrips: 3, sequential: 3 });
    expect(trust.executed.evalsha).toBe(3);
  });
});

test.each([
  // path, commands executed per request before issue 13's layout, and now
  ['login-trusted', 14, 14],
  ['login-challenge', 16, 10],
  ['verify-wrong', 8, 8],
  ['verify-right', 11, 11],
  ['verify-right-trust', 18, 15],
])(
  '%s: Redis executes no more commands than with the layout before issue 13 (%i), inside scripts included: %i',
  async (id, before, now) => {
    const counts = await count(id);
    expect(counts.executedTotal).toBe(now);
    expect(now).toBeLessThanOrEqual(before);
  },
);

describe('on a three-master Redis Cluster (issue 13)', () => {
  let cluster: TestRedisCluster;
  let clusterStack: BenchStack;
  let clusterServers: Array<{ close(): Promise<void> }>;

  afterAll(async () => {
    await clusterStack?.twoFactor.close();
    for (const server of clusterServers ?? []) await server.close();
    await cluster?.stop();
  });

  test('every path executes exactly the commands it executes on one Redis, and the 2FA store sends the same', async () => {
    cluster = await startRedisCluster();
    const clusterProbe = new RedisProbe();
    clusterStack = createBenchStack({
      session: clusterProbe.attach('session', cluster.client()),
      twoFactor: clusterProbe.attach('2fa', cluster.client()),
    });
    await clusterStack.ready;
    const baseline = await listen(clusterStack.baseline);
    const twoFactor = await listen(clusterStack.twoFactorApp);
    clusterServers = [baseline, twoFactor];
    const clusterUrls = { baseline: baseline.url, twoFactor: twoFactor.url };
    const masters = cluster.client();
    await masters.ping();
    const deps = { admin: masters.nodes('master'), probe: clusterProbe, urls: clusterUrls };
    const clusterPaths = benchPaths(clusterStack, clusterUrls, await prepareFixtures(clusterStack, clusterUrls));
    for (const path of clusterPaths) await countPath(path, 1, deps);
    for (const path of clusterPaths) {
      const onCluster = await countPath(path, N, deps);
      const single = await count(path.id);
      expect({ path: path.id, executed: onCluster.executed, sent: onCluster.sent['2fa'] }).toEqual({
        path: path.id,
        executed: single.executed,
        sent: single.sent['2fa'],
      });
    }
  }, 60_000);
});
