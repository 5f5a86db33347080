/**
 * The authenticator app through HTTP, on Express 4 and 5: alice sets one up from the settings page
 * (behind the re-authentication step), makes it her preferred method and signs in with it from a new
 * browser; then the attacks that go through the pages (a replayed code, a tampered stored secret,
 * parallel guesses) and removal.
 */
import session from 'express-session';
import { Secret, TOTP } from 'otpauth';
import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../../src';
import { DEFAULT_USER_SETTINGS } from '../../../src/core/policy';
import { Sealer } from '../../../src/core/sealing';
import { TOTP_PARAMETERS } from '../../../src/methods/totp/method';
import { en as TOTP_STRINGS } from '../../../src/methods/totp/strings';

const ENROLMENT_STRINGS = TOTP_STRINGS.enrolment;
import { messagingServices } from '../../helpers/messaging';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../../helpers/test-app';

const { smtp } = messagingServices();
const STEP = 30_000;
const ALICE = TEST_USERS.alice!;

type Agent = ReturnType<typeof request.agent>;

function codeAt(secret: string, at: number): string {
  return TOTP.generate({ ...TOTP_PARAMETERS, secret: Secret.fromBase32(secret), timestamp: at });
}

describe.each(EXPRESS_VERSIONS)('the authenticator app on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let sessions: session.MemoryStore;
  let events: TwoFactorEvent[];
  /** The library's clock: the real one, moved on a step between uses of codes. */
  let offset: number;
  const now = () => Date.now() + offset;

  beforeEach(async () => {
    smtp.drain();
    events = [];
    offset = 0;
    store = new MemoryStore();
    sessions = new session.MemoryStore();
    host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      sessionStore: sessions,
      options: { store, now, onEvent: (event) => void events.push(event) },
    });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  async function login(): Promise<{ agent: Agent; location: string }> {
    const agent = request.agent(host.app);
    const response = await agent.post('/login').type('form').send({ email: ALICE.email, password: 'right' });
    return { agent, location: response.headers.location as string };
  }

  /** Signs alice in with an email code. */
  async function signedIn(): Promise<Agent> {
    const { agent } = await login();
    const csrf = csrfFrom((await agent.get('/2fa')).text);
    const code = await smtp.nextCode(ALICE.email);
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code })).headers.location).toBe('/');
    return agent;
  }

  function allSessions(): Promise<string> {
    return new Promise((resolve, reject) => sessions.all((error, all) => (error ? reject(error) : resolve(JSON.stringify(all)))));
  }

  /** Alice with an authenticator app stored directly (sealed as the library seals it), preferred. */
  async function aliceWithApp(): Promise<string> {
    const secret = new Secret({ size: 20 }).base32;
    const data = new Sealer(TEST_SECRET).seal(secret, `totp:${ALICE.id}`);
    await store.putCredential(ALICE.id, { id: 'c1', method: 'totp', label: 'Phone', createdAt: now(), lastUsedAt: null, data });
    await store.updateUserSettings(ALICE.id, { enabled: true, method: 'totp', enrolled: ['totp'] }, DEFAULT_USER_SETTINGS);
    return secret;
  }

  /** The browser's sign-in is still waiting for its second factor: the app stays out of reach. */
  async function expectStillPending(agent: Agent): Promise<void> {
    const dashboard = await agent.get('/').set('Accept', 'text/html');
    expect(dashboard.status).toBe(303);
    expect(dashboard.headers.location).toBe('/2fa');
  }

  /** A new browser at the code step, with its form's token. */
  async function atCodeStep(): Promise<{ agent: Agent; csrf: string; page: string }> {
    const { agent, location } = await login();
    expect(location).toBe('/2fa');
    const page = (await agent.get('/2fa')).text;
    return { agent, csrf: csrfFrom(page), page };
  }

  test('alice sets it up behind the re-authentication step, makes it her method, and signs in with it from a new browser', async () => {
    const agent = await signedIn();
    let csrf = csrfFrom((await agent.get('/2fa/settings')).text);
    expect((await agent.get('/2fa/settings')).text).toContain(ENROLMENT_STRINGS.add);

    // Re-authentication first (a code by email), then the set-up page.
    expect((await agent.post('/2fa/settings/methods/add').type('form').send({ _csrf: csrf, method: 'totp' })).status).toBe(303);
    expect((await agent.get('/2fa/settings')).text).toContain('First, confirm it’s you');
    const reauth = await smtp.nextCode(ALICE.email);
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth })).status).toBe(303);
    const setup = await agent.get('/2fa/settings');
    expect(setup.status).toBe(200);
    expect(setup.headers['content-security-policy']).toContain("default-src 'none'");
    expect(setup.headers['cache-control']).toContain('no-store');
    expect(setup.text).toMatch(/<div class="qr" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(setup.text).not.toMatch(/<script/i);
    const key = /<p class="secret-key" translate="no">([A-Z2-7 ]+)<\/p>/.exec(setup.text)?.[1]?.replace(/ /g, '') ?? '';
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    // While it is being set up, the session holds the key sealed only.
    expect(await allSessions()).not.toContain(key);

    // A wrong code: the page again, with the error, nothing stored.
    const wrong = await agent
      .post('/2fa/settings/enrol')
      .type('form')
      .send({ _csrf: csrf, code: codeAt(key, now() - 3 * STEP) });
    expect(wrong.status).toBe(400);
    expect(wrong.text).toContain(ENROLMENT_STRINGS.refused.wrong);
    expect(await store.listCredentials(ALICE.id, 'totp')).toEqual([]);

    const done = await agent
      .post('/2fa/settings/enrol')
      .type('form')
      .send({ _csrf: csrf, code: codeAt(key, now()), label: 'Work phone' });
    expect(done.status).toBe(303);
    const settings = (await agent.get('/2fa/settings')).text;
    expect(settings).toContain(ENROLMENT_STRINGS.added);
    expect(settings).toContain('Work phone');
    expect(settings).not.toContain(key);
    expect((await smtp.nextNotice(ALICE.email)).text).toContain('A new authenticator app was set up');
    expect(await allSessions()).not.toContain(key);
    expect(JSON.stringify(await store.listCredentials(ALICE.id, 'totp'))).not.toContain(key);

    // Her preferred method from now on (the re-authentication window is still open).
    csrf = csrfFrom(settings);
    expect((await agent.post('/2fa/settings/method').type('form').send({ _csrf: csrf, method: 'totp' })).status).toBe(303);
    expect((await agent.get('/2fa/settings')).text).toContain(TOTP_STRINGS.chosen);
    expect((await store.getUserSettings(ALICE.id))?.method).toBe('totp');

    // A new browser: the code page asks for the app's code and sends nothing.
    offset += STEP;
    const mails = smtp.messages.length;
    const fresh = await atCodeStep();
    expect(fresh.page).toContain(`<h1>${TOTP_STRINGS.heading}</h1>`);
    expect(fresh.page).toContain(TOTP_STRINGS.intro('<strong>Test Site</strong>'));
    expect(fresh.page).not.toContain('Send a new code');
    const signIn = await fresh.agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: fresh.csrf, code: codeAt(key, now()) });
    expect(signIn.headers.location).toBe('/');
    expect((await fresh.agent.get('/')).text).toBe(`Signed in as ${ALICE.email}`);
    expect(smtp.messages.slice(mails).filter((m) => /code/i.test(m.subject))).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(key);
  });

  test('ATTACK: the code that signed one browser in is refused in another (same step), and counted', async () => {
    const secret = await aliceWithApp();
    const code = codeAt(secret, now());
    const first = await atCodeStep();
    expect((await first.agent.post('/2fa/verify').type('form').send({ _csrf: first.csrf, code })).headers.location).toBe('/');
    const second = await atCodeStep();
    const replay = await second.agent.post('/2fa/verify').type('form').send({ _csrf: second.csrf, code });
    expect(replay.status).toBe(400);
    await expectStillPending(second.agent);
    expect((await store.getFailureState(ALICE.id, now())).failures).toBe(1);
  });

  test('ATTACK: a tampered stored secret (one byte flipped) makes the code wrong (400), never a 500', async () => {
    const secret = await aliceWithApp();
    const [credential] = await store.listCredentials(ALICE.id, 'totp');
    const data = credential!.data;
    const at = data.length - 5;
    await store.putCredential(ALICE.id, { ...credential!, data: data.slice(0, at) + (data[at] === 'A' ? 'B' : 'A') + data.slice(at + 1) });
    const { agent, csrf } = await atCodeStep();
    const answer = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: csrf, code: codeAt(secret, now()) });
    expect(answer.status).toBe(400);
    await expectStillPending(agent);
    expect((await store.getFailureState(ALICE.id, now())).failures).toBe(1);
  });

  test('ATTACK: 12 parallel wrong codes are all counted, and the right code is then refused while locked', async () => {
    const secret = await aliceWithApp();
    const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, now() + d * STEP)));
    const wrong = Array.from({ length: 12 }, (_, i) => String(100_000 + i * 7)).filter((c) => !valid.has(c));
    const browsers = await Promise.all(wrong.map(() => atCodeStep()));
    const answers = await Promise.all(
      browsers.map(({ agent, csrf }, i) => agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code: wrong[i] })),
    );
    for (const answer of answers) expect([400, 429]).toContain(answer.status);
    expect((await store.getFailureState(ALICE.id, now())).failures).toBe(wrong.length);
    const last = await atCodeStep();
    const right = await last.agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: last.csrf, code: codeAt(secret, now()) });
    expect(right.status).toBe(429);
    expect(right.text).toContain('Too many failed attempts');
    await expectStillPending(last.agent);
  });

  test('`methods: { totp: false }`: the settings page offers no authenticator app, and it is no method to choose', async () => {
    await host.twoFactor.close();
    host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      sessionStore: sessions,
      options: { store, now, methods: { totp: false } },
    });
    const agent = await signedIn();
    const page = (await agent.get('/2fa/settings')).text;
    expect(page).not.toContain(ENROLMENT_STRINGS.add);
    expect(page).not.toContain('value="totp"');
    const csrf = csrfFrom(page);
    expect((await agent.post('/2fa/settings/methods/add').type('form').send({ _csrf: csrf, method: 'totp' })).status).toBe(400);
  });

  test('malformed input is refused (400) and not counted', async () => {
    await aliceWithApp();
    const { agent, csrf } = await atCodeStep();
    for (const code of ['12345', 'abcdef', '1'.repeat(100)])
      expect((await agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code })).status).toBe(400);
    expect((await store.getFailureState(ALICE.id, now())).failures).toBe(0);
  });

  test('removing it takes a code from it first; then email is her method again', async () => {
    const secret = await aliceWithApp();
    const { agent, csrf } = await atCodeStep();
    expect(
      (
        await agent
          .post('/2fa/verify')
          .type('form')
          .send({ _csrf: csrf, code: codeAt(secret, now()) })
      ).headers.location,
    ).toBe('/');
    offset += STEP;
    const token = csrfFrom((await agent.get('/2fa/settings')).text);
    expect(
      (await agent.post('/2fa/settings/methods/remove').type('form').send({ _csrf: token, method: 'totp', credential: 'c1' })).status,
    ).toBe(303);
    const reauth = (await agent.get('/2fa/settings')).text;
    expect(reauth).toContain(TOTP_STRINGS.reauthIntro('<strong>Test Site</strong>'));
    expect(
      (
        await agent
          .post('/2fa/settings/verify')
          .type('form')
          .send({ _csrf: token, code: codeAt(secret, now()) })
      ).status,
    ).toBe(303);
    expect((await agent.get('/2fa/settings')).text).toContain(ENROLMENT_STRINGS.removed);
    expect(await store.listCredentials(ALICE.id, 'totp')).toEqual([]);
    expect(await store.getUserSettings(ALICE.id)).toMatchObject({ method: 'email', enrolled: [] });
    await atCodeStep();
    expect(await smtp.nextCode(ALICE.email)).toMatch(/^\d{6}$/);
  });
});
