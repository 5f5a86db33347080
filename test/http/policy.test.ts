import request from 'supertest';
import { EnforcementIsOneWayError, MemoryStore, type DurableStore } from '../../src';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, TEST_USERS } from '../helpers/test-app';
import { mapDurableStore } from '../stores/map-durable-store';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());
beforeEach(() => smtp.drain());

function signIn(app: Parameters<typeof request.agent>[0], email: string) {
  return request.agent(app).post('/login').type('form').send({ email, password: 'right' });
}

describe('account-wide enforcement', () => {
  test('is one-way: the API refuses to switch it off, and so does the store', async () => {
    const store = new MemoryStore();
    const { twoFactor } = createTestApp({ smtpUrl: smtp.url, options: { store } });
    const on = await twoFactor.enforceAccount('acme');
    expect(on.enforced).toBe(true);
    await expect(twoFactor.enforceAccount('acme', false as unknown as true)).rejects.toThrow(EnforcementIsOneWayError);
    await expect(twoFactor.enforceAccount('acme', false as unknown as true)).rejects.toThrow(/cannot be switched off/);
    // The only write path that takes defaults cannot unset it either.
    expect(await store.ensureAccountSettings('acme', { enforced: false, enforcedAt: null })).toEqual(on);
    expect(await twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false); // dan is in globex
    expect(await twoFactor.isRequired(TEST_USERS.bob!.id)).toBe(true);
    await twoFactor.close();
    await store.close();
  });

  test('every user of an enforcing account is challenged, even with their own switch off', async () => {
    const { app, twoFactor } = createTestApp({ smtpUrl: smtp.url });
    expect((await signIn(app, 'bob@acme.test')).headers.location).toBe('/');
    await twoFactor.enforceAccount('acme');
    await twoFactor.setUserEnabled(TEST_USERS.bob!.id, false);
    expect((await signIn(app, 'bob@acme.test')).headers.location).toBe('/2fa');
    await twoFactor.close();
  });

  test('enforceNewAccounts switches it on for accounts first seen after it is set, not for known ones', async () => {
    const store = new MemoryStore();
    const before = createTestApp({ smtpUrl: smtp.url, options: { store } });
    expect((await signIn(before.app, 'dan@globex.test')).headers.location).toBe('/'); // globex is now known
    await before.twoFactor.close();

    const after = createTestApp({ smtpUrl: smtp.url, options: { store, enforceNewAccounts: true } });
    expect((await signIn(after.app, 'dan@globex.test')).headers.location).toBe('/');
    expect((await signIn(after.app, 'alice@acme.test')).headers.location).toBe('/2fa'); // acme: first seen now
    const acme = await store.ensureAccountSettings('acme', { enforced: false, enforcedAt: null });
    expect(acme.enforced).toBe(true);
    expect(acme.enforcedAt).toEqual(expect.any(Number));
    await after.twoFactor.close();
    await store.close();
  });
});

describe('a host durable store', () => {
  test('holds the durable settings; an enforced account with the session policy is read once, then remembered (both are one-way)', async () => {
    const host = mapDurableStore();
    host.tables.users.set(TEST_USERS.dan!.id, { enabled: true, method: 'email', phone: null });
    // A sign-in needs the account's session policy too: an enforced account is remembered for sign-in
    // only once that is on as well (until then it is read at each sign-in, as a not enforced one is).
    host.tables.accounts.set('acme', { enforced: true, enforcedAt: 1, sessionPolicy: true });
    const calls = { account: 0 };
    const durableStore: DurableStore = {
      ...host,
      ensureAccountSettings: async (id, defaults) => {
        calls.account += 1;
        return host.ensureAccountSettings(id, defaults);
      },
    };
    const { app, twoFactor } = createTestApp({ smtpUrl: smtp.url, options: { durableStore } });
    expect((await signIn(app, 'alice@acme.test')).headers.location).toBe('/2fa');
    expect((await signIn(app, 'bob@acme.test')).headers.location).toBe('/2fa');
    expect(calls.account).toBe(1);
    // Not enforced accounts are asked every time: they may be enforced by another instance meanwhile.
    expect((await signIn(app, 'dan@globex.test')).headers.location).toBe('/2fa'); // dan's own switch
    expect((await signIn(app, 'carol@globex.test')).headers.location).toBe('/');
    expect(calls.account).toBe(3);
    // Enforced but without the session policy: read again at each sign-in, never remembered as "off".
    host.tables.accounts.set('acme', { enforced: true, enforcedAt: 1 });
    const fresh = createTestApp({ smtpUrl: smtp.url, options: { durableStore } });
    expect((await signIn(fresh.app, 'alice@acme.test')).headers.location).toBe('/2fa');
    expect((await signIn(fresh.app, 'bob@acme.test')).headers.location).toBe('/2fa');
    expect(calls.account).toBe(5);
    await fresh.twoFactor.close();
    await twoFactor.close();
  });
});

describe('email codes', () => {
  test('arrive by real SMTP with the code first in the subject, the site, the expiry and a "not you" line', async () => {
    const { app, twoFactor } = createTestApp({ smtpUrl: smtp.url });
    await twoFactor.enforceAccount('acme');
    await signIn(app, 'alice@acme.test');
    const mail = await smtp.nextMessage('alice@acme.test');
    const code = /^(\d{6}) is your Test Site verification code$/.exec(mail.subject)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    for (const body of [mail.text, mail.html]) {
      expect(body).toContain(code);
      expect(body).toContain('Test Site');
      expect(body).toContain('10 minutes');
      expect(body).toMatch(/didn.t try to sign in/);
    }
    await twoFactor.close();
  });

  test('a failing mail server is a clear page, not a 500 and not a pass', async () => {
    const { app, twoFactor } = createTestApp({ smtpUrl: smtp.url });
    await twoFactor.enforceAccount('acme');
    smtp.failNext(1);
    const agent = request.agent(app);
    const login = await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    expect(login.headers.location).toBe('/2fa');
    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    expect(page.text).toContain('We couldn’t send a code');
    expect((await agent.get('/').set('Accept', 'text/html')).headers.location).toBe('/2fa');
    await twoFactor.close();
  });
});

describe('development outbox', () => {
  const originalEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = originalEnv;
  });

  test('exists only when NODE_ENV is development, and then lists the code', async () => {
    const production = createTestApp({ smtpUrl: smtp.url });
    expect((await request(production.app).get('/2fa/outbox')).status).toBe(404);
    await production.twoFactor.close();

    process.env.NODE_ENV = 'development';
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    // No `email` option: in development the codes go to the outbox.
    const { app, twoFactor } = createTestApp({ smtpUrl: smtp.url, options: { email: undefined } });
    await twoFactor.enforceAccount('acme');
    const agent = request.agent(app);
    const mailsBefore = smtp.messages.length;
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const outbox = await agent.get('/2fa/outbox');
    expect(outbox.status).toBe(200);
    const code = /class="code-cell">(\d{6})</.exec(outbox.text)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(log).toHaveBeenCalledWith(expect.stringContaining(`code ${code}`));
    expect(log).toHaveBeenCalledWith(expect.stringContaining('a•••e@acme.test'));
    expect(smtp.messages).toHaveLength(mailsBefore);
    const csrf = csrfFrom((await agent.get('/2fa')).text);
    expect((await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf })).status).toBe(303);
    log.mockRestore();
    await twoFactor.close();
  });
});
