/**
 * Issue #9, items 10 and 12, for the example app as a host would run it: sessions (connect-redis
 * 8.1.0) and the library's state on one real redis-server, with the fail-fast client options its
 * environment sets. Redis is killed, hung and restarted; every request of the app (its own routes
 * and the library's) answers within the bound: the 503 "try again" answer wherever Redis is
 * needed, never a 500.
 */
import request from 'supertest';
import { createExampleApp } from '../../example-app/app';
import { eventually, expectTryAgain, outcomes, recordTimings, saveTimings, timed, type TimedAnswer } from '../helpers/faults';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

type Agent = ReturnType<typeof request.agent>;
type ExampleApp = Awaited<ReturnType<typeof createExampleApp>>;
const HTML = { Accept: 'text/html' };
const JSON_CLIENT = { Accept: 'application/json' };

let smtp: TestSmtpServer;
let redis: TestRedis;
let example: ExampleApp | undefined;
let quiet: jest.SpyInstance[];

beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.stop();
  await saveTimings('faults-example-app.json');
});
beforeEach(() => {
  smtp.drain();
  // The app's event log and its Redis error lines are expected here.
  quiet = (['log', 'warn', 'error'] as const).map((method) => jest.spyOn(console, method).mockImplementation(() => undefined));
});
afterEach(async () => {
  await example?.close();
  example = undefined;
  await redis?.stop();
  for (const spy of quiet) spy.mockRestore();
});

async function start(): Promise<ExampleApp> {
  example = await createExampleApp({
    NODE_ENV: 'test',
    REDIS_URL: redis.url,
    SMTP_URL: smtp.url,
    TWO_FACTOR_SECRET: 'example-app-test-secret-of-more-than-32-chars',
    SESSION_SECRET: 'example-app-test-session-secret',
    // Test-sized: the fault tests' bound is the store timeout + 1 s.
    TWO_FACTOR_STORE_TIMEOUT_MS: '1000',
    REDIS_TIMEOUT_MS: '500',
  });
  return example;
}

const csrfFrom = (page: string): string => /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';

async function signIn(app: ExampleApp['app'], email: string): Promise<{ agent: Agent; location: string }> {
  const agent = request.agent(app);
  // The login form's token lives in the session that showing the form starts.
  const _csrf = csrfFrom((await agent.get('/login')).text);
  const res = await agent.post('/login').type('form').send({ email, password: 'demo-password', returnTo: '/', _csrf });
  return { agent, location: res.headers.location as string };
}

/** alice at the code step (code in hand), dan signed in, acme's admin signed in with a code. */
async function browsers(app: ExampleApp['app']) {
  const alice = await signIn(app, 'alice@acme.test');
  expect(alice.location).toBe('/2fa');
  const code = await smtp.nextCode('alice@acme.test');
  const aliceCsrf = csrfFrom((await alice.agent.get('/2fa')).text);
  const dan = await signIn(app, 'dan@globex.test');
  expect(dan.location).toBe('/');
  const admin = await signIn(app, 'admin@acme.test');
  const adminPage = await admin.agent.get('/2fa');
  await admin.agent
    .post('/2fa/verify')
    .type('form')
    .send({ _csrf: csrfFrom(adminPage.text), code: await smtp.nextCode('admin@acme.test') });
  const adminHome = await admin.agent.get('/admin').set(HTML);
  expect(adminHome.status).toBe(200);
  const danHome = await dan.agent.get('/').set(HTML);
  // Someone with the login form open (its token is in the session it started) when Redis goes.
  const loginForm = request.agent(app);
  const loginCsrf = csrfFrom((await loginForm.get('/login')).text);
  return {
    loginForm: { agent: loginForm, csrf: loginCsrf },
    alice: { agent: alice.agent, code, csrf: aliceCsrf },
    dan: { agent: dan.agent, csrf: csrfFrom(danHome.text) },
    admin: { agent: admin.agent, csrf: csrfFrom(adminHome.text) },
  };
}

/** Every route of the example app, all at once, and what each must answer while Redis is away. */
function everyRequest(app: ExampleApp['app'], b: Awaited<ReturnType<typeof browsers>>): Array<[number, Promise<TimedAnswer>]> {
  return [
    [200, timed('GET /login (no session)', request(app).get('/login').set(HTML))],
    [503, timed('GET /login (with a session)', b.dan.agent.get('/login').set(HTML))],
    [
      503,
      timed(
        'POST /login (2FA on)',
        b.loginForm.agent
          .post('/login')
          .set(HTML)
          .type('form')
          .send({ email: 'alice@acme.test', password: 'demo-password', _csrf: b.loginForm.csrf }),
      ),
    ],
    [
      503,
      timed(
        'POST /login (2FA off)',
        b.loginForm.agent
          .post('/login')
          .set(HTML)
          .type('form')
          .send({ email: 'dan@globex.test', password: 'demo-password', _csrf: b.loginForm.csrf }),
      ),
    ],
    // Without the form's token the login is refused at once, whatever Redis does.
    [
      403,
      timed(
        'POST /login (no form token)',
        request(app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'demo-password' }),
      ),
    ],
    [503, timed('GET /', b.dan.agent.get('/').set(HTML))],
    [503, timed('GET / (JSON client)', b.dan.agent.get('/').set(JSON_CLIENT))],
    [503, timed('POST /logout', b.dan.agent.post('/logout').set(HTML).type('form').send({ _csrf: b.dan.csrf }))],
    [503, timed('GET /2fa', b.alice.agent.get('/2fa').set(HTML))],
    [
      503,
      timed(
        'POST /2fa/verify',
        b.alice.agent.post('/2fa/verify').set(HTML).type('form').send({ _csrf: b.alice.csrf, code: b.alice.code, trust: '1' }),
      ),
    ],
    [503, timed('GET /2fa/settings', b.dan.agent.get('/2fa/settings').set(HTML))],
    [503, timed('GET /admin', b.admin.agent.get('/admin').set(HTML))],
    [
      503,
      timed(
        'POST /admin/account/enforce',
        b.admin.agent.post('/admin/account/enforce').set(HTML).type('form').send({ _csrf: b.admin.csrf }),
      ),
    ],
    [503, timed('GET /admin/api/users (JSON)', b.admin.agent.get('/admin/api/users').set(JSON_CLIENT))],
    [200, timed('GET /api/me (Bearer, no session)', request(app).get('/api/me').set('Authorization', 'Bearer demo-token'))],
  ];
}

async function expectBoundedAnswers(scenario: string, requests: Array<[number, Promise<TimedAnswer>]>): Promise<void> {
  const answers = await Promise.all(requests.map(([, answer]) => answer));
  recordTimings(scenario, answers);
  expect(outcomes(answers)).toEqual(answers.map(({ label }, i) => ({ label, status: requests[i]![0], withinBound: true })));
  answers.filter(({ status }) => status === 503).forEach(expectTryAgain);
}

test('Redis killed: every request of the example app answers within the bound, never a 500; restarted: it works again', async () => {
  redis = await startRedis();
  const { app } = await start();
  await example!.twoFactor.ready;
  const b = await browsers(app);

  await redis.kill();
  await expectBoundedAnswers('example app, Redis killed', everyRequest(app, b));

  await redis.restart();
  await eventually(10_000, async () => (await signIn(app, 'dan@globex.test')).location === '/');
  expect((await signIn(app, 'alice@acme.test')).location).toBe('/2fa');
}, 30_000);

test('Redis hung (SIGSTOP): every request answers within the bound; resumed: the same sessions carry on', async () => {
  redis = await startRedis();
  const { app } = await start();
  await example!.twoFactor.ready;
  const b = await browsers(app);

  redis.pause();
  try {
    await expectBoundedAnswers('example app, Redis hung', everyRequest(app, b));
  } finally {
    redis.resume();
  }
  await eventually(5_000, async () => (await b.dan.agent.get('/').set(HTML)).text.includes('Signed in as dan@globex.test'));
}, 30_000);

test('Redis down when the app starts: the app starts, answers 503 meanwhile, and works once Redis is back', async () => {
  redis = await startRedis();
  await redis.kill();
  const { app } = await start();
  const expected: [number, ReturnType<typeof timed>][] = [
    // No session could be stored for the login form, so no form token: refused at once, never a pass.
    [
      403,
      timed(
        'POST /login (2FA off)',
        request(app).post('/login').set(HTML).type('form').send({ email: 'dan@globex.test', password: 'demo-password' }),
      ),
    ],
    [503, timed('GET /2fa', request(app).get('/2fa').set(HTML))],
  ];
  const answers = await Promise.all(expected.map(([, answer]) => answer));
  recordTimings('example app, Redis down at start-up', answers);
  expect(outcomes(answers)).toEqual(answers.map(({ label }, i) => ({ label, status: expected[i]![0], withinBound: true })));

  await redis.restart();
  await eventually(15_000, async () => (await signIn(app, 'dan@globex.test')).location === '/');
}, 30_000);
