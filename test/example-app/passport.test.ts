/**
 * The Passport example (example-app/passport), on Express 4 and 5: passport-local checks the
 * password, the library the second factor, and Passport's session has the user only once the code
 * is done. Each step changes the session id (no fixation), the stored session is read to show what
 * Passport would deserialise, and a re-authentication on the settings page keeps the user signed in
 * to Passport. A host hook that drops the library's state (Passport's `req.login` without
 * `keepSessionInfo`) is refused rather than leaving a half-known session.
 */
import type { Express } from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import request from 'supertest';
import { createPassportExampleApp } from '../../example-app/passport/app';
import { deviceTwoFactor, MemoryStore, type DeviceTwoFactor } from '../../src';
import { csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS } from '../helpers/test-app';
import { HTML, SECRETS, type Agent } from './support';

type PassportExample = Awaited<ReturnType<typeof createPassportExampleApp>>;

/** The session id of a response's `sid` cookie (`s:<id>.<signature>`). */
function sessionId(res: request.Response): string | undefined {
  const value = ([] as string[])
    .concat(res.headers['set-cookie'] ?? [])
    .find((c) => c.startsWith('sid='))
    ?.split(';')[0]
    ?.slice(4);
  return value ? /^s:([^.]+)\./.exec(decodeURIComponent(value))?.[1] : undefined;
}

/** What the session store holds for a session id: what Passport and the library will read next time. */
function stored(
  example: PassportExample,
  id: string,
): Promise<{ passport?: { user?: string }; deviceTwoFactor?: { status: string; userId: string } } | null> {
  return new Promise((resolve, reject) =>
    example.sessionStore.get(id, (error, data) => (error ? reject(error) : resolve((data as never) ?? null))),
  );
}

/** The newest code the development outbox holds for an address. */
async function outboxCode(agent: Agent, email: string): Promise<string> {
  const page = await agent.get('/2fa/outbox').set(HTML);
  const code = new RegExp(`<td class="code-cell">(\\d{6})</td><td>${email.replace('.', '\\.')}</td>`).exec(page.text)?.[1];
  if (!code) throw new Error(`no code for ${email} in the outbox`);
  return code;
}

describe.each(EXPRESS_VERSIONS)('the Passport example on %s', (_name, express) => {
  const previousNodeEnv = process.env.NODE_ENV;
  let example: PassportExample;
  let log: jest.SpyInstance;

  beforeAll(async () => {
    // The library reads NODE_ENV itself for its development outbox.
    process.env.NODE_ENV = 'development';
    log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    example = await createPassportExampleApp({ NODE_ENV: 'development', ...SECRETS }, express);
  });
  afterAll(async () => {
    await example.close();
    log.mockRestore();
    process.env.NODE_ENV = previousNodeEnv;
  });

  async function password(agent: Agent, email: string, pass = 'demo-password', returnTo = '/'): Promise<request.Response> {
    const form = await agent.get('/login').set(HTML);
    return agent
      .post('/login')
      .type('form')
      .send({ email, password: pass, returnTo, _csrf: csrfFrom(form.text) });
  }

  async function code(agent: Agent, value: string): Promise<request.Response> {
    const page = await agent.get('/2fa').set(HTML);
    return agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: value, trust: '1' });
  }

  test('alice: password (no req.user yet), code (req.user), re-authentication (still req.user), logout (none); a new session id at each step', async () => {
    const agent = request.agent(example.app);
    const ids: string[] = [];
    const form = await agent.get('/login').set(HTML);
    ids.push(sessionId(form)!);

    const afterPassword = await agent
      .post('/login')
      .type('form')
      .send({ email: 'alice@acme.test', password: 'demo-password', returnTo: '/', _csrf: csrfFrom(form.text) });
    expect(afterPassword.status).toBe(303);
    expect(afterPassword.headers.location).toBe('/2fa');
    ids.push(sessionId(afterPassword)!);
    // Pending: the library's state, and nothing of Passport's, so req.user stays unset.
    expect(await stored(example, ids[1]!)).toMatchObject({ deviceTwoFactor: { status: 'pending', userId: 'alice' } });
    expect((await stored(example, ids[1]!))?.passport?.user).toBeUndefined();
    const blocked = await agent.get('/').set(HTML);
    expect(blocked.status).toBe(303);
    expect(blocked.headers.location).toBe('/2fa');

    const afterCode = await code(agent, await outboxCode(agent, 'alice@acme.test'));
    expect(afterCode.status).toBe(303);
    expect(afterCode.headers.location).toBe('/');
    ids.push(sessionId(afterCode)!);
    expect(await stored(example, ids[2]!)).toMatchObject({
      passport: { user: 'alice' },
      deviceTwoFactor: { status: 'verified', userId: 'alice' },
    });
    // The ids before are gone from the store: a copied cookie of the pending session signs nobody in.
    expect(await stored(example, ids[1]!)).toBeNull();
    // The signed-in session the library lists is the one Passport regenerated (an entry of a gone id would not be listed).
    expect(await example.twoFactor.listSessions('alice')).toHaveLength(1);
    const dashboard = await agent.get('/').set(HTML);
    expect(dashboard.status).toBe(200);
    expect(dashboard.text).toContain('Signed in as alice@acme.test');

    // A re-authentication on the settings page (new recovery codes) rotates the id and keeps Passport's user.
    const settings = await agent.get('/2fa/settings').set(HTML);
    const csrf = csrfFrom(settings.text);
    expect((await agent.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf })).status).toBe(303);
    const reauth = await agent
      .post('/2fa/settings/verify')
      .type('form')
      .send({ _csrf: csrf, code: await outboxCode(agent, 'alice@acme.test') });
    expect(reauth.status).toBeLessThan(400);
    ids.push(sessionId(reauth)!);
    expect(await stored(example, ids[3]!)).toMatchObject({
      passport: { user: 'alice' },
      deviceTwoFactor: { status: 'verified', userId: 'alice' },
    });
    expect((await agent.get('/').set(HTML)).text).toContain('Signed in as alice@acme.test');

    const logout = await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom((await agent.get('/').set(HTML)).text) });
    expect(logout.status).toBe(303);
    ids.push(sessionId(logout)!);
    expect(await stored(example, ids[3]!)).toBeNull();
    const afterLogout = await stored(example, ids[4]!);
    expect(afterLogout?.passport?.user).toBeUndefined();
    expect(afterLogout?.deviceTwoFactor).toBeUndefined();
    expect((await agent.get('/').set(HTML)).headers.location).toBe('/login?returnTo=/');

    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(Boolean)).toBe(true);

    // The browser was trusted: the next sign-in needs no code, and Passport signs in at once.
    const again = await password(agent, 'alice@acme.test');
    expect(again.headers.location).toBe('/');
    expect((await stored(example, sessionId(again)!))?.passport?.user).toBe('alice');
    expect((await agent.get('/').set(HTML)).text).toContain('Signed in as alice@acme.test');
  });

  test('dan (2FA off): the password alone signs in to Passport, under a new session id', async () => {
    const agent = request.agent(example.app);
    const res = await password(agent, 'dan@globex.test');
    expect(res.headers.location).toBe('/');
    expect((await stored(example, sessionId(res)!))?.passport?.user).toBe('dan');
    expect((await agent.get('/').set(HTML)).text).toContain('Signed in as dan@globex.test');
  });

  test('a wrong password is the strategy’s: back to the form, nothing started', async () => {
    const agent = request.agent(example.app);
    const res = await password(agent, 'alice@acme.test', 'wrong');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/login?failed=1');
    expect((await agent.get('/login?failed=1').set(HTML)).text).toContain('Wrong email or password.');
    expect((await agent.get('/').set(HTML)).headers.location).toBe('/login?returnTo=/');
  });
});

describe.each(EXPRESS_VERSIONS)('an onSignedIn that drops the library state, on %s', (_name, express) => {
  let twoFactor: DeviceTwoFactor;
  afterEach(() => twoFactor.close());

  test("Passport's req.login without keepSessionInfo: refused (the error says what to pass), and the session is not left signed in", async () => {
    const auth = new passport.Passport();
    auth.use(
      new LocalStrategy((username, _password, done) => done(null, Object.values(TEST_USERS).find((u) => u.email === username) ?? false)),
    );
    auth.serializeUser((user, done) => done(null, (user as { id: string }).id));
    auth.deserializeUser((id: string, done) => done(null, { id }));
    twoFactor = deviceTwoFactor({
      secret: TEST_SECRET,
      users: { find: async (id) => Object.values(TEST_USERS).find((u) => u.id === id) },
      store: new MemoryStore(),
      email: { transport: 'smtp://127.0.0.1:1', from: 'security@test.example' },
      cookie: { secure: false },
      onSignedIn: (req, userId) =>
        new Promise((resolve, reject) => req.login({ id: userId }, (error) => (error ? reject(error) : resolve()))),
    });
    const reported: unknown[] = [];
    const app: Express = express();
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
    app.use(auth.session());
    app.use(twoFactor.router);
    app.use(twoFactor.guard);
    app.post(
      '/login',
      express.urlencoded({ extended: false }),
      auth.authenticate('local', { session: false }),
      twoFactor.login((req) => (req.user as { id: string }).id),
    );
    app.get('/', (req, res) => void res.json({ user: req.user ?? null }));
    app.use((error: unknown, _req: unknown, res: { status(code: number): { send(body: string): void } }, _next: unknown) => {
      reported.push(error);
      res.status(500).send('host error page');
    });
    const agent = request.agent(app);
    // dan has 2FA off: signed in at the password step, through the hook.
    const res = await agent.post('/login').type('form').send({ username: 'dan@globex.test', password: 'any' });
    expect(res.status).toBe(500);
    expect(reported).toEqual([
      expect.objectContaining({ code: 'ERR_2FA_CONFIGURATION', message: expect.stringMatching(/keepSessionInfo: true/) }),
    ]);
    expect((await agent.get('/')).body).toEqual({ user: null });
  });
});
