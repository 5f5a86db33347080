import request from 'supertest';
import type { Redis } from 'ioredis';
import { createExampleApp } from '../../example-app/app';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const SECRETS = {
  TWO_FACTOR_SECRET: 'example-app-test-secret-of-more-than-32-chars',
  SESSION_SECRET: 'example-app-test-session-secret',
};
const HTML = { Accept: 'text/html' };

type Agent = ReturnType<typeof request.agent>;
type ExampleApp = Awaited<ReturnType<typeof createExampleApp>>;

function csrfFrom(page: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error(`No _csrf field on the page:\n${page}`);
  return token;
}

/** Password step; returns where the app redirected. */
async function signIn(agent: Agent, email: string, password = 'demo-password', returnTo = '/'): Promise<string> {
  const res = await agent.post('/login').type('form').send({ email, password, returnTo });
  expect(res.status).toBe(303);
  return res.headers.location as string;
}

/** Code step: posts the code with the page's CSRF token and "trust this browser" ticked. */
async function enterCode(agent: Agent, code: string): Promise<request.Response> {
  const page = await agent.get('/2fa').set(HTML);
  expect(page.status).toBe(200);
  const res = await agent.post('/2fa/verify').type('form').send({ _csrf: csrfFrom(page.text), code, trust: '1' });
  expect(res.status).toBe(303);
  return res;
}

/** The session id from a response's connect.sid cookie (`s:<id>.<signature>`). */
function sessionId(res: request.Response): string | undefined {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const value = cookies.find((c) => c.startsWith('connect.sid='))?.split(';')[0]?.slice('connect.sid='.length);
  return value ? /^s:([^.]+)\./.exec(decodeURIComponent(value))?.[1] : undefined;
}

async function expectDashboard(agent: Agent, email: string): Promise<void> {
  const res = await agent.get('/').set(HTML);
  expect(res.status).toBe(200);
  expect(res.text).toContain(`Signed in as ${email}`);
}

describe('example app, development (memory stores, development outbox)', () => {
  const previousNodeEnv = process.env.NODE_ENV;
  let example: ExampleApp;
  let logged: string[];
  let logSpy: jest.SpyInstance;

  beforeAll(async () => {
    // The library reads NODE_ENV from process.env for its outbox; the app reads it from `env`.
    process.env.NODE_ENV = 'development';
    logged = [];
    logSpy = jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
    example = await createExampleApp({ NODE_ENV: 'development' });
  });

  afterAll(async () => {
    await example?.close();
    logSpy.mockRestore();
    process.env.NODE_ENV = previousNodeEnv;
  });

  it('serves a login form carrying returnTo, escaped', async () => {
    const res = await request(example.app).get('/login').query({ returnTo: '/"><script>alert(1)</script>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('name="email"');
    expect(res.text).toContain('name="password"');
    expect(res.text).toContain('name="returnTo" value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(res.text).not.toContain('<script>');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
    expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
  });

  it('alice: password, then the code from the outbox, then the dashboard', async () => {
    const agent = request.agent(example.app);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');

    // Half signed in: the guard keeps her off the dashboard.
    const blocked = await agent.get('/').set(HTML);
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/2fa');

    const outbox = await agent.get('/2fa/outbox').set(HTML);
    expect(outbox.status).toBe(200);
    const code = /<td class="code-cell">(\d{6})<\/td><td>alice@acme\.test<\/td>/.exec(outbox.text)?.[1];
    expect(code).toBeDefined();
    // The same code was printed to the console (masked destination).
    expect(logged.some((line) => line.includes(`code ${code}`))).toBe(true);

    expect((await enterCode(agent, code as string)).headers.location).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');

    // Signing out ends the session: the dashboard sends her back to the login page.
    const out = await agent.post('/logout');
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    const after = await agent.get('/').set(HTML);
    expect(after.status).toBe(302);
    expect(after.headers.location).toBe('/login?returnTo=/');
  });

  it('dan (2FA off) signs in without a code', async () => {
    const agent = request.agent(example.app);
    const sent = logged.length;
    expect(await signIn(agent, 'DAN@globex.test ')).toBe('/');
    await expectDashboard(agent, 'dan@globex.test');
    expect(logged.slice(sent).some((line) => line.includes('[2fa outbox]'))).toBe(false);
  });

  it('a wrong password or an unknown email gets 401 with the same generic message', async () => {
    for (const [email, password] of [
      ['alice@acme.test', 'wrong-password'],
      ['nobody@acme.test', 'demo-password'],
    ]) {
      const agent = request.agent(example.app);
      const res = await agent.post('/login').type('form').send({ email, password, returnTo: '/' });
      expect(res.status).toBe(401);
      expect(res.text).toContain('Wrong email or password.');
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await agent.get('/').set(HTML)).headers.location).toBe('/login?returnTo=/');
    }
  });

  it('refuses the development secret outside development', async () => {
    await expect(createExampleApp({ NODE_ENV: 'production', SESSION_SECRET: 'x' })).rejects.toThrow(/TWO_FACTOR_SECRET must be set/);
  });
});

describe('example app with REDIS_URL and SMTP_URL', () => {
  let redis: TestRedis;
  let smtp: TestSmtpServer;
  let example: ExampleApp;
  let client: Redis;

  beforeAll(async () => {
    [redis, smtp] = await Promise.all([startRedis(), startSmtpServer()]);
    client = redis.client();
    example = await createExampleApp({
      NODE_ENV: 'test',
      REDIS_URL: redis.url,
      SMTP_URL: smtp.url,
      MAIL_FROM: '"Example Co" <security@example.test>',
      ...SECRETS,
    });
  });

  afterAll(async () => {
    await example?.close();
    await Promise.all([redis?.stop(), smtp?.stop()]);
  });

  async function scan(pattern: string): Promise<string[]> {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 100);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  }

  it('alice signs in with the code sent by email, and her session is stored in Redis', async () => {
    const agent = request.agent(example.app);
    expect(await signIn(agent, 'alice@acme.test')).toBe('/2fa');
    const code = await smtp.nextCode('alice@acme.test');
    const verified = await enterCode(agent, code);
    expect(verified.headers.location).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');

    // The session cookie names a session that really is in Redis, holding the verified state.
    const sid = sessionId(verified);
    expect(sid).toBeDefined();
    const sessionKeys = await scan('sess:*');
    expect(sessionKeys).toContain(`sess:${sid}`);
    expect(await client.get(`sess:${sid}`)).toContain('"verified"');
    // The library's ephemeral state is there too, under its own prefix.
    expect((await scan('2fa:*')).length).toBeGreaterThan(0);

    // The trusted browser skips the code on the next sign-in; no second email.
    await agent.post('/logout');
    expect(await signIn(agent, 'alice@acme.test')).toBe('/');
    await expectDashboard(agent, 'alice@acme.test');
    await expect(smtp.nextCode('alice@acme.test', 300)).rejects.toThrow(/No email/);
  });
});
