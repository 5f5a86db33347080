import { createHash } from 'node:crypto';
import type { Cluster, Command, Redis } from 'ioredis';

/**
 * Two ways of counting what a request costs in Redis, used by `npm run bench` and by
 * test/scale/command-counts.test.ts.
 *
 * 1. **Commands** — `INFO commandstats` deltas, read on the server before and after a fixed number of
 *    requests (`commandStats`). This is what Redis executed: it includes the commands a Lua script
 *    runs with `redis.call` (Redis counts those as well), so one EVALSHA of the verify script shows
 *    as `evalsha` + the `hmget`/`hset`/… it ran. The `info` calls of the measurement itself are
 *    left out.
 *
 * 2. **Round trips** — counted on the client by `RedisProbe`, which wraps each ioredis client's
 *    `sendCommand` (every command, scripts and pipelines included, goes through it):
 *    - *sent*: commands the client sent (what the app asked for; a script is one command);
 *    - *round trips*: request/response exchanges with Redis. ioredis writes a standalone command to
 *      the socket on its own, and a pipeline or MULTI/EXEC as one batch (its commands share one
 *      pipeline stream object, which is how they are recognised), so round trips = standalone
 *      commands + batches;
 *    - *sequential*: how many times the request had to wait for Redis: a new one starts whenever a
 *      command is sent while none of the probe's commands is in flight. Commands sent together
 *      (`Promise.all`) overlap and count once; a command sent after the previous reply counts again.
 *      This is the latency cost; round trips are the network/Redis cost.
 *    Auto-pipelining is off (the ioredis default), so nothing else merges commands behind our back.
 */

/** Counts from `INFO commandstats`: command name (lower case) → calls. */
export type CommandCounts = Record<string, number>;

/** Summed over `admin`'s nodes when it is a list (a Cluster's masters). */
export async function commandStats(admin: Redis | readonly Redis[]): Promise<CommandCounts> {
  const counts: CommandCounts = {};
  for (const node of Array.isArray(admin) ? admin : [admin]) {
    for (const line of (await node.info('commandstats')).split('\n')) {
      const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line.trim());
      if (!match || match[1] === 'info') continue;
      const name = match[1]!.replace(/\|/g, ' ');
      counts[name] = (counts[name] ?? 0) + Number(match[2]);
    }
  }
  return counts;
}

/** `after - before`, without zero entries. */
export function diffCounts(before: CommandCounts, after: CommandCounts): CommandCounts {
  const diff: CommandCounts = {};
  for (const [name, calls] of Object.entries(after)) {
    const delta = calls - (before[name] ?? 0);
    if (delta !== 0) diff[name] = delta;
  }
  return diff;
}

export function addCounts(into: CommandCounts, more: CommandCounts): CommandCounts {
  for (const [name, calls] of Object.entries(more)) into[name] = (into[name] ?? 0) + calls;
  return into;
}

export function totalOf(counts: CommandCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Divides every count by `n` (per-request figures), rounded to 2 decimals. */
export function perRequest(counts: CommandCounts, n: number): CommandCounts {
  const result: CommandCounts = {};
  for (const [name, calls] of Object.entries(counts).sort(([a], [b]) => a.localeCompare(b))) result[name] = round2(calls / n);
  return result;
}

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** What one client (or all of them) sent. */
export interface ClientTally {
  /** Commands sent, by name. */
  commands: CommandCounts;
  /** Scripts run (EVALSHA/EVAL), by the name they were defined with (`defineCommand`). */
  scripts: CommandCounts;
  /** Standalone commands + pipeline/MULTI batches. */
  roundTrips: number;
  /** Times a request had to wait for this client's Redis (overlapping commands count once). */
  sequential: number;
}

interface Tracked extends ClientTally {
  inFlight: number;
  batches: WeakSet<object>;
}

function emptyTally(): ClientTally {
  return { commands: {}, scripts: {}, roundTrips: 0, sequential: 0 };
}

function newTracked(): Tracked {
  return { ...emptyTally(), inFlight: 0, batches: new WeakSet() };
}

/**
 * Wraps ioredis clients to count what they send. Each client gets a label ("session", "2fa"); `all`
 * tallies every labelled client together (its `sequential` counts waits on any of them).
 */
export class RedisProbe {
  private readonly tallies = new Map<string, Tracked>();
  private readonly overall = newTracked();

  attach<Client extends Redis | Cluster>(label: string, client: Client): Client {
    const tally = this.tallies.get(label) ?? newTracked();
    this.tallies.set(label, tally);
    // A Cluster's sendCommand takes a third argument (the node, on a redirection): passed on as is.
    const original = client.sendCommand.bind(client) as (command: Command, stream?: unknown, ...rest: unknown[]) => unknown;
    const probe = this;
    // An own property shadows the prototype method for this client only.
    Object.defineProperty(client, 'sendCommand', {
      configurable: true,
      writable: true,
      value(command: Command, stream?: unknown, ...rest: unknown[]): unknown {
        const script = scriptName(client, command);
        probe.record(tally, command, stream, script);
        probe.record(probe.overall, command, stream, script);
        return original(command, stream, ...rest);
      },
    });
    return client;
  }

  private record(tally: Tracked, command: Command, stream: unknown, script: string | undefined): void {
    const name = command.name.toLowerCase();
    tally.commands[name] = (tally.commands[name] ?? 0) + 1;
    if (script) tally.scripts[script] = (tally.scripts[script] ?? 0) + 1;
    const batch = stream !== null && typeof stream === 'object' && (stream as { isPipeline?: boolean }).isPipeline ? stream : undefined;
    if (!batch) tally.roundTrips += 1;
    else if (!tally.batches.has(batch)) {
      tally.batches.add(batch);
      tally.roundTrips += 1;
    }
    if (tally.inFlight === 0) tally.sequential += 1;
    tally.inFlight += 1;
    const settled = (): void => {
      tally.inFlight -= 1;
    };
    // Two handlers, so a rejected command never becomes an unhandled rejection here.
    command.promise.then(settled, settled);
  }

  /** A copy of the current tallies, by label, plus `all`. */
  snapshot(): Record<string, ClientTally> {
    const copy = (t: ClientTally): ClientTally => ({
      commands: { ...t.commands },
      scripts: { ...t.scripts },
      roundTrips: t.roundTrips,
      sequential: t.sequential,
    });
    const result: Record<string, ClientTally> = { all: copy(this.overall) };
    for (const [label, tally] of this.tallies) result[label] = copy(tally);
    return result;
  }

  /** Whether any probed command is still waiting for its reply. */
  idle(): boolean {
    return this.overall.inFlight === 0;
  }
}

/** `after - before` for every label of two snapshots. */
export function diffTallies(before: Record<string, ClientTally>, after: Record<string, ClientTally>): Record<string, ClientTally> {
  const result: Record<string, ClientTally> = {};
  for (const [label, tally] of Object.entries(after)) {
    const previous = before[label] ?? emptyTally();
    result[label] = {
      commands: diffCounts(previous.commands, tally.commands),
      scripts: diffCounts(previous.scripts, tally.scripts),
      roundTrips: tally.roundTrips - previous.roundTrips,
      sequential: tally.sequential - previous.sequential,
    };
  }
  return result;
}

export function addTallies(into: Record<string, ClientTally>, more: Record<string, ClientTally>): Record<string, ClientTally> {
  for (const [label, tally] of Object.entries(more)) {
    const target = into[label] ?? emptyTally();
    into[label] = target;
    addCounts(target.commands, tally.commands);
    addCounts(target.scripts, tally.scripts);
    target.roundTrips += tally.roundTrips;
    target.sequential += tally.sequential;
  }
  return into;
}

/**
 * The name a script was defined with on this client (ioredis keeps its `defineCommand`s in
 * `scriptsSet`, each with its SHA1), for EVALSHA and the EVAL fallback; "unknown" for others.
 */
function scriptName(client: Redis | Cluster, command: Command): string | undefined {
  const name = command.name.toLowerCase();
  if (name !== 'evalsha' && name !== 'eval') return undefined;
  const first = command.args[0];
  const text = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  const sha = name === 'evalsha' ? text : createHash('sha1').update(text).digest('hex');
  const scripts = (client as unknown as { scriptsSet?: Record<string, { sha: string }> }).scriptsSet ?? {};
  return Object.entries(scripts).find(([, script]) => script.sha === sha)?.[0] ?? 'unknown';
}
