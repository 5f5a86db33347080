import { execFile, spawn } from 'node:child_process';
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
 * Starts a private, non-persistent redis-server on a free loopback port and resolves once it answers
 * PING. It never touches any other Redis on the machine.
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
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', ...extraArgs];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => (running = false));

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answersPing(port))) {
    if (!running) throw new Error(`redis-server exited during start-up:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    }
    await delay(20);
  }

  const clients: Redis[] = [];
  return {
    url: `redis://${HOST}:${port}`,
    port,
    client(options = {}) {
      const client = new Redis(port, HOST, options);
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients.splice(0)) client.disconnect();
      if (running) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
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
