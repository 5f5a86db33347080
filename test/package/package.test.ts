/**
 * The package as a user gets it: `npm run build`, `npm pack`, and the tarball installed into a new
 * project beside express and express-session but WITHOUT the optional peers ioredis and twilio.
 * From there it is loaded from CommonJS and from ESM (each signs a user in through it), compiled
 * against from TypeScript (nodenext and bundler, strict, skipLibCheck off), and the README's quick
 * start is compiled and run until it has challenged a user. One build, pack and install serve every
 * case; npm installs with --prefer-offline, from its cache where it can.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

// The checks run side by side after one shared set-up; on a loaded machine one may wait a while.
jest.setTimeout(90_000);

const ROOT = resolve(__dirname, '../..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const PEER_FREE_DEPENDENCIES = ['express@^5', 'express-session@^1', '@types/express@^5', '@types/express-session@^1', '@types/node@^20'];

interface Ran {
  code: number;
  output: string;
}

/** Runs a command to its end; resolves with its exit code and its output (stdout and stderr). */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((done) => {
    execFile(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      done({ code, output: `${stdout}${stderr}` });
    });
  });
}

async function mustRun(command: string, args: string[], cwd: string): Promise<string> {
  const { code, output } = await run(command, args, cwd);
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`);
  return output;
}

/** Memoised: the first test that needs it starts it, the others wait for the same result. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= make());
}

/** The README's quick start: the ```ts block right after the comment that names this test. */
async function quickStart(): Promise<string> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const marker = readme.indexOf('test/package/package.test.ts');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (marker < 0 || !block?.[1]) throw new Error('README.md has no quick-start block after a comment naming test/package/package.test.ts');
  return block[1];
}

function tsconfig(compilerOptions: Record<string, unknown>, files: string[]): string {
  const strict = {
    strict: true,
    skipLibCheck: false,
    types: ['node'],
    target: 'es2022',
    lib: ['es2022'],
    forceConsistentCasingInFileNames: true,
  };
  return JSON.stringify({ compilerOptions: { ...strict, ...compilerOptions }, files }, null, 2);
}

let project: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };
let smtp: TestSmtpServer;

beforeAll(async () => {
  smtp = await startSmtpServer();
  project = await mkdtemp(join(tmpdir(), 'express-device-2fa-consumer-'));
  await cp(join(__dirname, 'consumer'), project, { recursive: true });
  const readme = await quickStart();
  await writeFile(join(project, 'quick-start.ts'), readme);
  await writeFile(join(project, 'quick-start.mts'), readme); // the same code as an ES module
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  await writeFile(
    join(project, 'tsconfig.nodenext.json'),
    tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', outDir: 'build' }, ['consumer.ts', 'quick-start.ts', 'quick-start.mts']),
  );
  await writeFile(
    join(project, 'tsconfig.bundler.json'),
    tsconfig({ module: 'preserve', moduleResolution: 'bundler', noEmit: true }, ['consumer.ts', 'quick-start.ts']),
  );
  for (const control of ['uses-redis', 'uses-twilio']) {
    await writeFile(
      join(project, `tsconfig.${control}.json`),
      tsconfig({ module: 'nodenext', moduleResolution: 'nodenext', noEmit: true }, [`${control}.ts`]),
    );
  }

  // While the package builds, the project gets what the tarball will ask for (its dependencies, as
  // package.json lists them) beside the peers it is used with; installing the tarball then adds it alone.
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts'];
  const { dependencies } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const [, output] = await Promise.all([
    mustRun(
      'npm',
      [...install, ...PEER_FREE_DEPENDENCIES, ...Object.entries(dependencies).map(([name, range]) => `${name}@${range}`)],
      project,
    ),
    mustRun('npm', ['run', 'build'], ROOT).then(() => mustRun('npm', ['pack', '--json', '--silent', '--pack-destination', project], ROOT)),
  ]);
  [packed] = JSON.parse(output);
  await mustRun('npm', [...install, `./${packed.filename}`], project);

  await mkdir(join(ROOT, 'test-artifacts'), { recursive: true });
  const tarball = {
    filename: packed.filename,
    size: packed.size,
    unpackedSize: packed.unpackedSize,
    files: packed.files.map((f) => f.path).sort(),
  };
  await writeFile(join(ROOT, 'test-artifacts', 'package-tarball.json'), `${JSON.stringify(tarball, null, 2)}\n`);
  // Every check starts now, side by side; each test awaits its own (a failure surfaces there).
  for (const start of [...Object.values(loaded), ...Object.values(compiled)]) start().catch(() => undefined);
}, 180_000);

afterAll(async () => {
  await smtp?.stop();
  if (project) await rm(project, { recursive: true, force: true });
});

const loaded = {
  'CommonJS (require)': once(() => resultOf('from-require.cjs')),
  'ESM (import)': once(() => resultOf('from-import.mjs')),
};

async function resultOf(script: string) {
  const { code, output } = await run(process.execPath, [script], project);
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (code !== 0 || !line) throw new Error(`node ${script} exited ${code}:\n${output}`);
  return JSON.parse(line.slice('RESULT '.length));
}

const tsc = (config: string) => once(() => run(process.execPath, [TSC, '-p', `tsconfig.${config}.json`, '--pretty', 'false'], project));
const compiled = { nodenext: tsc('nodenext'), bundler: tsc('bundler'), 'uses-redis': tsc('uses-redis'), 'uses-twilio': tsc('uses-twilio') };

describe('the packed package', () => {
  test('holds the build, LICENSE, README and package.json: no src/, no tests, no source maps', async () => {
    const paths = packed.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json']));
    for (const entry of ['index', 'redis', 'twilio', 'testing']) {
      expect(paths).toEqual(
        expect.arrayContaining([`dist/${entry}.mjs`, `dist/${entry}.d.mts`, `dist/cjs/${entry}.js`, `dist/cjs/${entry}.d.ts`]),
      );
    }
    expect(paths.filter((path) => !path.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(path))).toEqual([]);
    expect(paths.filter((path) => path.endsWith('.map'))).toEqual([]);
    const installed = join(project, 'node_modules', 'express-device-2fa');
    const shipped = await readdir(join(installed, 'dist'), { recursive: true });
    for (const file of shipped.filter((name) => /\.(m?js|d\.m?ts)$/.test(name))) {
      expect(await readFile(join(installed, 'dist', file), 'utf8')).not.toContain('sourceMappingURL');
    }
    expect(await readFile(join(installed, 'LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 express-device-2fa contributors\n/,
    );
  });

  test('is installed without the optional peers ioredis and twilio', async () => {
    const modules = await readdir(join(project, 'node_modules'));
    expect(modules).toEqual(expect.arrayContaining(['express', 'express-session', 'express-device-2fa']));
    expect(modules).not.toContain('ioredis');
    expect(modules).not.toContain('twilio');
  });
});

describe.each([
  ['CommonJS (require)', '/dist/cjs/index.js'],
  ['ESM (import)', '/dist/index.mjs'],
] as const)('loaded from %s', (how, file) => {
  test('resolves to its own build, and the entries export what they should', async () => {
    const result = await loaded[how]();
    expect(result.resolved).toMatch(new RegExp(`node_modules/express-device-2fa${file.replace(/\./g, '\\.')}$`));
    expect(result.version).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
    expect(result.exports.main).toEqual(
      expect.arrayContaining([
        'deviceTwoFactor',
        'MemoryStore',
        'EmailChannel',
        'DevelopmentOutbox',
        'ConfigurationError',
        'StoreUnavailableError',
      ]),
    );
    for (const optional of ['RedisStore', 'SmsChannel', 'VoiceChannel', 'createTwilioClient'])
      expect(result.exports.main).not.toContain(optional);
    expect(result.exports.redis).toEqual(['RedisStore']);
    expect(result.exports.twilio).toEqual(['SmsChannel', 'VoiceChannel', 'createApiUrlHttpClient', 'createTwilioClient']);
    expect(result.exports.testing).toEqual(['durableStoreContract']);
    expect(result.exports.main).not.toContain('durableStoreContract');
    expect(result.exports.main).toEqual((await loaded['CommonJS (require)']()).exports.main);
  });

  test('keeps its internals out of reach', async () => {
    const result = await loaded[how]();
    expect(result.internals).toEqual(['ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_PACKAGE_PATH_NOT_EXPORTED', 'ERR_PACKAGE_PATH_NOT_EXPORTED']);
  });

  test('shares one class across entries, and says what to install when twilio is missing', async () => {
    const result = await loaded[how]();
    expect(result.redisRefusal).toEqual({ sameClass: true, message: expect.stringContaining('"client" is required') });
    expect(result.twilioRefusal).toEqual({ sameClass: true, message: expect.stringContaining('npm install twilio') });
  });

  test('signs a user in: password, the code from the development outbox, verified, signed in', async () => {
    const { signIn } = await loaded[how]();
    expect(signIn).toEqual({
      login: [303, '/2fa'],
      held: [303, '/2fa'],
      page: 200,
      code: true,
      verified: [303, '/'],
      home: [200, 'u-ann'],
    });
  });
});

describe('compiled against from strict TypeScript (skipLibCheck off)', () => {
  test.each(['nodenext', 'bundler'] as const)(
    'with moduleResolution %s: the consumer and the README quick start compile',
    async (resolution) => {
      const { code, output } = await compiled[resolution]();
      expect(output).toBe('');
      expect(code).toBe(0);
    },
  );

  // The controls show the check can fail: the subpaths' declarations do name their peers.
  test.each([
    ['uses-redis', 'ioredis'],
    ['uses-twilio', 'twilio/lib/base/RequestClient'],
  ] as const)('%s.ts, importing a subpath whose peer is not installed, fails on that peer alone', async (control, peer) => {
    const { code, output } = await compiled[control]();
    expect(code).not.toBe(0);
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) expect(error).toContain(`error TS2307: Cannot find module '${peer}'`);
  });
});

describe("the README's quick start, as written", () => {
  let app: ChildProcess | undefined;
  afterEach(() => {
    app?.kill();
  });

  test('starts, and challenges a user for a code before signing them in', async () => {
    expect((await compiled.nodenext()).code).toBe(0);
    const port = await freePort();
    app = spawn(process.execPath, ['build/quick-start.js'], {
      cwd: project,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: String(port),
        TWO_FACTOR_SECRET: 'a-quick-start-secret-that-is-long-enough',
        SESSION_SECRET: 'a-quick-start-session-secret',
        SMTP_URL: smtp.url,
      },
      stdio: 'ignore',
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForServer(base);

    const jar = new Map<string, string>();
    const send = async (method: string, path: string, form?: Record<string, string>) => {
      const response = await fetch(base + path, {
        method,
        redirect: 'manual',
        headers: { accept: 'text/html', cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') },
        ...(form ? { body: new URLSearchParams(form) } : {}),
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return response;
    };

    smtp.drain();
    const login = await send('POST', '/login', { email: 'ann@example.com', password: 'correct horse battery staple' });
    expect([login.status, login.headers.get('location')]).toEqual([303, '/2fa']);
    const held = await send('GET', '/');
    expect([held.status, held.headers.get('location')]).toEqual([303, '/2fa']);
    const page = await send('GET', '/2fa');
    expect(page.status).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const code = await smtp.nextCode('ann@example.com');
    const verified = await send('POST', '/2fa/verify', { code, _csrf: csrf });
    expect([verified.status, verified.headers.get('location')]).toEqual([303, '/']);
    const home = await send('GET', '/');
    expect([home.status, await home.text()]).toEqual([200, 'Signed in as u-ann']);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Until the app answers (it prints nothing when it listens); at most 10 s. */
async function waitForServer(base: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await fetch(`${base}/2fa/no-such-page`);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((retry) => setTimeout(retry, 50));
    }
  }
}
