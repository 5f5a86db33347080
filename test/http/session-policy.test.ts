/**
 * The session policy (issue #10, item 1): idle timeout, absolute lifetime and network binding,
 * enforced by the guard from what the session holds, with a controllable clock (`now`), on real
 * session stores (express-session's MemoryStore, connect-redis on a real redis-server). Also who
 * gets it (user, one-way account flag, new accounts) and what an ordinary request costs.
 */
import session from 'express-session';
import request from 'supertest';
import { MemoryStore, SessionPolicyIsOneWayError, type DeviceTwoFactorOptions, type TwoFactorEvent } from '../../src';
import { sessionStoreKinds, smtpAndRedis } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

const { smtp, client } = smtpAndRedis();

type Agent = ReturnType<typeof request.agent>;
const SESSION_STORES = sessionStoreKinds(client);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const ALICE = TEST_USERS.alice!;
const CAROL = TEST_USERS.carol!;
const DAN = TEST_USERS.dan!;

async function redisCommands(): Promise<Record<string, number>> {
  const stats = await client.info('commandstats');
  return Object.fromEntries([...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, name, calls]) => [name!, Number(calls)]));
}

describe.each(EXPRESS_VERSIONS)('%s', (_name, expressVersion) => {
  describe.each(SESSION_STORES)('sessions in %s', (storeName, makeSessionStore) => {
    let host: TestApp;
    let store: MemoryStore;
    let clock: number;
    let events: TwoFactorEvent[];

    async function start(options: Partial<DeviceTwoFactorOptions> = {}): Promise<void> {
      store = new MemoryStore();
      host = createTestApp({
        express: expressVersion,
        smtpUrl: smtp.url,
        sessionStore: makeSessionStore(),
        options: { store, now: () => clock, onEvent: (e) => void events.push(e), ...options },
      });
      host.app.set('trust proxy', true);
      await host.twoFactor.enforceAccount('acme');
    }
    beforeEach(async () => {
      smtp.drain();
      await client.flushall();
      events = [];
      clock = Date.now();
    });
    afterEach(async () => {
      await host.twoFactor.close();
      await store.close();
    });

    /** alice (acme: 2FA enforced) signs in with her emailed code. */
    async function alice(forwardedFor = '198.51.100.7'): Promise<Agent> {
      const agent = request.agent(host.app);
      await agent.post('/login').set('X-Forwarded-For', forwardedFor).type('form').send({ email: ALICE.email, password: 'right' });
      const code = await smtp.nextCode(ALICE.email);
      const page = await agent.get('/2fa').set('X-Forwarded-For', forwardedFor);
      const verified = await agent
        .post('/2fa/verify')
        .set('X-Forwarded-For', forwardedFor)
        .type('form')
        .send({ code, _csrf: csrfFrom(page.text) });
      expect(verified.status).toBe(303);
      return agent;
    }
    /** A globex user (2FA not required) signs in with the password alone. */
    async function globex(email: string): Promise<Agent> {
      const agent = request.agent(host.app);
      expect((await agent.post('/login').type('form').send({ email, password: 'right' })).status).toBe(303);
      return agent;
    }
    const home = (agent: Agent, forwardedFor = '198.51.100.7') => agent.get('/').set('X-Forwarded-For', forwardedFor);
    async function signedIn(agent: Agent, forwardedFor?: string): Promise<boolean> {
      const page = await home(agent, forwardedFor);
      if (page.status === 302) expect(page.headers.location).toBe('/login');
      return page.status === 200;
    }

    test('idle timeout: a session with no request for idleMs (+ the touch interval) is signed out; requests in time keep it', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice();
      // Requests 50 s apart keep it alive well past the first minute (the touch interval is 6 s).
      for (let i = 0; i < 4; i += 1) {
        clock += 50 * SECOND;
        expect(await signedIn(agent)).toBe(true);
      }
      clock += MINUTE + 6 * SECOND;
      expect(await signedIn(agent)).toBe(false);
      // Signed out for good, not only for that request: the session id changed and holds nothing.
      expect(await signedIn(agent)).toBe(false);
    });

    test('never ends a session early: the last request is at most one touch interval after the recorded one', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice();
      clock += 5 * SECOND; // within the touch interval: not written
      expect(await signedIn(agent)).toBe(true);
      clock += MINUTE; // a minute after the last request, 65 s after the recorded one
      expect(await signedIn(agent)).toBe(true);
    });

    test('absolute lifetime: an active session still ends absoluteMs after its sign-in', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND, absoluteMs: 5 * MINUTE } });
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice();
      for (let t = 30 * SECOND; t < 5 * MINUTE; t += 30 * SECOND) {
        clock += 30 * SECOND;
        expect(await signedIn(agent)).toBe(true);
      }
      clock += 30 * SECOND;
      expect(await signedIn(agent)).toBe(false);
    });

    test('bindNetwork: another IPv4 address or another IPv6 /64 ends the session; the same /64 keeps it', async () => {
      await start({ sessionPolicy: { bindNetwork: true } });
      await host.twoFactor.enableSessionPolicy('acme');
      const v6 = await alice('2001:db8:1:2::5');
      expect(await signedIn(v6, '2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe(true);
      expect(await signedIn(v6, '2001:db8:1:3::5')).toBe(false);
      expect(await signedIn(v6, '2001:db8:1:2::5')).toBe(false);
      const v4 = await alice('198.51.100.7');
      expect(await signedIn(v4, '198.51.100.7')).toBe(true);
      expect(await signedIn(v4, '198.51.100.8')).toBe(false);
    });

    test('without bindNetwork a change of address keeps the session', async () => {
      await start();
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice('198.51.100.7');
      expect(await signedIn(agent, '203.0.113.9')).toBe(true);
    });

    test('exempt requests are never timed out by it', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice();
      clock += 10 * MINUTE;
      const api = await agent.get('/api/me').set('Authorization', 'Bearer test-token');
      expect(api.status).toBe(200);
      expect(api.body).toEqual({ ok: true });
      // The exempt request neither ended nor touched the browser's session: it ends on its own next request.
      expect(await signedIn(agent)).toBe(false);
    });

    test('per user, both ways, from the next sign-in: carol has it, dan (same account) does not', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await expect(host.twoFactor.setSessionPolicy(CAROL.id, true)).resolves.toMatchObject({ sessionPolicy: true });
      const [carol, dan] = [await globex(CAROL.email), await globex(DAN.email)];
      clock += 2 * MINUTE;
      expect(await signedIn(carol)).toBe(false);
      expect(await signedIn(dan)).toBe(true);
      await host.twoFactor.setSessionPolicy(CAROL.id, false);
      const again = await globex(CAROL.email);
      clock += 2 * MINUTE;
      expect(await signedIn(again)).toBe(true);
      expect(events).toContainEqual(
        expect.objectContaining({ type: 'session-policy.switched', userId: CAROL.id, on: true, by: { kind: 'host' } }),
      );
    });

    test('per account, one-way: DELETE is a 409, `false` throws, and the store keeps it on whatever a patch says', async () => {
      await start();
      const admin = (req: request.Test) => req.set('X-Admin-Account', 'globex');
      const on = await admin(request(host.app).post('/admin/2fa/account/session-policy')).send({});
      expect(on.status).toBe(200);
      expect(on.body).toMatchObject({ sessionPolicy: true });
      const off = await admin(request(host.app).delete('/admin/2fa/account/session-policy'));
      expect(off.status).toBe(409);
      await expect(host.twoFactor.enableSessionPolicy('globex', false as unknown as true)).rejects.toBeInstanceOf(
        SessionPolicyIsOneWayError,
      );
      // The reversible update cannot carry it back to off.
      await store.updateAccountSettings('globex', { blockClients: true, sessionPolicy: false } as { blockClients: boolean }, {
        enforced: false,
        enforcedAt: null,
      });
      await expect(host.twoFactor.admin('globex').getAccount()).resolves.toMatchObject({ sessionPolicy: true, blockClients: true });
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'account.session-policy-enabled',
          accountId: 'globex',
          by: { kind: 'admin', adminId: 'test-admin' },
        }),
      );
    });

    test('switching it on for an account signs its users out once; their next sessions follow it', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      const [carol, dan, aliceAgent] = [await globex(CAROL.email), await globex(DAN.email), await alice()];
      await host.twoFactor.admin('globex').enableSessionPolicy();
      expect(await signedIn(carol)).toBe(false);
      expect(await signedIn(dan)).toBe(false);
      expect(await signedIn(aliceAgent)).toBe(true); // another account
      const carolAgain = await globex(CAROL.email);
      await host.twoFactor.admin('globex').enableSessionPolicy();
      expect(await signedIn(carolAgain)).toBe(true); // only once
      expect(events).toContainEqual(
        expect.objectContaining({
          type: 'account.session-policy-enabled',
          accountId: 'globex',
          signedOut: 2,
          by: { kind: 'admin', adminId: 'admin' },
        }),
      );
      clock += 2 * MINUTE;
      expect(await signedIn(carolAgain)).toBe(false);
    });

    test('sessionPolicy.forNewAccounts: an account first seen now starts with it on', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND, forNewAccounts: true } });
      const carol = await globex(CAROL.email);
      await expect(host.twoFactor.admin('globex').getAccount()).resolves.toMatchObject({ sessionPolicy: true });
      clock += 2 * MINUTE;
      expect(await signedIn(carol)).toBe(false);
    });

    test('an account remembered as enforced is read again at sign-in until its policy is known to be on (no stale "off")', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      // acme is enforced, so this process remembers it, with the policy still off.
      const first = await alice();
      clock += 2 * MINUTE;
      expect(await signedIn(first)).toBe(true);
      // Switched on behind this process's back (another instance, same store).
      await store.enableAccountSessionPolicy('acme', { enforced: false, enforcedAt: null });
      const second = await alice();
      clock += 2 * MINUTE;
      expect(await signedIn(second)).toBe(false);
    });

    async function statusOf(
      agent: Agent,
    ): Promise<{ active: boolean; endsInMs?: number; warningMs?: number; csrf?: string; loginPath?: string }> {
      const res = await agent.get('/2fa/session/status').set('X-Forwarded-For', '198.51.100.7');
      expect(res.status).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      return res.body;
    }

    test("the status endpoint says how long is left and does not count as activity; the library's own pages time out too", async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await host.twoFactor.enableSessionPolicy('acme');
      const agent = await alice();
      expect(await statusOf(agent)).toMatchObject({
        active: true,
        endsInMs: MINUTE + 6 * SECOND,
        warningMs: 10 * SECOND,
        loginPath: '/login',
        lang: 'en',
      });
      // The dialog's words, in the language of the page that asks.
      const german = await agent.get('/2fa/session/status').set('X-Forwarded-For', '198.51.100.7').set('Accept-Language', 'de-DE,de;q=0.9');
      expect(german.body).toMatchObject({
        lang: 'de',
        text: { heading: 'Ihre Sitzung endet gleich', endsInMinutes: { one: 'Ihre Sitzung endet in {n} Minute.' } },
      });
      // Asked every 20 s for two minutes: the session still ends on time.
      for (let i = 0; i < 3; i += 1) {
        clock += 20 * SECOND;
        const status = await statusOf(agent);
        expect(status).toMatchObject({ active: true, endsInMs: MINUTE + 6 * SECOND - (i + 1) * 20 * SECOND });
      }
      clock += 7 * SECOND;
      expect(await statusOf(agent)).toEqual({ active: false });
      expect((await agent.get('/2fa/settings').set('X-Forwarded-For', '198.51.100.7')).headers.location).toBe('/login');
      expect(await signedIn(agent)).toBe(false);
      // Without the policy (globex) the answer is "not active", never a timer.
      expect(await statusOf(await globex(CAROL.email))).toEqual({ active: false });
    });

    test('keep-alive records activity now (with the form token only); sign-out-everywhere ends this and the other browser', async () => {
      await start({ sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } });
      await host.twoFactor.enableSessionPolicy('acme');
      const [agent, other] = [await alice(), await alice()];
      const { csrf } = await statusOf(agent);
      clock += 55 * SECOND;
      expect(await signedIn(other)).toBe(true); // the other browser is in use too
      expect((await agent.post('/2fa/session/keep-alive').type('form').send({ _csrf: 'wrong' })).status).toBe(403);
      const kept = await agent.post('/2fa/session/keep-alive').set('X-Forwarded-For', '198.51.100.7').type('form').send({ _csrf: csrf });
      expect(kept.status).toBe(200);
      expect(kept.body).toEqual({ endsInMs: MINUTE + 6 * SECOND });
      clock += 50 * SECOND; // 105 s after sign-in, 50 s after the keep-alive
      expect(await signedIn(agent)).toBe(true);
      expect(await signedIn(other)).toBe(true);
      const { csrf: fresh } = await statusOf(agent);
      const out = await agent
        .post('/2fa/session/sign-out-everywhere')
        .set('X-Forwarded-For', '198.51.100.7')
        .type('form')
        .send({ _csrf: fresh });
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ signedOut: true, loginPath: '/login' });
      expect(await signedIn(agent)).toBe(false);
      expect(await signedIn(other)).toBe(false);
      expect(events).toContainEqual(expect.objectContaining({ type: 'sessions.ended', userId: ALICE.id, count: 2, by: { kind: 'user' } }));
      // Signed out: nothing more to keep alive.
      expect((await agent.post('/2fa/session/keep-alive').type('form').send({ _csrf: fresh })).status).toBe(401);
    });

    test('session.js: one static script for every language (its words come with the status), cacheable, typed and not sniffed', async () => {
      await start();
      const res = await request(host.app).get('/2fa/session.js');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
      expect(res.headers['cache-control']).toBe('public, max-age=3600');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.text).not.toContain('Your session is about to end');
      expect(res.text).toContain('status.text.heading');
      expect(res.text).toContain('"base":"/2fa"');
      expect(res.text).not.toMatch(/\beval\(|new Function|innerHTML/);
    });

    if (storeName === 'connect-redis on Redis') {
      test('an ordinary request adds no Redis command of the library; activity costs one session SET per touch interval', async () => {
        await start(); // default idle 15 min: the touch interval is a minute
        await host.twoFactor.enableSessionPolicy('acme');
        const agent = await alice();
        async function sent(): Promise<Record<string, number>> {
          const before = await redisCommands();
          expect(await signedIn(agent)).toBe(true);
          const after = await redisCommands();
          return Object.fromEntries(
            Object.entries(after)
              .filter(([name, calls]) => calls !== (before[name] ?? 0) && name !== 'info')
              .map(([name, calls]) => [name, calls - (before[name] ?? 0)]),
          );
        }
        // Within the minute: what express-session costs without the library (GET + touch).
        for (const step of [10, 20, 29]) {
          clock += step * SECOND;
          expect(await sent()).toEqual({ get: 1, expire: 1 });
        }
        clock += 2 * SECOND; // 61 s after sign-in
        expect(await sent()).toEqual({ get: 1, set: 1 });
        clock += 30 * SECOND;
        expect(await sent()).toEqual({ get: 1, expire: 1 });
      });
    }
  });
});

/**
 * express-session's MemoryStore whose destroy can be made to never answer (fault-injected, named as
 * such): regenerate() then waits for it forever. (A destroy that fails still yields a new session.)
 */
class DestroyHangsMemoryStore extends session.MemoryStore {
  hanging = false;
  override destroy(sid: string, callback?: (error?: unknown) => void): void {
    if (!this.hanging) super.destroy(sid, callback);
  }
}

describe.each(EXPRESS_VERSIONS)('%s, a session store that cannot regenerate', (_name, expressVersion) => {
  test('an ended session is still signed out (its state cleared) after storeTimeoutMs, never a hang or a 500', async () => {
    smtp.drain();
    let clock = Date.now();
    const store = new MemoryStore();
    const sessionStore = new DestroyHangsMemoryStore();
    const host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      sessionStore,
      options: { store, now: () => clock, storeTimeoutMs: 300, sessionPolicy: { idleMs: MINUTE, warningMs: 10 * SECOND } },
    });
    try {
      await host.twoFactor.setSessionPolicy(CAROL.id, true);
      const carol = request.agent(host.app);
      expect((await carol.post('/login').type('form').send({ email: CAROL.email, password: 'right' })).status).toBe(303);
      expect((await carol.get('/')).status).toBe(200);
      sessionStore.hanging = true;
      clock += 2 * MINUTE;
      const started = Date.now();
      const ended = await carol.get('/');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(ended.status).toBe(302);
      expect(ended.headers.location).toBe('/login');
      expect((await carol.get('/')).status).toBe(302);
    } finally {
      await host.twoFactor.close();
      await store.close();
    }
  });
});
