import request from 'supertest';
import { createExampleApp } from '../../example-app/app';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { csrfFrom } from '../helpers/test-app';
import { HTML, SECRETS, type Agent, type ExampleApp } from './support';

function cookies(res: request.Response): string[] {
  return ([] as string[]).concat(res.headers['set-cookie'] ?? []);
}

let smtp: TestSmtpServer;
let logSpy: jest.SpyInstance;
beforeAll(async () => {
  logSpy = jest.spyOn(console, 'log').mockImplementation(() => undefined);
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp?.stop();
  logSpy.mockRestore();
});

describe('item 9: the example app’s login form (login CSRF)', () => {
  let example: ExampleApp;
  beforeAll(async () => {
    example = await createExampleApp({ NODE_ENV: 'test', SMTP_URL: smtp.url, ...SECRETS });
  });
  afterAll(() => example?.close());

  const dan = { email: 'dan@globex.test', password: 'demo-password', returnTo: '/' };
  const signedInAs = async (agent: Agent) => (await agent.get('/').set(HTML)).text;

  test('a post without the form’s token signs nobody in (an attacker’s page posting its own password)', async () => {
    const victim = request.agent(example.app);
    const forged = await victim.post('/login').type('form').send(dan);
    expect(forged.status).toBe(403);
    expect(cookies(forged)).toEqual([]);
    expect(await signedInAs(victim)).not.toContain('Signed in as');
  });

  test('a token from another browser’s login page does not work either', async () => {
    const attacker = request.agent(example.app);
    const attackersToken = csrfFrom((await attacker.get('/login')).text);
    const victim = request.agent(example.app);
    await victim.get('/login');
    expect(
      (
        await victim
          .post('/login')
          .type('form')
          .send({ ...dan, _csrf: attackersToken })
      ).status,
    ).toBe(403);
    expect(await signedInAs(victim)).not.toContain('Signed in as');
  });

  test('a cross-site post is refused even with the right token', async () => {
    const agent = request.agent(example.app);
    const token = csrfFrom((await agent.get('/login')).text);
    for (const headers of [
      { Origin: 'https://evil.test' },
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' },
    ]) {
      expect(
        (
          await agent
            .post('/login')
            .set(headers)
            .type('form')
            .send({ ...dan, _csrf: token })
        ).status,
      ).toBe(403);
    }
    expect(await signedInAs(agent)).not.toContain('Signed in as');
  });

  test('the form’s own token signs in, under a new session id', async () => {
    const agent = request.agent(example.app);
    const page = await agent.get('/login');
    const before = cookies(page).find((c) => c.startsWith(`${example.config.sessionCookie}=`));
    expect(before).toBeDefined();
    const res = await agent
      .post('/login')
      .set({ Host: 'app.example', Origin: 'http://app.example', 'Sec-Fetch-Site': 'same-origin' })
      .type('form')
      .send({ ...dan, _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const after = cookies(res).find((c) => c.startsWith(`${example.config.sessionCookie}=`));
    expect(after?.split(';')[0]).not.toBe(before?.split(';')[0]);
    expect(await signedInAs(agent)).toContain('Signed in as dan@globex.test');
  });

  test('a wrong password shows the form again with a working token', async () => {
    const agent = request.agent(example.app);
    const token = csrfFrom((await agent.get('/login')).text);
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ ...dan, password: 'wrong', _csrf: token });
    expect(wrong.status).toBe(401);
    const again = await agent
      .post('/login')
      .type('form')
      .send({ ...dan, _csrf: csrfFrom(wrong.text) });
    expect(again.status).toBe(303);
  });
});

describe('item 9: the session cookie outside development', () => {
  let example: ExampleApp;
  beforeAll(async () => {
    example = await createExampleApp({ NODE_ENV: 'production', TRUST_PROXY: '1', SMTP_URL: smtp.url, ...SECRETS });
  });
  afterAll(() => example?.close());

  test('is __Host-sid, Secure, HttpOnly, SameSite=Lax, Path=/ and no Domain, behind a TLS proxy', async () => {
    const https = { 'X-Forwarded-Proto': 'https', Host: 'app.example' };
    const agent = request.agent(example.app);
    const page = await agent.get('/login').set(https);
    const [cookie] = cookies(page);
    expect(cookie).toMatch(/^__Host-sid=/);
    const attributes = cookie!
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['path=/', 'httponly', 'secure', 'samesite=lax']));
    expect(attributes.some((a) => a.startsWith('domain='))).toBe(false);
    expect(cookies(page).some((c) => c.startsWith('connect.sid='))).toBe(false);

    // The whole login works through the proxy: the Origin is https://app.example, as the browser saw it.
    const res = await request(example.app)
      .post('/login')
      .set(https)
      .set({ Origin: 'https://app.example', Cookie: cookie!.split(';')[0]! })
      .type('form')
      .send({ email: 'dan@globex.test', password: 'demo-password', returnTo: '/', _csrf: csrfFrom(page.text) });
    expect(res.status).toBe(303);
    expect(cookies(res)[0]).toMatch(/^__Host-sid=.*; Secure/);
  });
});

describe('item 15 in the example app: a malformed admin API path', () => {
  let example: ExampleApp;
  let admin: Agent;
  beforeAll(async () => {
    example = await createExampleApp({ NODE_ENV: 'test', SMTP_URL: smtp.url, ...SECRETS });
    admin = request.agent(example.app);
    const token = csrfFrom((await admin.get('/login')).text);
    const login = await admin
      .post('/login')
      .type('form')
      .send({ email: 'admin@acme.test', password: 'demo-password', returnTo: '/', _csrf: token });
    expect(login.headers.location).toBe('/2fa');
    const code = await smtp.nextCode('admin@acme.test');
    const page = await admin.get('/2fa').set(HTML);
    expect(
      (
        await admin
          .post('/2fa/verify')
          .type('form')
          .send({ _csrf: csrfFrom(page.text), code })
      ).status,
    ).toBe(303);
  });
  afterAll(() => example?.close());

  test.each([
    ['get', '/admin/api/users/%'],
    ['get', '/admin/api/users/%E0%A4%A/devices'],
    ['put', '/admin/api/users/%zz/2fa'],
    ['delete', '/admin/api/users/alice/devices/%'],
  ] as const)('%s %s answers a JSON 400, not a 500', async (method, path) => {
    const res = await admin[method](path)
      .set('Content-Type', 'application/json')
      .send(method === 'put' ? '{"enabled":true}' : undefined);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request' });
  });

  test('the admin API refuses a cross-site write', async () => {
    const res = await admin.put('/admin/api/users/alice/2fa').set({ Origin: 'https://evil.test' }).send({ enabled: false });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'cross_site_request' });
  });
});
