/**
 * Client access (issue 10, item 3): a user, or an account, blocks the clients that cannot do 2FA
 * (API tokens, mapped drives). `exempt` names the client's user; the guard and `passwordVerified`
 * then refuse such a client with a 403 (JSON for API clients) instead of letting it through.
 * Boolean `exempt` stays as it was: through, at no store call. Real MemoryStore and real Redis.
 */
import session from 'express-session';
import request from 'supertest';
import { MemoryStore, type DurableStore, type ExemptVerdict, type Store, type TwoFactorEvent } from '../../src';
import { RedisStore } from '../../src/redis';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { startRedis, type TestRedis } from '../helpers/redis-server';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../helpers/test-app';
import { mapDurableStore } from '../stores/map-durable-store';
import { deviceTwoFactor, InvalidArgumentError } from '../../src';

let smtp: TestSmtpServer;
let redis: TestRedis;
beforeAll(async () => {
  smtp = await startSmtpServer();
  redis = await startRedis();
});
afterAll(async () => {
  await smtp.stop();
  await redis.stop();
});

const alice = TEST_USERS.alice!; // acme
const dan = TEST_USERS.dan!; // globex, 2FA off: signs in without a code
const HTML = { Accept: 'text/html' };
const JSON_ACCEPT = { Accept: 'application/json' };

/** API tokens the host has already checked: each names its user. "test-token" stays a plain `true`. */
const TOKENS: Record<string, string> = { 'Bearer alice-token': alice.id, 'Bearer dan-token': dan.id, 'Bearer ghost-token': 'u-nobody' };
const exempt = (req: { headers: { authorization?: string } }): ExemptVerdict => {
  const auth = req.headers.authorization ?? '';
  if (auth === 'Bearer test-token') return true;
  const userId = TOKENS[auth];
  return userId ? { userId, client: 'api' } : false;
};
const token = (name: string) => ({ Authorization: `Bearer ${name}-token` });

/** Counts every call the library makes on the real store (a counting wrapper, not a mock). */
function counting<T extends object>(target: T): { target: T; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(property));
        return (value as (...a: unknown[]) => unknown).apply(object, args);
      };
    },
  });
  return { target: proxy, calls };
}

const STORES: Array<[string, () => Store]> = [
  ['MemoryStore', () => new MemoryStore()],
  ['RedisStore', () => new RedisStore({ client: redis.client(), prefix: `ca${Date.now()}${Math.random().toString(36).slice(2)}:` })],
];

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  describe.each(STORES)('on %s', (_storeName, makeStore) => {
    let host: TestApp;
    let store: Store;
    let calls: string[];
    let events: TwoFactorEvent[];

    beforeEach(async () => {
      smtp.drain();
      events = [];
      store = makeStore();
      const counted = counting(store);
      calls = counted.calls;
      host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: { store: counted.target, exempt, onEvent: (event) => void events.push(event) },
      });
      await host.twoFactor.ready;
      calls.length = 0;
    });
    afterEach(async () => {
      await host.twoFactor.close();
      await store.close?.();
    });

    describe('the guard', () => {
      test('a boolean `true` passes as before, with no store call at all', async () => {
        await host.twoFactor.blockClients(alice.id, true); // blocks named clients only
        calls.length = 0;
        const res = await request(host.app).get('/api/me').set(token('test'));
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ ok: true });
        expect(calls).toEqual([]);
      });

      test('a named client of a user who blocks nothing passes, for one read of user and account settings', async () => {
        const res = await request(host.app).get('/api/me').set(token('alice'));
        expect(res.status).toBe(200);
        expect(res.headers['set-cookie']).toBeUndefined();
        expect(calls.sort()).toEqual(['ensureAccountSettings', 'getUserSettings']);
        expect(events.filter((e) => e.type === 'client.blocked')).toEqual([]);
      });

      test('the user blocks clients: 403 JSON for an API client, a 403 page for a browser; other users unaffected', async () => {
        await host.twoFactor.blockClients(alice.id, true);
        for (const accept of [{}, JSON_ACCEPT, { Accept: '*/*' }]) {
          const res = await request(host.app).get('/api/me').set(token('alice')).set(accept);
          expect(res.status).toBe(403);
          expect(res.type).toBe('application/json');
          expect(res.body).toEqual({
            error: 'two_factor_client_blocked',
            blockedBy: 'user',
            message: expect.stringContaining('you blocked apps'),
          });
          expect(res.headers['set-cookie']).toBeUndefined();
        }
        const page = await request(host.app).get('/api/me').set(token('alice')).set(HTML);
        expect(page.status).toBe(403);
        expect(page.type).toBe('text/html');
        expect(page.text).toContain('This app is blocked');
        expect(page.text).toContain('href="/2fa/settings"');
        expect(page.headers['content-security-policy']).toContain("default-src 'none'");
        // Not the host's route that answered: the library refused before it.
        expect(page.text).not.toContain('"ok"');
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(200);
        expect(events.filter((e) => e.type === 'client.blocked')).toContainEqual(
          expect.objectContaining({ userId: alice.id, client: 'api', blockedBy: 'user' }),
        );
        // No secret in the event: the token is nowhere in it.
        expect(JSON.stringify(events)).not.toContain('alice-token');
        // Allowed again: through.
        await host.twoFactor.blockClients(alice.id, false);
        expect((await request(host.app).get('/api/me').set(token('alice'))).status).toBe(200);
      });

      test('the account blocks clients, also once its enforcement is remembered; switching it off lets them in again', async () => {
        await host.twoFactor.enforceAccount('acme');
        // Enforcement is now remembered in the process: a later block must still be read.
        expect((await request(host.app).get('/api/me').set(token('alice'))).status).toBe(200);
        const block = await request(host.app).put('/admin/2fa/account/clients').set('X-Admin-Account', 'acme').send({ blocked: true });
        expect(block.status).toBe(200);
        expect(block.body).toEqual({ enforced: true, enforcedAt: expect.any(Number), blockClients: true, sessionPolicy: false });
        const res = await request(host.app).get('/api/me').set(token('alice'));
        expect(res.status).toBe(403);
        expect(res.body).toMatchObject({ error: 'two_factor_client_blocked', blockedBy: 'account' });
        // A browser gets the page, without a settings link the user could do nothing with.
        const page = await request(host.app).get('/api/me').set(token('alice')).set(HTML);
        expect(page.status).toBe(403);
        expect(page.text).toContain('your organisation blocks');
        expect(page.text).not.toContain('href="/2fa/settings"');
        // Another account is not affected.
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(200);
        expect((await request(host.app).get('/admin/2fa/account').set('X-Admin-Account', 'acme')).body).toMatchObject({
          enforced: true,
          blockClients: true,
        });
        const allow = await request(host.app).put('/admin/2fa/account/clients').set('X-Admin-Account', 'acme').send({ blocked: false });
        expect(allow.body).toMatchObject({ enforced: true, blockClients: false });
        expect((await request(host.app).get('/api/me').set(token('alice'))).status).toBe(200);
        expect(events.filter((e) => e.type === 'account.clients-switched')).toEqual([
          expect.objectContaining({ accountId: 'acme', blocked: true, by: { kind: 'admin', adminId: 'test-admin' } }),
          expect.objectContaining({ accountId: 'acme', blocked: false }),
        ]);
      });

      test('a client naming a user the user adapter does not know is never let through', async () => {
        const res = await request(host.app).get('/api/me').set(token('ghost'));
        expect(res.status).toBe(500);
        expect(res.text).not.toContain('"ok"');
      });
    });

    describe('passwordVerified', () => {
      test('a named client signing in as a user who blocks clients gets the 403, or { status: "blocked" } with respond: false', async () => {
        const app = express();
        app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
        app.post('/api/login/:user', async (req, res) => {
          const user = Object.values(TEST_USERS).find((u) => u.id === req.params.user)!;
          const respond = req.query.respond !== 'false';
          const outcome = await host.twoFactor.passwordVerified(req, res, user.id, { respond });
          if (!res.headersSent) res.json(outcome);
        });
        await host.twoFactor.blockClients(alice.id, true);
        const refused = await request(app).post(`/api/login/${alice.id}`).set(token('alice'));
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ error: 'two_factor_client_blocked', blockedBy: 'user' });
        expect(refused.headers['set-cookie']).toBeUndefined();
        const outcome = await request(app).post(`/api/login/${alice.id}?respond=false`).set(token('alice'));
        expect(outcome.body).toEqual({ status: 'blocked', blockedBy: 'user' });
        // The user whose password was verified decides, whoever the token names.
        expect((await request(app).post(`/api/login/${alice.id}?respond=false`).set(token('dan'))).body).toEqual({
          status: 'blocked',
          blockedBy: 'user',
        });
        expect((await request(app).post(`/api/login/${dan.id}?respond=false`).set(token('alice'))).body).toEqual({ status: 'exempt' });
        // A boolean `true` is exempt as before, without reading anything.
        calls.length = 0;
        expect((await request(app).post(`/api/login/${alice.id}?respond=false`).set(token('test'))).body).toEqual({ status: 'exempt' });
        expect(calls).toEqual([]);
      });
    });

    describe('the settings page', () => {
      type Agent = ReturnType<typeof request.agent>;

      /** dan (2FA off) signs in without a code: a fully verified session. */
      async function signInDan(): Promise<{ agent: Agent; csrf: string }> {
        const agent = request.agent(host.app);
        expect((await agent.post('/login').type('form').send({ email: dan.email, password: 'right' })).headers.location).toBe('/');
        return { agent, csrf: csrfFrom((await agent.get('/2fa/settings')).text) };
      }

      test('blocking needs no code; allowing again waits for the re-authentication code', async () => {
        const { agent, csrf } = await signInDan();
        expect((await agent.get('/2fa/settings')).text).toContain('Block these apps');
        const codes = () => smtp.messages.filter((m) => m.to.includes(dan.email) && /^\d{6} /.test(m.subject)).length;
        const sentBefore = codes();
        expect((await agent.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: '1' })).status).toBe(303);
        expect(codes()).toBe(sentBefore);
        expect((await store.getUserSettings(dan.id))?.blockClients).toBe(true);
        expect((await agent.get('/2fa/settings')).text).toContain('Allow these apps again');
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(403);
        expect((await smtp.nextNotice(dan.email)).subject).toMatch(/are blocked/);

        // Allowing them again: nothing changes until the code comes back.
        expect((await agent.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: '0' })).status).toBe(303);
        expect((await store.getUserSettings(dan.id))?.blockClients).toBe(true);
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(403);
        const wrong = await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: '000000' });
        expect(wrong.status).toBe(400);
        expect((await store.getUserSettings(dan.id))?.blockClients).toBe(true);
        const code = await smtp.nextCode(dan.email);
        expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
        expect((await store.getUserSettings(dan.id))?.blockClients).toBe(false);
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(200);
        expect((await smtp.nextNotice(dan.email)).subject).toMatch(/can reach/);
        expect(events.filter((e) => e.type === 'clients.switched')).toEqual([
          expect.objectContaining({ userId: dan.id, blocked: true, by: { kind: 'user' } }),
          expect.objectContaining({ userId: dan.id, blocked: false, by: { kind: 'user' } }),
        ]);
      });

      test('without the code nothing is allowed again: a bad value is a 400, no CSRF token a 403, a cancelled re-authentication changes nothing', async () => {
        await host.twoFactor.blockClients(dan.id, true);
        const { agent, csrf } = await signInDan();
        expect((await agent.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: 'no' })).status).toBe(400);
        expect((await agent.post('/2fa/settings/clients').type('form').send({ blocked: '0' })).status).toBe(403);
        await agent.post('/2fa/settings/clients').type('form').send({ _csrf: csrf, blocked: '0' });
        // Cancelling the pending re-authentication leaves the block in place.
        await agent.post('/2fa/settings/cancel').type('form').send({ _csrf: csrf });
        expect((await store.getUserSettings(dan.id))?.blockClients).toBe(true);
        expect((await request(host.app).get('/api/me').set(token('dan'))).status).toBe(403);
      });

      test('when the account blocks them, the page says so and has no switch', async () => {
        await host.twoFactor.admin('globex').blockAccountClients(true);
        const { agent } = await signInDan();
        const page = (await agent.get('/2fa/settings')).text;
        expect(page).toContain('Your organisation blocks them for every user.');
        expect(page).not.toContain('/2fa/settings/clients');
      });
    });

    describe('admins', () => {
      test('switch a user of their own account; another account’s user is a 403 either way', async () => {
        const on = await request(host.app)
          .put(`/admin/2fa/users/${alice.id}/clients`)
          .set('X-Admin-Account', 'acme')
          .send({ blocked: true });
        expect(on.status).toBe(200);
        expect(on.body).toMatchObject({ userId: alice.id, blockClients: true });
        expect((await request(host.app).get('/api/me').set(token('alice'))).status).toBe(403);
        expect((await request(host.app).get(`/admin/2fa/users/${alice.id}`).set('X-Admin-Account', 'acme')).body).toMatchObject({
          blockClients: true,
        });
        expect((await smtp.nextNotice(alice.email)).subject).toMatch(/are blocked/);
        expect(events).toContainEqual(
          expect.objectContaining({
            type: 'clients.switched',
            userId: alice.id,
            blocked: true,
            by: { kind: 'admin', adminId: 'test-admin' },
          }),
        );

        const crossAccount = await request(host.app)
          .put(`/admin/2fa/users/${alice.id}/clients`)
          .set('X-Admin-Account', 'globex')
          .send({ blocked: false });
        expect(crossAccount.status).toBe(403);
        expect(
          (await request(host.app).put('/admin/2fa/users/u-nobody/clients').set('X-Admin-Account', 'globex').send({ blocked: false }))
            .status,
        ).toBe(403);
        expect((await store.getUserSettings(alice.id))?.blockClients).toBe(true);

        const bad = await request(host.app)
          .put(`/admin/2fa/users/${alice.id}/clients`)
          .set('X-Admin-Account', 'acme')
          .send({ blocked: 'no' });
        expect(bad.status).toBe(400);
        const form = await request(host.app)
          .put(`/admin/2fa/users/${alice.id}/clients`)
          .set('X-Admin-Account', 'acme')
          .type('form')
          .send({ blocked: 'false' });
        expect(form.status).toBe(400);
        expect((await store.getUserSettings(alice.id))?.blockClients).toBe(true);
      });
    });
  });
});

describe.each(EXPRESS_VERSIONS)('when the settings cannot be read (%s)', (_name, express) => {
  test('Redis paused (SIGSTOP): a named client gets a 503 within storeTimeoutMs, never through; a boolean one still passes', async () => {
    const client = redis.client();
    const host = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: { store: new RedisStore({ client, prefix: `pause${Date.now()}:` }), exempt, storeTimeoutMs: 300 },
    });
    await host.twoFactor.ready;
    const pid = Number(/process_id:(\d+)/.exec(await client.info('server'))![1]);
    process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const res = await request(host.app).get('/api/me').set(token('alice'));
      const elapsed = Date.now() - started;
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ error: 'temporarily_unavailable', message: expect.any(String) });
      expect(res.headers['retry-after']).toBe('30');
      expect(elapsed).toBeLessThan(2_000);
      const page = await request(host.app).get('/api/me').set(token('alice')).set(HTML);
      expect(page.status).toBe(503);
      expect(page.type).toBe('text/html');
      expect((await request(host.app).get('/api/me').set(token('test'))).status).toBe(200);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await host.twoFactor.close();
  });

  test('a store refused at start-up (a Redis that may evict the settings): 503, never through', async () => {
    const evicting = await startRedis(['--maxmemory-policy', 'allkeys-lru']);
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const host = createTestApp({ express, smtpUrl: smtp.url, options: { store: new RedisStore({ client: evicting.client() }), exempt } });
      await expect(host.twoFactor.ready).rejects.toThrow(/maxmemory-policy allkeys-lru/);
      // The guard alone (no router in front, which answers 503 to everything until ready).
      const app = express();
      app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
      app.use(host.twoFactor.guard);
      app.get('/api/me', (_req, res) => void res.json({ ok: true }));
      const res = await request(app).get('/api/me').set(token('alice'));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'temporarily_unavailable' });
      expect((await request(app).get('/api/me').set(token('test'))).status).toBe(200);
      await host.twoFactor.close();
    } finally {
      errors.mockRestore();
      await evicting.stop();
    }
  });

  test('a durable store that fails: 503, never through', async () => {
    const durableStore: DurableStore = {
      ...mapDurableStore(),
      getUserSettings: async () => {
        throw new Error('database is down');
      },
    };
    const host = createTestApp({ express, smtpUrl: smtp.url, options: { durableStore, exempt } });
    const res = await request(host.app).get('/api/me').set(token('alice'));
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ error: 'temporarily_unavailable' });
    await host.twoFactor.close();
  });
});

describe('host adapters and `exempt`', () => {
  test('an adapter that drops `blockClients` makes the switch fail loudly instead of claiming a block', async () => {
    const base = mapDurableStore();
    // Written before the field existed: it copies only the fields it knows.
    const durableStore: DurableStore = {
      ...base,
      updateUserSettings: async (userId, { enabled, method, phone }, defaults) =>
        base.updateUserSettings(userId, { enabled, method, phone }, defaults),
    };
    const { updateAccountSettings: _optional, ...required } = durableStore;
    const twoFactor = deviceTwoFactor({ secret: TEST_SECRET, users: { find: async () => alice }, durableStore, development: true, exempt });
    await expect(twoFactor.blockClients(alice.id, true)).rejects.toThrow(/did not return the `blockClients`/);
    await expect(twoFactor.blockClients(alice.id, true)).rejects.toMatchObject({ code: 'ERR_2FA_ADAPTER_DROPPED_FIELD' });
    // Without updateAccountSettings the account switch says what is missing.
    const old = deviceTwoFactor({ secret: TEST_SECRET, users: { find: async () => alice }, durableStore: required, development: true });
    await expect(old.admin('acme').blockAccountClients(true)).rejects.toThrow(/needs `updateAccountSettings/);
    await expect(old.admin('acme').blockAccountClients(true)).rejects.toMatchObject({ code: 'ERR_2FA_ADAPTER_INCOMPLETE' });
    await expect(twoFactor.blockClients(alice.id, 'yes' as unknown as boolean)).rejects.toThrow(InvalidArgumentError);
    await Promise.all([twoFactor.close(), old.close()]);
  });

  test.each(EXPRESS_VERSIONS)(
    'an `exempt` answer that is neither a boolean nor { userId } is an error, never a pass (%s)',
    async (_name, express) => {
      const host = createTestApp({
        express,
        smtpUrl: smtp.url,
        options: { exempt: () => ({ id: 'u-alice' }) as unknown as ExemptVerdict },
      });
      const errors: unknown[] = [];
      host.app.use((error: unknown, _req: unknown, res: { status(n: number): { end(): void } }, _next: unknown) => {
        errors.push(error);
        res.status(500).end();
      });
      const res = await request(host.app).get('/api/me');
      expect(res.status).toBe(500);
      expect(String(errors[0])).toMatch(/`exempt` returned an object/);
      expect(errors[0]).toMatchObject({ code: 'ERR_2FA_BAD_EXEMPT_VERDICT' });
      await host.twoFactor.close();
    },
  );

  test('a truthy non-object answer from a JavaScript `exempt` still passes untouched, as it always did', async () => {
    const host = createTestApp({ smtpUrl: smtp.url, options: { exempt: (req) => req.headers.authorization as unknown as boolean } });
    expect((await request(host.app).get('/api/me').set(token('test'))).status).toBe(200);
    await host.twoFactor.close();
  });

  test('settings written before the field existed read as "not blocked"', async () => {
    const store = new MemoryStore();
    const { blockClients: _absent, ...before } = DEFAULT_USER_SETTINGS;
    await store.updateUserSettings(alice.id, { enabled: true }, before);
    const host = createTestApp({ smtpUrl: smtp.url, options: { store, exempt } });
    expect((await request(host.app).get('/api/me').set(token('alice'))).status).toBe(200);
    await host.twoFactor.close();
    await store.close();
  });
});
