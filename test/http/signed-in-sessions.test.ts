/**
 * Signed-in sessions, listed and ended (issue #10, item 2): from the settings page, by an admin,
 * by the password-change hook and after a re-authentication, with the other browser's next request
 * proving it is signed out. Real session stores: express-session's MemoryStore, and connect-redis
 * on a real redis-server.
 */
import session from 'express-session';
import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../src';
import { sessionStoreKinds, smtpAndRedis } from '../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

const { smtp, client } = smtpAndRedis();

type Agent = ReturnType<typeof request.agent>;
const SESSION_STORES = sessionStoreKinds(client);
const ALICE = TEST_USERS.alice!;

describe.each(EXPRESS_VERSIONS)('%s', (_name, expressVersion) => {
  describe.each(SESSION_STORES)('sessions in %s', (_storeName, makeSessionStore) => {
    let host: TestApp;
    let store: MemoryStore;
    let sessionStore: session.Store;
    let events: TwoFactorEvent[];

    beforeEach(async () => {
      smtp.drain();
      await client.flushall();
      events = [];
      store = new MemoryStore();
      sessionStore = makeSessionStore();
      host = createTestApp({
        express: expressVersion,
        smtpUrl: smtp.url,
        sessionStore,
        options: { store, onEvent: (e) => void events.push(e) },
      });
      await host.twoFactor.enforceAccount('acme');
      // The host's password change: the library revokes trust and ends every other session.
      host.app.post('/password', async (req, res) => {
        await host.twoFactor.revokeAllDevices(host.twoFactor.verifiedUserId(req)!, { except: req });
        res.send('changed');
      });
      host.app.post('/logout', async (req, res) => {
        await host.twoFactor.signOut(req);
        res.send('out');
      });
    });
    afterEach(async () => {
      await host.twoFactor.close();
      await store.close();
    });

    /** alice signs in on a new browser with her emailed code. */
    async function aliceBrowser(userAgent: string): Promise<Agent> {
      const agent = request.agent(host.app);
      agent.set('User-Agent', userAgent);
      await agent.post('/login').type('form').send({ email: ALICE.email, password: 'right' });
      const code = await smtp.nextCode(ALICE.email);
      const verified = await agent
        .post('/2fa/verify')
        .type('form')
        .send({ code, _csrf: csrfFrom((await agent.get('/2fa')).text) });
      expect(verified.status).toBe(303);
      return agent;
    }
    const CHROME = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
    const SAFARI =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

    const signedIn = async (agent: Agent) => (await agent.get('/')).text === `Signed in as ${ALICE.email}`;

    test('the settings page lists them, this one marked; "sign out" ends the other browser’s session', async () => {
      const chrome = await aliceBrowser(CHROME);
      const firefox = await aliceBrowser(FIREFOX);
      const page = (await chrome.get('/2fa/settings')).text;
      expect(page).toContain('Where you’re signed in');
      expect(page).toMatch(/Chrome 131 \(Mac OS\) <span class="badge">This session<\/span>/);
      expect(page).toContain('Firefox 133 (Windows)');
      // Only handles reach the page, never a session id.
      const handles = [...page.matchAll(/name="session" value="([^"]+)"/g)].map((m) => m[1]!);
      expect(handles).toHaveLength(1);
      const rawIds = (await store.listSessions(ALICE.id, Date.now())).map((s) => s.id);
      for (const id of rawIds) expect(page).not.toContain(id);

      const ended = await chrome
        .post('/2fa/settings/sessions/end')
        .type('form')
        .send({ _csrf: csrfFrom(page), session: handles[0] });
      expect(ended.status).toBe(303);
      expect(await signedIn(firefox)).toBe(false);
      expect(await signedIn(chrome)).toBe(true);
      expect((await host.twoFactor.listSessions(ALICE.id)).map((s) => s.label)).toEqual(['Chrome 131 (Mac OS)']);
      expect(events.find((e) => e.type === 'sessions.ended')).toMatchObject({ userId: ALICE.id, count: 1, by: { kind: 'user' } });
    });

    test('"sign out all other sessions" keeps only this one', async () => {
      const chrome = await aliceBrowser(CHROME);
      const others = [await aliceBrowser(FIREFOX), await aliceBrowser(SAFARI)];
      const csrf = csrfFrom((await chrome.get('/2fa/settings')).text);
      await chrome.post('/2fa/settings/sessions/end-others').type('form').send({ _csrf: csrf });
      expect((await chrome.get('/2fa/settings')).text).toContain('2 other sessions are signed out.');
      for (const agent of others) expect(await signedIn(agent)).toBe(false);
      expect(await signedIn(chrome)).toBe(true);
    });

    test('an admin of the account lists them and signs the user out everywhere; another account’s admin cannot', async () => {
      const browsers = [await aliceBrowser(CHROME), await aliceBrowser(FIREFOX)];
      const listed = await request(host.app).get(`/admin/2fa/users/${ALICE.id}/sessions`).set('X-Admin-Account', 'acme');
      expect(listed.body.map((s: { label: string }) => s.label).sort()).toEqual(['Chrome 131 (Mac OS)', 'Firefox 133 (Windows)']);
      expect((await request(host.app).delete(`/admin/2fa/users/${ALICE.id}/sessions`).set('X-Admin-Account', 'globex')).status).toBe(403);
      for (const agent of browsers) expect(await signedIn(agent)).toBe(true);
      const ended = await request(host.app).delete(`/admin/2fa/users/${ALICE.id}/sessions`).set('X-Admin-Account', 'acme');
      expect(ended.body).toEqual({ ended: 2 });
      for (const agent of browsers) expect(await signedIn(agent)).toBe(false);
      expect(events.find((e) => e.type === 'sessions.ended')).toMatchObject({ count: 2, by: { kind: 'admin', adminId: 'test-admin' } });
    });

    test('the password-change hook ends every other session, and keeps the one that changed it', async () => {
      const chrome = await aliceBrowser(CHROME);
      const firefox = await aliceBrowser(FIREFOX);
      expect((await chrome.post('/password')).text).toBe('changed');
      expect(await signedIn(firefox)).toBe(false);
      expect(await signedIn(chrome)).toBe(true);
    });

    test('a fresh proof before a change signs out the other sessions unless unticked', async () => {
      const chrome = await aliceBrowser(CHROME);
      const firefox = await aliceBrowser(FIREFOX);
      let csrf = csrfFrom((await chrome.get('/2fa/settings')).text);
      await chrome.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      expect((await chrome.get('/2fa/settings')).text).toMatch(/name="endOthers" value="1" checked/);
      // Unticked: the other session stays.
      await chrome
        .post('/2fa/settings/verify')
        .type('form')
        .send({ _csrf: csrf, code: await smtp.nextCode(ALICE.email) });
      expect(await signedIn(firefox)).toBe(true);
      // The re-authenticated session (new id) is still listed, once.
      expect((await host.twoFactor.listSessions(ALICE.id)).filter((s) => s.label === 'Chrome 131 (Mac OS)')).toHaveLength(1);

      const safari = await aliceBrowser(SAFARI);
      csrf = csrfFrom((await safari.get('/2fa/settings')).text);
      await safari.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: csrf });
      await safari
        .post('/2fa/settings/verify')
        .type('form')
        .send({ _csrf: csrf, code: await smtp.nextCode(ALICE.email), endOthers: '1' });
      expect(await signedIn(firefox)).toBe(false);
      expect(await signedIn(chrome)).toBe(false);
      expect(await signedIn(safari)).toBe(true);
    });

    test('an index entry whose session is gone costs nothing and is cleaned up; signing out forgets it', async () => {
      const chrome = await aliceBrowser(CHROME);
      await aliceBrowser(FIREFOX);
      const [, firefoxEntry] = await store.listSessions(ALICE.id, Date.now());
      await new Promise<void>((resolve, reject) => sessionStore.destroy(firefoxEntry!.id, (error) => (error ? reject(error) : resolve())));
      expect((await host.twoFactor.listSessions(ALICE.id)).map((s) => s.label)).toEqual(['Chrome 131 (Mac OS)']);
      expect(await store.listSessions(ALICE.id, Date.now())).toHaveLength(1);
      expect(await signedIn(chrome)).toBe(true);
      expect((await chrome.post('/logout')).text).toBe('out');
      expect(await store.listSessions(ALICE.id, Date.now())).toEqual([]);
    });
  });
});

describe('a sign-in whose session cannot be indexed', () => {
  /** Fault injection on the real memory store: only the index write fails, as a store outage would. */
  class IndexFailingStore extends MemoryStore {
    override async putSession(): Promise<void> {
      throw new Error('index write refused');
    }
  }

  test('answers the 503 and leaves nobody signed in (the stored session is destroyed again)', async () => {
    smtp.drain();
    const store = new IndexFailingStore();
    const sessionStore = new session.MemoryStore();
    const host = createTestApp({ smtpUrl: smtp.url, sessionStore, options: { store } });
    try {
      const agent = request.agent(host.app);
      const login = await agent.post('/login').type('form').send({ email: 'dan@globex.test', password: 'right' });
      expect(login.status).toBe(503);
      expect((await agent.get('/')).text).not.toContain('Signed in');
      const stored = await new Promise<Record<string, unknown>>((resolve, reject) =>
        sessionStore.all((error, all) => (error ? reject(error) : resolve((all ?? {}) as Record<string, unknown>))),
      );
      expect(JSON.stringify(stored)).not.toContain('"status":"verified"');
    } finally {
      await host.twoFactor.close();
      await store.close();
    }
  });
});
