/**
 * Safe on Express 4 and 5. Express 4 does not catch a rejected `async` route: the old README's
 * login route (`await twoFactor.passwordVerified(...)`) took the whole process down on the first
 * numeric user id or unknown user. Attacked here with a real process per app (the fixture), as a
 * host runs it: the old pattern dies on Express 4; `twoFactor.login(userIdOf)` answers a 401 page
 * or the 503 with a log line, on both versions, and the process lives on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ErrorRequestHandler, Express } from 'express';
import session from 'express-session';
import request from 'supertest';
import { deviceTwoFactor, MemoryStore, type DeviceTwoFactor, type Logger } from '../../src';
import { EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS } from '../helpers/test-app';

const FIXTURE = join(__dirname, 'fixtures', 'login-app.ts');

interface HostProcess {
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stderr so far (its log). */
  stderr(): string;
  /** Resolves with the exit code once it has exited. */
  exited: Promise<number | null>;
}

const running: HostProcess[] = [];
afterAll(() => {
  for (const host of running) if (host.child.exitCode === null) host.child.kill('SIGKILL');
});

async function startHost(pattern: 'await' | 'login', express: '4' | '5'): Promise<HostProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, PATTERN: pattern, EXPRESS: express, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const port = /port (\d+)/.exec(stdout)?.[1];
      if (port) resolve(Number(port));
    });
    void exited.then((code) => reject(new Error(`the host app exited (${code}) before listening: ${stderr}`)));
  });
  const host = { port, child, stderr: () => stderr, exited };
  running.push(host);
  return host;
}

/** POST /login as the form does; the status, or "no answer" when the connection died. */
async function postLogin(host: HostProcess, kind: string): Promise<number | 'no answer'> {
  try {
    const res = await fetch(`http://127.0.0.1:${host.port}/login`, {
      method: 'POST',
      body: new URLSearchParams({ kind }),
      redirect: 'manual',
    });
    await res.text();
    return res.status;
  } catch {
    return 'no answer';
  }
}

async function isAlive(host: HostProcess): Promise<boolean> {
  try {
    return (await (await fetch(`http://127.0.0.1:${host.port}/health`)).text()) === 'alive';
  } catch {
    return false;
  }
}

describe('the old README pattern, `async` route awaiting passwordVerified, in a real process', () => {
  test.each([
    ['a numeric user id', 'numeric', 'ERR_2FA_INVALID_ARGUMENT'],
    ['an unknown user', 'unknown', 'ERR_2FA_UNKNOWN_USER'],
  ])(
    'Express 4, %s: the request gets no answer and the process dies of the unhandled rejection',
    async (_label, kind, code) => {
      const host = await startHost('await', '4');
      expect(await isAlive(host)).toBe(true);
      const started = Date.now();
      expect(await postLogin(host, kind)).toBe('no answer');
      expect(await host.exited).toBe(1);
      expect(host.stderr()).toContain(code);
      expect(await isAlive(host)).toBe(false);
      expect(Date.now() - started).toBeLessThan(10_000);
    },
    30_000,
  );

  test('Express 5 catches the rejection: a bare 500, the process lives', async () => {
    const host = await startHost('await', '5');
    expect(await postLogin(host, 'numeric')).toBe(500);
    expect(await isAlive(host)).toBe(true);
    host.child.kill();
  }, 30_000);
});

describe.each([['Express 4', '4'] as const, ['Express 5', '5'] as const])(
  'twoFactor.login(userIdOf) on %s, in a real process',
  (_name, express) => {
    let host: HostProcess;
    beforeAll(async () => {
      host = await startHost('login', express);
    }, 30_000);
    afterAll(() => void host.child.kill());

    test.each([
      [
        'a numeric user id',
        401,
        'numeric',
        /login\(\): passwordVerified\(req, res, userId\): userId must be a non-empty string \(got a number\)\..*"code":"ERR_2FA_INVALID_ARGUMENT","userIdType":"number"/,
      ],
      [
        'an unknown user',
        401,
        'unknown',
        /login\(\): users\.find\("u-nobody"\) returned nothing.*"code":"ERR_2FA_UNKNOWN_USER","userId":"u-nobody"/,
      ],
      [
        'a users.find that throws',
        503,
        'find-throws',
        /users\.find failed \(Cannot read properties of undefined \(reading 'rows'\)\).*"adapter":"users\.find","userId":"u-broken"[\s\S]*TypeError/,
      ],
    ])('%s: a %s page and an error line naming the fix; the process lives on', async (_label, status, kind, logged) => {
      expect(await postLogin(host, kind)).toBe(status);
      expect(host.stderr()).toMatch(logged);
      expect(await isAlive(host)).toBe(true);
      expect(host.child.exitCode).toBeNull();
    });

    test('and a right password still signs in', async () => {
      expect(await postLogin(host, 'right')).toBe(303);
    });
  },
);

describe.each(EXPRESS_VERSIONS)('twoFactor.login(userIdOf) on %s', (_name, express) => {
  let twoFactor: DeviceTwoFactor;
  let lines: [string, Record<string, unknown>, string][];
  let reported: unknown[];

  beforeEach(() => {
    lines = [];
    reported = [];
    const logger: Logger = {
      warn: (context, message) => void lines.push(['warn', context, message]),
      error: (context, message) => void lines.push(['error', context, message]),
    };
    twoFactor = deviceTwoFactor({
      secret: TEST_SECRET,
      users: { find: async (id) => Object.values(TEST_USERS).find((u) => u.id === id) },
      store: new MemoryStore(),
      email: { transport: 'smtp://127.0.0.1:1', from: 'security@test.example' },
      cookie: { secure: false },
      exempt: (req) => req.headers.authorization === 'Bearer test-token',
      logger,
    });
  });
  afterEach(() => twoFactor.close());

  function app(login: (app: Express) => void): Express {
    const host = express();
    host.use(session({ secret: 's', resave: false, saveUninitialized: false }));
    host.use(twoFactor.router);
    host.use(twoFactor.guard);
    login(host);
    host.use(twoFactor.errorHandler);
    const report: ErrorRequestHandler = (error, _req, res, _next) => {
      reported.push(error);
      res.status(500).send('host error page');
    };
    host.use(report);
    return host;
  }

  const form = () => express.urlencoded({ extended: false });

  test('the posted returnTo is followed (same-origin only), or the one `returnTo` gives', async () => {
    const byBody = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login(() => TEST_USERS.dan!.id),
      ),
    );
    expect((await request(byBody).post('/login').type('form').send({ returnTo: '/reports?x=1' })).headers.location).toBe('/reports?x=1');
    expect((await request(byBody).post('/login').type('form').send({ returnTo: '//evil.test/' })).headers.location).toBe('/');
    const byOption = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login(() => TEST_USERS.dan!.id, { returnTo: (req) => req.query.next }),
      ),
    );
    expect((await request(byOption).post('/login?next=/home')).headers.location).toBe('/home');
  });

  test("a wrong password: the host's own answer stands, or the next handler answers", async () => {
    const answers = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login((req, res) => {
          if (req.body.password === 'right') return TEST_USERS.dan!.id;
          if (req.body.password === 'answer') return void res.status(401).send('Wrong email or password');
          return false;
        }),
        (_req, res) => void res.status(401).send('from the next handler'),
      ),
    );
    expect((await request(answers).post('/login').type('form').send({ password: 'right' })).status).toBe(303);
    expect((await request(answers).post('/login').type('form').send({ password: 'answer' })).text).toBe('Wrong email or password');
    expect((await request(answers).post('/login').type('form').send({ password: 'wrong' })).text).toBe('from the next handler');
  });

  test("userIdOf throwing (the host's own bug, its database) goes to the host's error handlers; nothing logged twice", async () => {
    const broken = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login(async () => {
          throw new Error('password table missing');
        }),
      ),
    );
    const res = await request(broken).post('/login');
    expect(res.status).toBe(500);
    expect(res.text).toBe('host error page');
    expect(reported).toEqual([expect.objectContaining({ message: 'password table missing' })]);
    expect(lines).toEqual([]);
  });

  test('an exempt client is left to the next handler, untouched', async () => {
    const api = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login(() => TEST_USERS.dan!.id),
        (_req, res) => void res.json({ token: 'issued by the host' }),
      ),
    );
    const res = await request(api).post('/login').set('Authorization', 'Bearer test-token');
    expect(res.body).toEqual({ token: 'issued by the host' });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  test('the 401 page for an unknown user says nothing was done and links to the password page; the log line names the user', async () => {
    const unknown = app((host) =>
      host.post(
        '/login',
        form(),
        twoFactor.login(() => 'u-nobody'),
      ),
    );
    const res = await request(unknown).post('/login').set('Accept', 'text/html');
    expect(res.status).toBe(401);
    expect(res.text).toContain('We couldn’t sign you in');
    expect(res.text).toContain('href="/login"');
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(lines).toEqual([
      ['error', { code: 'ERR_2FA_UNKNOWN_USER', userId: 'u-nobody' }, expect.stringMatching(/users\.find\("u-nobody"\) returned nothing/)],
    ]);
  });

  test('login(userIdOf) without a function is refused when the route is built', () => {
    expect(() => twoFactor.login(undefined as unknown as () => string)).toThrow(/login\(userIdOf\) needs a function/);
  });
});
