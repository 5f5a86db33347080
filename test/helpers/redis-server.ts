import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export interface TestRedis {
  url: string;
  port: number;
  /** A new ioredis client for this server; stop() closes it. */
  client(options?: RedisOptions): Redis;
  /** Faults: SIGKILL (no shutdown, no save), resolved once the process is gone. */
  kill(): Promise<void>;
  /** Faults: SIGSTOP. Connections stay open and nothing answers, as in a hung server. */
  pause(): void;
  /** Undoes pause() (SIGCONT). */
  resume(): void;
  /** Starts the server again on the same port with the same arguments (after kill() or stop()). */
  restart(): Promise<void>;
  /** Closes the clients made by client(), then stops the server. */
  stop(): Promise<void>;
}

export interface TestRedisCluster {
  ports: number[];
  /** A new ioredis Cluster client; stop() closes it. */
  client(): Cluster;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

/** Every key matching `pattern` on one node, by SCAN (never KEYS). */
export async function scanKeys(node: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  for await (const batch of node.scanStream({ match: pattern, count: 100 })) found.push(...(batch as string[]));
  return found;
}
const STARTUP_TIMEOUT_MS = 10_000;

/**
 * Starts a private redis-server on a free loopback port and resolves once it answers PING. It never
 * touches any other Redis on the machine. It is configured with an RDB save point (in a temporary
 * directory, removed by stop()) so it counts as persistent, as a production Redis must; pass
 * `['--save', '']` for one without persistence (the last `--save` wins).
 */
export async function startRedis(extraArgs: string[] = []): Promise<TestRedis> {
  // Another process may take the free port before redis-server binds it: try a few ports.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    try {
      return await launch(port, extraArgs);
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('Address already in use')) throw error;
    }
  }
}

async function launch(port: number, extraArgs: string[]): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'device-2fa-redis-'));
  const args = ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '3600 1', '--appendonly', 'no', ...extraArgs];
  let server: RedisProcess;
  try {
    server = await spawnRedis(port, args);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }

  const clients: Redis[] = [];
  return {
    url: `redis://${HOST}:${port}`,
    port,
    client(options = {}) {
      // disconnectTimeout: 0, or disconnecting from a killed server leaves a 2 s timer behind.
      const client = new Redis(port, HOST, { disconnectTimeout: 0, ...options });
      clients.push(client);
      return client;
    },
    async kill() {
      server.child.kill('SIGKILL');
      await server.exited;
    },
    pause() {
      server.child.kill('SIGSTOP');
    },
    resume() {
      server.child.kill('SIGCONT');
    },
    async restart() {
      if (server.running()) throw new Error(`redis-server on port ${port} is still running: kill() or stop() it first`);
      server = await spawnRedis(port, args);
    },
    async stop() {
      for (const client of clients.splice(0)) client.disconnect();
      if (server.running()) {
        // A paused server would never act on SIGTERM.
        server.child.kill('SIGCONT');
        server.child.kill('SIGTERM');
        await server.exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface RedisProcess {
  child: ChildProcess;
  exited: Promise<void>;
  running(): boolean;
}

async function spawnRedis(port: number, args: string[]): Promise<RedisProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (!running) throw new Error(`redis-server exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    await delay(20);
  }
  return { child, exited, running: () => running };
}

/**
 * A three-master Redis Cluster on free loopback ports (no replicas), resolved once every node reports
 * `cluster_state:ok`.
 */
export async function startRedisCluster(size = 3): Promise<TestRedisCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'device-2fa-cluster-'));
  const nodes: TestRedis[] = [];
  const clients: Cluster[] = [];
  const stop = async (): Promise<void> => {
    for (const client of clients.splice(0)) client.disconnect();
    await Promise.all(nodes.map((node) => node.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < size; i += 1) {
      nodes.push(await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', `node-${i}.conf`, '--dir', dir]));
    }
    const addresses = nodes.map((node) => `${HOST}:${node.port}`);
    await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (const node of nodes) {
      const client = node.client();
      while (!String(await client.cluster('INFO')).includes('cluster_state:ok')) {
        if (Date.now() > deadline) throw new Error(`Redis Cluster node ${node.port} never reached cluster_state:ok`);
        await delay(50);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ports: nodes.map((node) => node.port),
    client() {
      const client = new Cluster(nodes.map((node) => ({ host: HOST, port: node.port })));
      clients.push(client);
      return client;
    },
    stop,
  };
}

/** A port that was free a moment ago: listen on port 0, read the port, close. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One raw PING over a fresh socket, so no client library retries or logs while the server boots. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
