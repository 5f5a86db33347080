import type { Cluster, Redis } from 'ioredis';
import { startRedis, startRedisCluster } from '../../test/helpers/redis-server';
import { createBenchStack, listen, signInUsers, type BenchStack, type BenchUser } from './apps';
import { send } from './http';
import { benchPaths, countPath, prepareFixtures, startPending, verifyRequest, type BenchUrls, type PathCounts } from './paths';
import { commandStats, diffCounts, perRequest, RedisProbe, round2, totalOf, type CommandCounts } from './redis-probe';

/**
 * Sign-ins per second on the local three-master Redis Cluster against one Redis, in the same run
 * (issue 13). A sign-in is what a browser does: the password step (which issues and sends a code),
 * the code page, then the right code. `CONCURRENCY` loops run sign-ins back to back, each loop
 * taking turns among users of its own (`USERS` in all, each in an account of its own, so the keys
 * spread over the Cluster's slots); rounds alternate between the two set-ups and the ratio is taken
 * within each round (as in bench/run.ts).
 * Each set-up has its sessions (connect-redis) and the library's store on the same Redis or Cluster.
 *
 * The loops run in the servers' own process, as does everything else in the app: on a small machine
 * the app's CPU, not Redis, sets the pace, so the ratio shows what the Cluster costs the app. What a
 * sign-in costs Redis is reported beside it: commands executed (`INFO commandstats` of every node)
 * and Redis CPU (`INFO cpu`), per master, which is what bounds the sign-ins a Redis set-up can take.
 */

const CONCURRENCY = 8;
const USERS = 64;

export interface SignInRound {
  single: number;
  cluster: number;
  ratio: number;
}

export interface SetupFigures {
  signInsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Redis commands executed per sign-in (all nodes; includes the commands inside scripts). */
  executedPerSignIn: number;
  executedByCommand: CommandCounts;
  /** Commands the 2FA client sent per sign-in. */
  sent2faPerSignIn: number;
  /** Redis CPU per sign-in on each master, in µs: the busiest one bounds what the set-up can take. */
  redisCpuUsPerSignIn: number[];
  /** The exact count passes of the two requests that touch the store (as in the main table). */
  paths: Record<'login-challenge' | 'verify-right', PathCounts>;
}

export interface SignInResult {
  concurrency: number;
  roundSeconds: number;
  rounds: SignInRound[];
  /** Median over rounds of cluster ÷ single sign-ins per second. */
  ratio: number;
  ratioMin: number;
  ratioMax: number;
  single: SetupFigures;
  cluster: SetupFigures;
}

interface Setup {
  name: 'single' | 'cluster';
  stack: BenchStack;
  url: string;
  urls: BenchUrls;
  users: BenchUser[];
  nodes: Redis[];
  probe: RedisProbe;
  close(): Promise<void>;
  latencies: number[];
  signIns: number;
  seconds: number;
}

async function cpuSeconds(node: Redis): Promise<number> {
  const info = await node.info('cpu');
  const read = (name: string): number => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  return read('used_cpu_sys') + read('used_cpu_user');
}

async function setUp(
  name: Setup['name'],
  clients: () => Redis | Cluster,
  nodes: () => Promise<Redis[]>,
  stop: () => Promise<void>,
  users: BenchUser[],
): Promise<Setup> {
  const probe = new RedisProbe();
  const stack = createBenchStack({ session: probe.attach('session', clients()), twoFactor: probe.attach('2fa', clients()) }, {}, users);
  await stack.ready;
  const servers = [await listen(stack.baseline), await listen(stack.twoFactorApp)];
  return {
    name,
    stack,
    url: servers[1]!.url,
    urls: { baseline: servers[0]!.url, twoFactor: servers[1]!.url },
    users,
    nodes: await nodes(),
    probe,
    latencies: [],
    signIns: 0,
    seconds: 0,
    async close() {
      await stack.twoFactor.close();
      for (const server of servers) await server.close();
      await stop();
    },
  };
}

/** One complete sign-in of `user`; throws on any unexpected answer. */
async function signIn(setup: Setup, user: BenchUser): Promise<void> {
  const { jar, csrf, code } = await startPending(setup.stack, setup.url, user);
  const verified = await send(setup.url, verifyRequest(jar, csrf, code, false));
  if (verified.status !== 303 || verified.headers.location !== '/me')
    throw new Error(`${setup.name}: the right code answered ${verified.status}`);
}

/** Sign-ins back to back for `ms`, CONCURRENCY at a time; returns how many completed. */
async function run(setup: Setup, ms: number): Promise<number> {
  const until = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, loop) => {
      // Loops never share a user: each takes its code from the channel by the user's address.
      const mine = setup.users.filter((_user, i) => i % CONCURRENCY === loop);
      for (let turn = 0; performance.now() < until; turn += 1) {
        const started = performance.now();
        await signIn(setup, mine[turn % mine.length]!);
        setup.latencies.push(performance.now() - started);
        done += 1;
      }
    }),
  );
  return done;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function figures(setup: Setup, executed: CommandCounts, sent2fa: number, cpu: number[]): Promise<SetupFigures> {
  const paths = new Map(benchPaths(setup.stack, setup.urls, await prepareFixtures(setup.stack, setup.urls)).map((path) => [path.id, path]));
  const deps = { admin: setup.nodes, probe: setup.probe, urls: setup.urls };
  const counted = {} as SetupFigures['paths'];
  for (const id of ['login-challenge', 'verify-right'] as const) {
    await countPath(paths.get(id)!, 1, deps);
    counted[id] = await countPath(paths.get(id)!, 20, deps);
  }
  return {
    signInsPerSecond: Math.round(setup.signIns / setup.seconds),
    p50Ms: round2(percentile(setup.latencies, 50)),
    p99Ms: round2(percentile(setup.latencies, 99)),
    executedPerSignIn: round2(totalOf(executed) / setup.signIns),
    executedByCommand: perRequest(executed, setup.signIns),
    sent2faPerSignIn: round2(sent2fa / setup.signIns),
    redisCpuUsPerSignIn: cpu.map((seconds) => Math.round((seconds * 1e6) / setup.signIns)),
    paths: counted,
  };
}

export async function measureSignIns({
  rounds = 5,
  roundMs = 3_000,
  log = (_line: string) => undefined,
}: {
  rounds?: number;
  roundMs?: number;
  log?: (line: string) => void;
} = {}): Promise<SignInResult> {
  const users = signInUsers(USERS);
  const redis = await startRedis();
  const cluster = await startRedisCluster();
  const clusterClient = cluster.client();
  const setups = [
    await setUp(
      'single',
      () => redis.client(),
      async () => [redis.client()],
      () => redis.stop(),
      users,
    ),
    await setUp(
      'cluster',
      () => cluster.client(),
      async () => {
        await clusterClient.ping();
        return clusterClient.nodes('master');
      },
      () => cluster.stop(),
      users,
    ),
  ] as const;
  try {
    // Warm-up: scripts loaded, connections and slot maps in place.
    for (const setup of setups) await run(setup, 500);
    const before = await Promise.all(
      setups.map(async (s) => ({
        stats: await commandStats(s.nodes),
        cpu: await Promise.all(s.nodes.map(cpuSeconds)),
        sent: totalOf(s.probe.snapshot()['2fa']!.commands),
      })),
    );
    for (const setup of setups) setup.latencies.length = 0;

    const results: SignInRound[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const perSecond = { single: 0, cluster: 0 };
      for (const setup of round % 2 === 0 ? setups : [...setups].reverse()) {
        const started = performance.now();
        const done = await run(setup, roundMs);
        const seconds = (performance.now() - started) / 1000;
        setup.signIns += done;
        setup.seconds += seconds;
        perSecond[setup.name] = Math.round(done / seconds);
      }
      results.push({ ...perSecond, ratio: Math.round((perSecond.cluster / perSecond.single) * 1000) / 1000 });
      log(
        `  round ${round + 1}: one Redis ${perSecond.single} sign-ins/s, Cluster ${perSecond.cluster} sign-ins/s (${results.at(-1)!.ratio})`,
      );
    }

    const [single, clustered] = await Promise.all(
      setups.map(async (setup, i) => {
        const executed = diffCounts(before[i]!.stats, await commandStats(setup.nodes));
        const cpu = (await Promise.all(setup.nodes.map(cpuSeconds))).map((seconds, node) => seconds - before[i]!.cpu[node]!);
        const sent = totalOf(setup.probe.snapshot()['2fa']!.commands) - before[i]!.sent;
        return { setup, executed, cpu, sent };
      }),
    );
    const ratios = results.map((r) => r.ratio);
    return {
      concurrency: CONCURRENCY,
      roundSeconds: roundMs / 1000,
      rounds: results,
      ratio: median(ratios),
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      // The count passes run one request at a time, after the load, one set-up after the other.
      single: await figures(single!.setup, single!.executed, single!.sent, single!.cpu),
      cluster: await figures(clustered!.setup, clustered!.executed, clustered!.sent, clustered!.cpu),
    };
  } finally {
    for (const setup of setups) await setup.close();
  }
}

/** The README's sign-in table: one Redis against the Cluster. */
export function signInMarkdown(result: SignInResult): string {
  const { single, cluster } = result;
  const both = (label: string, cell: (f: SetupFigures) => string): string => `| ${label} | ${cell(single)} | ${cell(cluster)} |`;
  const path =
    (id: keyof SetupFigures['paths']) =>
    (f: SetupFigures): string => {
      const counts = f.paths[id];
      return `${counts.executedTotal} executed; 2FA sent ${totalOf(counts.sent['2fa']!.commands)} in ${counts.sent['2fa']!.roundTrips} round trips`;
    };
  return [
    '| Per sign-in | One Redis | 3-master Cluster |',
    '|---|---:|---:|',
    both('sign-ins per second (median of rounds)', (f) => String(f.signInsPerSecond)),
    `| ratio, Cluster ÷ one Redis (range) | baseline | ${result.ratio.toFixed(3)} (${result.ratioMin.toFixed(2)}–${result.ratioMax.toFixed(2)}) |`,
    both('p50 / p99 ms', (f) => `${Math.round(f.p50Ms)} / ${Math.round(f.p99Ms)}`),
    both('Redis commands executed (all nodes)', (f) => String(f.executedPerSignIn)),
    both('commands the 2FA store sent', (f) => String(f.sent2faPerSignIn)),
    both('password step issuing the code', path('login-challenge')),
    both('the right code', path('verify-right')),
    both('Redis CPU µs (per master)', (f) => f.redisCpuUsPerSignIn.join(' / ')),
  ].join('\n');
}
