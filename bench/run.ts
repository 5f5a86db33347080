/**
 * `npm run bench`: what the two-factor step costs, measured against the same app without it.
 *
 * Starts its own redis-server (test/helpers/redis-server.ts) and two in-process HTTP servers on one
 * Redis: the baseline app (express + express-session + connect-redis 8.1.0, no 2FA) and the same app
 * with `twoFactor.router` + `twoFactor.guard` (see bench/lib/apps.ts). Codes go to an in-memory
 * channel: delivery is not what is measured.
 *
 * For each path:
 * - Redis cost, exact and machine-independent: N requests one at a time, with `INFO commandstats`
 *   read before and after each (commands Redis executed, including those inside Lua scripts) and a
 *   probe on each ioredis client (commands sent, round trips, sequential waits; see
 *   bench/lib/redis-probe.ts for how round trips are told apart from commands);
 * - throughput and latency: autocannon (in a worker thread, so it does not share the servers' event
 *   loop), a warm-up run per path, then short rounds in which each baseline runs right next to the
 *   paths compared with it (order reversed every other round). A ratio is taken within each round
 *   and the median of those is reported with its range: other load on the machine then shifts both
 *   sides of a pair alike instead of skewing the result. req/s and latencies are medians over rounds.
 * - the memory store's bounds, in a child process with --expose-gc (bench/memory.ts);
 * - RedisStore's memory per record and per typical user, on a private redis-server
 *   (bench/lib/redis-memory.ts), next to the figures of the layout before issue 13
 *   (bench/redis-memory-before.json).
 *
 * Prints the table (plain and Markdown, for the README) and writes bench/results/latest.json.
 * Environment: BENCH_DURATION (seconds per run, default 2), BENCH_ROUNDS (default 5; the verified-read
 * pair, whose target is the tightest, gets 4 more), BENCH_CONNECTIONS (default 10), BENCH_COUNT
 * (requests per count pass, default 200).
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startRedis } from '../test/helpers/redis-server';
import { createBenchStack, listen, middlewareTiming } from './lib/apps';
import { closeAgent, send } from './lib/http';
import { benchPaths, countPath, prepareFixtures, type BenchPath, type BenchUrls, type PathCounts } from './lib/paths';
import { RedisProbe, round2 } from './lib/redis-probe';
import { measureRedisMemory, memoryMarkdown, type RedisMemoryResult } from './lib/redis-memory';
import { measureSignIns, signInMarkdown } from './lib/sign-ins';

const DURATION = Number(process.env.BENCH_DURATION ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const READ_ROUNDS = ROUNDS + 4;
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const COUNT = Number(process.env.BENCH_COUNT ?? 200);
const WARMUP = 1;

/** Paths measured under load, grouped with their baseline (first) so rounds can alternate. */
const LOAD_GROUPS: { paths: string[]; rounds: number }[] = [
  { paths: ['read-baseline', 'read-verified'], rounds: READ_ROUNDS },
  { paths: ['api-baseline', 'api-exempt', 'api-exempt-identified'], rounds: ROUNDS },
  { paths: ['login-baseline', 'login-off', 'login-trusted', 'login-challenge'], rounds: ROUNDS },
  { paths: ['write-baseline', 'verify-wrong'], rounds: ROUNDS },
];

interface LoadRound {
  reqPerSec: number;
  p50: number;
  p99: number;
  requests: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
}

interface Row {
  id: string;
  path: string;
  compareTo: string | null;
  reqPerSec: number | null;
  /** Median over rounds of (this path's req/s ÷ its baseline's req/s in the same round). */
  ratio: number | null;
  ratioMin: number | null;
  ratioMax: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** Redis commands executed per request (INFO commandstats; includes commands inside scripts). */
  redisExecuted: number;
  redisExecutedByCommand: Record<string, number>;
  /** Commands sent per request, by client. */
  sentBySession: number;
  sentBy2fa: number;
  sent2faByCommand: Record<string, number>;
  scripts2fa: Record<string, number>;
  roundTrips2fa: number;
  sequential2fa: number;
  roundTripsAll: number;
  sequentialAll: number;
  rounds: LoadRound[];
}

function log(line = ''): void {
  process.stdout.write(`${line}\n`);
}

async function load(path: BenchPath, url: string, duration: number): Promise<LoadRound> {
  const request = path.request!;
  const result = await autocannon({
    url: new URL(request.path, url).toString(),
    method: request.method,
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {}),
    connections: CONNECTIONS,
    duration,
    workers: 1,
  });
  const statuses: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = count;
  return {
    reqPerSec: Math.round(result.requests.total / duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function sum(counts: Record<string, number>): number {
  return round2(Object.values(counts).reduce((a, b) => a + b, 0));
}

function memoryChild(): Promise<{ expiry: Record<string, number>; cap: Record<string, number> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'memory.ts')], {
      cwd: join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`bench/memory.ts exited with ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? ''));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function fmt(value: number | null, digits = 0): string {
  return value === null ? '–' : value.toFixed(digits);
}

function verdict(ok: boolean): string {
  return ok ? 'MET' : 'MISSED';
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const cpu = cpus();
  const redis = await startRedis();
  const admin = redis.client();
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
  const machine = {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? '?',
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    redis: redisVersion,
  };
  log(
    `Machine: ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGB} GB, Node ${machine.node}, ${machine.platform}, Redis ${machine.redis}`,
  );
  log(
    `Runs: ${DURATION} s per autocannon run (${CONNECTIONS} connections, 1 worker thread), ${WARMUP} s warm-up per path, ${ROUNDS} rounds (verified read: ${READ_ROUNDS}); ${COUNT} requests per count pass`,
  );
  const loadAtStart = loadavg()[0]!;
  if (loadAtStart > machine.cpus / 2) {
    log(
      `Note: load average ${loadAtStart.toFixed(2)} on ${machine.cpus} CPUs: something else is running, so req/s will be noisy (ratios are paired per round to limit that).`,
    );
  }

  const probe = new RedisProbe();
  const clients = { session: probe.attach('session', redis.client()), twoFactor: probe.attach('2fa', redis.client()) };
  const stack = createBenchStack(clients);
  await stack.ready;
  const baselineServer = await listen(stack.baseline);
  const twoFactorServer = await listen(stack.twoFactorApp);
  const urls: BenchUrls = { baseline: baselineServer.url, twoFactor: twoFactorServer.url };

  try {
    const fixtures = await prepareFixtures(stack, urls);
    const paths = benchPaths(stack, urls, fixtures);
    const byId = new Map(paths.map((p) => [p.id, p]));

    // --- Redis cost: exact counts -------------------------------------------------------------
    // One warm-up request per path first: ioredis may need an EVAL before its EVALSHA is known.
    const counts = new Map<string, PathCounts>();
    for (const path of paths) await countPath(path, 1, { admin, probe, urls });
    for (const path of paths) counts.set(path.id, await countPath(path, COUNT, { admin, probe, urls }));
    log(`Counted Redis commands (${COUNT} requests per path).`);

    // --- The guard's own CPU cost: sequential verified reads, timed inside the apps ----------------
    const TIMED = 2000;
    middlewareTiming.enabled = true;
    for (let i = 0; i < TIMED; i += 1) {
      for (const id of i % 2 ? ['read-verified', 'read-baseline'] : ['read-baseline', 'read-verified']) {
        const path = byId.get(id)!;
        await send(urls[path.app], path.request!);
      }
    }
    middlewareTiming.enabled = false;
    const guardCost = {
      requests: TIMED,
      baselineMedianUs: round2(median(middlewareTiming.samples.baseline)),
      twoFactorMedianUs: round2(median(middlewareTiming.samples.twoFactor)),
      addedUs: 0,
    };
    guardCost.addedUs = round2(guardCost.twoFactorMedianUs - guardCost.baselineMedianUs);
    log(
      `Session middleware → route: ${guardCost.baselineMedianUs} µs without 2FA, ${guardCost.twoFactorMedianUs} µs through router + guard ` +
        `(median of ${TIMED} sequential verified reads each): the guard adds ${guardCost.addedUs} µs per request.`,
    );

    // --- Throughput and latency -----------------------------------------------------------------
    const rounds = new Map<string, LoadRound[]>();
    for (const group of LOAD_GROUPS) {
      for (const id of group.paths) await load(byId.get(id)!, urls[byId.get(id)!.app], WARMUP);
      for (let round = 0; round < group.rounds; round += 1) {
        // Alternate the order too, so neither side always runs first.
        const order = round % 2 === 0 ? group.paths : [...group.paths].reverse();
        for (const id of order) {
          const path = byId.get(id)!;
          const result = await load(path, urls[path.app], DURATION);
          const unexpected = Object.keys(result.statuses).filter((s) => Number(s) !== path.expectStatus);
          if (result.errors || result.timeouts || unexpected.length) {
            throw new Error(`${path.label}: unexpected answers under load: ${JSON.stringify(result)}`);
          }
          (rounds.get(id) ?? rounds.set(id, []).get(id)!).push(result);
          log(
            `  ${path.label.padEnd(52)} round ${round + 1}: ${String(result.reqPerSec).padStart(6)} req/s  p50 ${result.p50} ms  p99 ${result.p99} ms`,
          );
        }
      }
    }

    // --- Sign-ins per second: one Redis against a three-master Cluster ------------------------------
    log('Sign-ins per second (password step, code page, right code), one Redis against a local 3-master Cluster…');
    const signIns = await measureSignIns({ rounds: ROUNDS, log });

    // --- Memory store ---------------------------------------------------------------------------
    log('Memory store: 1,000,000 expiring challenges and a capped load (child process with --expose-gc)…');
    const memoryStore = await memoryChild();
    log('RedisStore: bytes per record (INFO memory deltas over 20,000 records each, on a private redis-server)…');
    const redisMemory = await measureRedisMemory({ log });
    const redisMemoryBefore = JSON.parse(await readFile(join(__dirname, 'redis-memory-before.json'), 'utf8')) as RedisMemoryResult & {
      commit: string;
    };
    const memory = {
      ...memoryStore,
      bytesPerTrustedDevice: redisMemory.bytesPerTrustedDevice,
      bytesPerChallenge: redisMemory.bytesPerChallenge,
      bytesPerSession: redisMemory.bytesPerSession,
      bytesPerUserSettings: redisMemory.bytesPerUserSettings,
      redis: redisMemory,
      before: redisMemoryBefore,
    };

    // --- Table ----------------------------------------------------------------------------------
    const rows: Row[] = paths.map((path) => {
      const c = counts.get(path.id)!;
      const r = rounds.get(path.id) ?? [];
      const base = path.compareTo ? (rounds.get(path.compareTo) ?? []) : [];
      // Round i of a path ran next to round i of its baseline.
      const ratios = r.length && base.length === r.length ? r.map((x, i) => x.reqPerSec / base[i]!.reqPerSec) : [];
      const r3 = (x: number): number => Math.round(x * 1000) / 1000;
      return {
        id: path.id,
        path: path.label,
        compareTo: path.compareTo ?? null,
        reqPerSec: r.length ? Math.round(median(r.map((x) => x.reqPerSec))) : null,
        ratio: ratios.length ? r3(median(ratios)) : null,
        ratioMin: ratios.length ? r3(Math.min(...ratios)) : null,
        ratioMax: ratios.length ? r3(Math.max(...ratios)) : null,
        p50Ms: r.length ? median(r.map((x) => x.p50)) : null,
        p99Ms: r.length ? median(r.map((x) => x.p99)) : null,
        redisExecuted: c.executedTotal,
        redisExecutedByCommand: c.executed,
        sentBySession: sum(c.sent.session!.commands),
        sentBy2fa: sum(c.sent['2fa']!.commands),
        sent2faByCommand: c.sent['2fa']!.commands,
        scripts2fa: c.sent['2fa']!.scripts,
        roundTrips2fa: c.sent['2fa']!.roundTrips,
        sequential2fa: c.sent['2fa']!.sequential,
        roundTripsAll: c.sent.all!.roundTrips,
        sequentialAll: c.sent.all!.sequential,
        rounds: r,
      };
    });
    const row = (id: string): Row => rows.find((x) => x.id === id)!;
    // At saturation the server's event loop is the bottleneck: a request costs 1/req/s of it, and the
    // guard adds its own time on top.
    const expectedReadRatio = 1 / (1 + (Math.max(0, guardCost.addedUs) * (row('read-baseline').reqPerSec ?? 0)) / 1e6);

    const header = [
      'Path',
      'req/s',
      'ratio',
      'p50 ms',
      'p99 ms',
      'Redis cmds/req',
      'sent: session+2FA',
      '2FA round trips (seq.)',
      'all round trips (seq.)',
    ];
    const cells = rows.map((x) => [
      x.path,
      fmt(x.reqPerSec),
      x.ratio === null
        ? x.compareTo
          ? '–'
          : 'baseline'
        : `${x.ratio.toFixed(3)} (${x.ratioMin!.toFixed(2)}–${x.ratioMax!.toFixed(2)}) vs ${x.compareTo}`,
      fmt(x.p50Ms),
      fmt(x.p99Ms),
      String(x.redisExecuted),
      `${x.sentBySession} + ${x.sentBy2fa}`,
      `${x.roundTrips2fa} (${x.sequential2fa})`,
      `${x.roundTripsAll} (${x.sequentialAll})`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
    log();
    log(header.map((h, i) => h.padEnd(widths[i]!)).join('  '));
    log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const c of cells) log(c.map((v, i) => (i === 0 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  '));
    log();
    log('Per path, what the 2FA client sent (per request) and what Redis executed (INFO commandstats, incl. inside scripts):');
    for (const x of rows) {
      log(
        `  ${x.id.padEnd(19)} 2FA sent ${JSON.stringify(x.sent2faByCommand)} scripts ${JSON.stringify(x.scripts2fa)}; executed ${JSON.stringify(x.redisExecutedByCommand)}`,
      );
    }

    // --- Targets ---------------------------------------------------------------------------------
    const sameCommands = (a: Row, b: Row): boolean => JSON.stringify(a.redisExecutedByCommand) === JSON.stringify(b.redisExecutedByCommand);
    const issueStoreScripts = row('login-challenge').scripts2fa.deviceTwoFactorIssueChallenge ?? 0;
    const verifyWrong = row('verify-wrong');
    const checks = [
      {
        target: '1. verified read through guard ≥ 0.97 × baseline',
        measured: `${fmt(row('read-verified').ratio, 3)} (median of ${READ_ROUNDS} paired rounds, range ${fmt(row('read-verified').ratioMin, 3)}–${fmt(row('read-verified').ratioMax, 3)})`,
        ok: (row('read-verified').ratio ?? 0) >= 0.97,
      },
      {
        target: "1. (noise-free estimate) the same ratio from the guard's own CPU time",
        measured: `+${guardCost.addedUs} µs per request at ${fmt(row('read-baseline').reqPerSec)} req/s → ${expectedReadRatio.toFixed(3)}`,
        ok: expectedReadRatio >= 0.97,
      },
      {
        target: '1. verified read adds 0 Redis commands',
        measured: `${row('read-verified').redisExecuted} vs ${row('read-baseline').redisExecuted} (${row('read-verified').sentBy2fa} from 2FA)`,
        ok: sameCommands(row('read-verified'), row('read-baseline')) && row('read-verified').sentBy2fa === 0,
      },
      {
        target: '1. exempt request: 0 store calls',
        measured: `${row('api-exempt').sentBy2fa} (anonymous: ${row('anonymous').sentBy2fa}; all Redis: ${row('api-exempt').redisExecuted})`,
        ok: row('api-exempt').sentBy2fa === 0 && row('anonymous').sentBy2fa === 0,
      },
      {
        // A round trip is a wait on Redis: commands sent together (pipelined on the wire) share one.
        target: '2. trusted-device sign-in: ≤ 1 extra round trip (wait) vs password step with 2FA off (library mounted)',
        measured: `+${round2(row('login-trusted').sequentialAll - row('login-off').sequentialAll)} waits (+${round2(row('login-trusted').roundTripsAll - row('login-off').roundTripsAll)} commands/batches)`,
        ok: row('login-trusted').sequentialAll - row('login-off').sequentialAll <= 1,
      },
      {
        target: '2. trusted-device sign-in: ≤ 1 extra round trip (wait) vs password step without the library',
        measured: `+${round2(row('login-trusted').sequentialAll - row('login-baseline').sequentialAll)} waits (+${round2(row('login-trusted').roundTripsAll - row('login-baseline').roundTripsAll)} commands/batches, pipelined)`,
        ok: row('login-trusted').sequentialAll - row('login-baseline').sequentialAll <= 1,
      },
      {
        target: "3. issue a challenge: the store's own cost is 1 round trip (rate limit + store in one script)",
        measured: `${issueStoreScripts} × deviceTwoFactorIssueChallenge`,
        ok: issueStoreScripts === 1,
      },
      {
        target: '3. issue a challenge: ≤ 2 round trips (waits) on the 2FA client in all (settings/account reads included)',
        measured: `${row('login-challenge').sequential2fa} waits (${row('login-challenge').roundTrips2fa} commands/batches): ${JSON.stringify(row('login-challenge').scripts2fa)} + ${row('login-challenge').sent2faByCommand.hmget ?? 0} × hmget (user settings)`,
        ok: row('login-challenge').sequential2fa <= 2,
      },
      {
        target: '3. verify a code: exactly 1 round trip, one script, whatever the outcome (wrong / right)',
        measured: ['verify-wrong', 'verify-right']
          .map((id) => `${row(id).roundTrips2fa} trip ${JSON.stringify(row(id).scripts2fa)}`)
          .join(' / '),
        ok: ['verify-wrong', 'verify-right'].every(
          (id) => row(id).roundTrips2fa === 1 && row(id).sentBy2fa === 1 && row(id).scripts2fa.deviceTwoFactorVerifyChallenge === 1,
        ),
      },
      {
        target: '3. (info) right code + "trust this browser": verify, then storing the device',
        measured: `${row('verify-right-trust').roundTrips2fa} round trips (${row('verify-right-trust').sequential2fa} sequential): ${JSON.stringify(row('verify-right-trust').sent2faByCommand)}`,
        ok: row('verify-right-trust').scripts2fa.deviceTwoFactorVerifyChallenge === 1,
      },
      {
        target: '4. verify route ≥ 0.5 × session read + write route',
        measured: `${fmt(verifyWrong.ratio, 3)} (range ${fmt(verifyWrong.ratioMin, 3)}–${fmt(verifyWrong.ratioMax, 3)})`,
        ok: (verifyWrong.ratio ?? 0) >= 0.5,
      },
      {
        target: '5. 1,000,000 expired challenges: heap within 10 % after sweep + GC',
        measured: `${memory.expiry.heapBeforeMB} MB → peak ${memory.expiry.heapPeakMB} MB → ${memory.expiry.heapAfterMB} MB (${memory.expiry.heapChangePct} %)`,
        ok: Math.abs(memory.expiry.heapChangePct!) <= 10 && memory.expiry.entriesLeftAfterSweep === 0,
      },
      {
        target: '5. maxEntries cap holds under load',
        measured: `largest map ${memory.cap.largestMapSeen} / cap ${memory.cap.maxEntries} over ${memory.cap.operations} operations; heap ${memory.cap.heapAt100kMB} → ${memory.cap.heapAt300kMB} MB`,
        ok: memory.cap.largestMapSeen! <= memory.cap.maxEntries!,
      },
      {
        target: '7. (info) sign-ins per second on a 3-master Cluster ÷ one Redis, same run (issue 13)',
        measured: `${signIns.ratio.toFixed(3)} (range ${signIns.ratioMin.toFixed(3)}–${signIns.ratioMax.toFixed(3)}): ${signIns.cluster.signInsPerSecond} vs ${signIns.single.signInsPerSecond}/s; Redis CPU per sign-in ${signIns.single.redisCpuUsPerSignIn.join('/')} µs vs ${signIns.cluster.redisCpuUsPerSignIn.join('/')} µs per master`,
        // The same commands on both: the Cluster costs no extra Redis work per sign-in.
        ok: (['login-challenge', 'verify-right'] as const).every(
          (id) => JSON.stringify(signIns.single.paths[id].executed) === JSON.stringify(signIns.cluster.paths[id].executed),
        ),
      },
      ...(['bytesPerTrustedDevice', 'bytesPerChallenge'] as const).map((field) => ({
        target: `6. RedisStore ${field === 'bytesPerChallenge' ? 'active challenge' : 'trusted device'} ≤ 250 bytes (issue 13)`,
        measured: `${redisMemory[field]} bytes (before: ${redisMemoryBefore[field]})`,
        ok: redisMemory[field] <= 250,
      })),
    ];
    log();
    log('Targets (issues 6 and 13):');
    for (const check of checks) log(`  ${verdict(check.ok).padEnd(6)} ${check.target}: ${check.measured}`);

    // --- Markdown for the README ------------------------------------------------------------------
    const mdHeader = [
      'Path',
      'req/s',
      'Ratio (range)',
      'p50 ms',
      'p99 ms',
      'Redis cmds/req',
      'Sent: session + 2FA',
      '2FA round trips (sequential)',
    ];
    const md = [
      `| ${mdHeader.join(' | ')} |`,
      `|${mdHeader.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
      ...rows.map(
        (x) =>
          `| ${x.path} | ${fmt(x.reqPerSec)} | ${x.ratio === null ? (x.compareTo ? '–' : 'baseline') : `${x.ratio.toFixed(3)} (${x.ratioMin!.toFixed(2)}–${x.ratioMax!.toFixed(2)})`} | ${fmt(x.p50Ms)} | ${fmt(x.p99Ms)} | ${x.redisExecuted} | ${x.sentBySession} + ${x.sentBy2fa} | ${x.roundTrips2fa} (${x.sequential2fa}) |`,
      ),
    ].join('\n');
    const mdNote =
      `Measured by \`npm run bench\` on ${machine.cpus} CPU (${machine.cpuModel}), Node ${machine.node}, Redis ${machine.redis}; ` +
      `autocannon ${CONNECTIONS} connections, ${DURATION} s runs, ${ROUNDS} rounds (${READ_ROUNDS} for the verified read) alternating each path with its baseline. ` +
      'A ratio compares a row with its baseline row above it within each round; the median and range over rounds are shown. ' +
      '"Redis cmds/req" is the `INFO commandstats` delta per request ' +
      '(it counts the commands a Lua script runs); "Sent" is what the session store and the 2FA store sent; a round trip is one ' +
      'command or one pipeline/MULTI, "sequential" how many times the request waited on Redis.';
    log();
    log('Markdown (README):');
    log();
    log(md);
    log();
    log(mdNote);
    const memoryMd = memoryMarkdown(redisMemory, redisMemoryBefore);
    log();
    log(memoryMd);
    const signInMd = signInMarkdown(signIns);
    log();
    log(signInMd);

    const resultsDir = join(__dirname, 'results');
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, 'latest.json');
    await writeFile(
      file,
      `${JSON.stringify(
        {
          date: new Date().toISOString(),
          machine,
          settings: {
            durationSeconds: DURATION,
            rounds: ROUNDS,
            readRounds: READ_ROUNDS,
            connections: CONNECTIONS,
            countRequests: COUNT,
            warmupSeconds: WARMUP,
          },
          loadAverage: { atStart: loadAtStart, atEnd: loadavg()[0] },
          rows,
          counts: Object.fromEntries(counts),
          guardCost: { ...guardCost, expectedReadRatio: Math.round(expectedReadRatio * 1000) / 1000 },
          memory,
          targets: checks,
          markdown: `${md}\n\n${mdNote}`,
          memoryMarkdown: memoryMd,
          signIns,
          signInMarkdown: signInMd,
        },
        null,
        2,
      )}\n`,
    );
    log();
    log(`Wrote ${file} (${Math.round((Date.now() - startedAt) / 1000)} s in all).`);
  } finally {
    await stack.twoFactor.close();
    await baselineServer.close();
    await twoFactorServer.close();
    closeAgent();
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
