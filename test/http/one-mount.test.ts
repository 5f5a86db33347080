/**
 * `app.use(twoFactor)`: the object deviceTwoFactor() returns is itself the middleware, the router and
 * the guard in one Express layer. Run on Express 4 and 5: a pending session must be held by the one
 * mount exactly as by `router` and `guard` mounted apart.
 */
import session from 'express-session';
import request from 'supertest';
import { deviceTwoFactor } from '../../src';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../helpers/test-app';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

/** The app's middleware stack: `app._router` on Express 4, `app.router` on Express 5. */
function layers(app: unknown): { handle: unknown }[] {
  // Express 4's `app.router` getter throws, so it is read only where `_router` is absent.
  const host = app as { _router?: { stack: { handle: unknown }[] }; router?: { stack: { handle: unknown }[] } };
  const stack = (host._router ?? host.router)?.stack;
  if (!stack) throw new Error('no router stack on this app');
  return stack;
}

describe.each(EXPRESS_VERSIONS)('app.use(twoFactor) on %s', (_name, express) => {
  let host: TestApp;
  beforeEach(async () => {
    smtp.drain();
    host = createTestApp({ express, smtpUrl: smtp.url, oneMount: true });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(() => host.twoFactor.close());

  test('is one Express layer, and that layer is the library itself', async () => {
    const twoFactor = deviceTwoFactor({ secret: TEST_SECRET, users: { find: async () => undefined }, development: true });
    const app = express();
    app.use(session({ secret: 'session-secret', resave: false, saveUninitialized: false }));
    const before = layers(app).length;
    app.use(twoFactor);
    expect(layers(app)).toHaveLength(before + 1);
    expect(layers(app).at(-1)?.handle).toBe(twoFactor);
    // The members are still there for hosts that mount them apart.
    expect(typeof twoFactor.router).toBe('function');
    expect(typeof twoFactor.guard).toBe('function');
    await twoFactor.close();
  });

  test('holds a pending session away from the host routes mounted after it, serves the page, and signs in', async () => {
    const agent = request.agent(host.app);
    const login = await agent.post('/login').type('form').send({ email: TEST_USERS.alice?.email, password: 'right' });
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/2fa');

    // The guard's half of the one middleware: the dashboard and the API are out of reach.
    const blocked = await agent.get('/').set('Accept', 'text/html');
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/2fa');
    const blockedApi = await agent.get('/api/me').set('Accept', 'application/json');
    expect(blockedApi.status).toBe(401);
    expect(blockedApi.body).toEqual({ error: 'two_factor_required', verify: '/2fa' });

    // The router's half: the library's own page and form.
    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    const code = await smtp.nextCode('alice@acme.test');
    const wrong = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: code === '000000' ? '111111' : '000000', _csrf: csrfFrom(page.text) });
    expect(wrong.status).toBe(400);
    expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/2fa');

    const verified = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code, _csrf: csrfFrom(page.text) });
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/');
    const dashboard = await agent.get('/');
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toBe('Signed in as alice@acme.test');
  });

  test("answers only under the mount path: the host's routes behind it still answer, and unknown library paths are the library's 404", async () => {
    const anonymous = await request(host.app).get('/').set('Accept', 'text/html');
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toBe('/login');
    const api = await request(host.app).get('/api/me').set('Authorization', 'Bearer test-token');
    expect(api.status).toBe(200);
    expect(api.body).toEqual({ ok: true });
    const unknown = await request(host.app).get('/2fa/no-such-page');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('<!doctype html>');
  });
});
