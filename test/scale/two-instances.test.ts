/**
 * Two example-app processes (`tsx example-app/server.ts`, as `npm start` runs it) sharing one Redis,
 * as a host running several instances behind a load balancer would. Sessions are in Redis
 * (connect-redis), the library's state too (RedisStore, prefix "2fa:"), and both processes have the
 * same secrets, so:
 * - a code issued by one is verified by the other (the session cookie works on both);
 * - a device trusted through one is recognised by the other;
 * - a revocation is honoured by both. The example app has no revocation route, so the test revokes
 *   through the library's RedisStore on the same Redis and prefix, as a third instance (an admin
 *   task, say) would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { RedisStore } from '../../src/redis';
import { CookieJar, csrfFrom, form, FORM, send, closeAgent, type BenchResponse } from '../../bench/lib/http';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const ROOT = join(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 30_000;
const PASSWORD = 'demo-password';
const ALICE = { id: 'alice', email: 'alice@acme.test' };

interface Instance {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

let redis: TestRedis;
let smtp: TestSmtpServer;
let instances: Instance[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** Starts `tsx example-app/server.ts` and resolves once its port accepts connections. */
async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  // Its own process group, so stopping it also stops the node process tsx starts.
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['example-app/server.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let running = true;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => (running = false));
  const instance = { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
  instances.push(instance);

  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await portOpen(port))) {
    if (!running) throw new Error(`example app exited during start-up:\n${output}`);
    if (Date.now() > deadline) throw new Error(`example app did not listen on ${port} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return instance;
}

async function stopInstance(instance: Instance): Promise<void> {
  const pid = instance.child.pid;
  if (pid === undefined || instance.child.exitCode !== null || instance.child.signalCode !== null) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return; // already gone
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 5_000);
  await instance.exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  [redis, smtp] = await Promise.all([startRedis(), startSmtpServer()]);
  const env = {
    NODE_ENV: 'test',
    REDIS_URL: redis.url,
    SMTP_URL: smtp.url,
    TWO_FACTOR_SECRET: 'two-instances-test-secret-of-more-than-32-characters',
    SESSION_SECRET: 'two-instances-test-session-secret',
  };
  await Promise.all([startInstance(env), startInstance(env)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => stopInstance(instance)));
  instances = [];
  closeAgent();
  await smtp?.stop();
  await redis?.stop();
}, 30_000);

beforeEach(() => smtp.drain());

function expectRedirect(res: BenchResponse, location: string, instance: Instance): void {
  if (res.status !== 303 || res.headers.location !== location) {
    throw new Error(
      `expected 303 → ${location}, got ${res.status} → ${res.headers.location}\n${res.body.slice(0, 300)}\n--- app output:\n${instance.output()}`,
    );
  }
}

/** The password step through the login form (its CSRF token lives in the session the form starts). */
async function login(instance: Instance, jar: CookieJar): Promise<BenchResponse> {
  const page = await send(instance.url, { method: 'GET', path: '/login', headers: { cookie: jar.header(), accept: 'text/html' } });
  jar.update(page);
  return send(instance.url, {
    method: 'POST',
    path: '/login',
    headers: { 'content-type': FORM, cookie: jar.header() },
    body: form({ email: ALICE.email, password: PASSWORD, returnTo: '/', _csrf: csrfFrom(page.body) }),
  });
}

async function dashboard(instance: Instance, jar: CookieJar): Promise<BenchResponse> {
  return send(instance.url, { method: 'GET', path: '/', headers: { cookie: jar.header(), accept: 'text/html' } });
}

test('a code issued by one instance is verified by the other; a device trusted through one is recognised by the other; a revocation is honoured by both', async () => {
  const [a, b] = instances as [Instance, Instance];
  const jar = new CookieJar();

  // Password step on A: A issues the code and keeps the pending session in Redis.
  const pending = await login(a, jar);
  expectRedirect(pending, '/2fa', a);
  jar.update(pending);
  const code = await smtp.nextCode(ALICE.email);

  // B serves the verification page for A's session, and accepts A's code.
  const page = await send(b.url, { method: 'GET', path: '/2fa', headers: { cookie: jar.header(), accept: 'text/html' } });
  expect(page.status).toBe(200);
  const verified = await send(b.url, {
    method: 'POST',
    path: '/2fa/verify',
    headers: { 'content-type': FORM, cookie: jar.header() },
    body: form({ _csrf: csrfFrom(page.body), code, trust: '1' }),
  });
  expectRedirect(verified, '/', b);
  jar.update(verified);
  expect(jar.get('device_2fa')).toBeDefined();

  // The verified session (made by B) is signed in on both.
  for (const instance of [a, b]) {
    const res = await dashboard(instance, jar);
    expect(res.status).toBe(200);
    expect(res.body).toContain(`Signed in as ${ALICE.email}`);
  }

  // The device trusted through B: a new browser session on A (device cookie only) needs no code.
  const deviceOnly = (): CookieJar => {
    const fresh = new CookieJar();
    fresh.update({ status: 200, body: '', headers: { 'set-cookie': [`device_2fa=${jar.get('device_2fa')}`] } });
    return fresh;
  };
  const onA = deviceOnly();
  const trustedOnA = await login(a, onA);
  expectRedirect(trustedOnA, '/', a);
  onA.update(trustedOnA);
  expect((await dashboard(b, onA)).body).toContain(`Signed in as ${ALICE.email}`);

  // Revocation, through the library's store on the same Redis and prefix as the instances.
  const admin = redis.client();
  const store = new RedisStore({ client: admin, prefix: '2fa:' });
  const devices = await store.listDevices(ALICE.id, Date.now());
  expect(devices).toHaveLength(1);
  expect(await store.deleteDevice(ALICE.id, devices[0]!.id)).toBe(true);

  // Neither instance recognises the browser any more: both ask for a code. (The example app keeps
  // the default send quota of one code per 30 s, so these two reuse the code already sent.)
  for (const instance of [a, b]) {
    const again = await login(instance, deviceOnly());
    expectRedirect(again, '/2fa', instance);
  }
}, 30_000);
