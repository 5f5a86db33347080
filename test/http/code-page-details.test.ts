/**
 * The code pages say, without script, when the code expires and when a new one can be asked for:
 * rendered from numbers the flow keeps on its step (the send's expiry, the resend wait, a send
 * limit's end), as of the page's own clock, on the sign-in page, the phone code page and a
 * re-authentication. And a field says aria-invalid when what was typed in it was refused, never
 * because a send failed or must wait.
 */
import request from 'supertest';
import { MemoryStore } from '../../src';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { readState } from '../../src/http/session-state';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { createTestApp, csrfFrom, TEST_USERS, type TestApp } from '../helpers/test-app';

const { smtp, twilio } = messagingServices();
const CAROL_PHONE = '+14155550100';

type Agent = ReturnType<typeof request.agent>;

let host: TestApp;
let store: MemoryStore;
let now: number;

function build(options: Parameters<typeof createTestApp>[0]['options'] = {}): TestApp {
  return createTestApp({
    smtpUrl: smtp.url,
    options: {
      store,
      now: () => now,
      twilio: { ...TWILIO_ACCOUNT, apiUrl: twilio.url },
      allowWhilePending: ['/login', '/step'],
      ...options,
    },
    // What the library keeps in the session for the step under way.
    hostRoutes: (app) => app.get('/step', (req, res) => void res.json(readState(req)?.flow ?? null)),
  });
}

beforeEach(async () => {
  smtp.drain();
  twilio.drain();
  now = Date.UTC(2026, 10, 23, 10, 30, 0);
  store = new MemoryStore();
  await store.updateUserSettings(TEST_USERS.carol!.id, { enabled: true, method: 'sms' }, DEFAULT_USER_SETTINGS);
  host = build();
  await host.twoFactor.enforceAccount('acme');
});
afterEach(async () => {
  await host.twoFactor.close();
  await store.close();
});

/** The sentence(s) under the code field, tags dropped. */
async function note(agent: Agent, path = '/2fa'): Promise<string | undefined> {
  const page = (await agent.get(path)).text;
  return /<p class="hint" id="code-note">([\s\S]*?)<\/p>/.exec(page)?.[1]?.replace(/<[^>]+>/g, '');
}

const at = (hh: number, mm: number, ss = 0) => Date.UTC(2026, 10, 23, hh, mm, ss);

async function login(email: string): Promise<Agent> {
  const agent = request.agent(host.app);
  await agent.post('/login').type('form').send({ email, password: 'right' });
  return agent;
}

describe('the sign-in page', () => {
  test('says when the code expires and when the next can be asked for; a resend moves both; later only the expiry, then "expired"', async () => {
    await host.twoFactor.close();
    host = build({ pendingTtlMs: 30 * 60_000 });
    const alice = await login('alice@acme.test');
    await smtp.nextCode('alice@acme.test');
    expect(await note(alice)).toBe('The code expires at 10:40 UTC. You can ask for a new code at 10:31 UTC.');
    now = at(10, 30, 40);
    expect(await note(alice)).toBe('The code expires at 10:40 UTC.');

    now = at(10, 35, 10);
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    expect((await alice.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    await smtp.nextCode('alice@acme.test');
    // 10:35:40 rounded up: the page never names a minute in which the send is still refused.
    expect(await note(alice)).toBe('The code expires at 10:45 UTC. You can ask for a new code at 10:36 UTC.');
    // Asked again too soon: refused, and the page says the same time.
    expect((await alice.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(429);
    expect(await note(alice)).toBe('The code expires at 10:45 UTC. You can ask for a new code at 10:36 UTC.');

    now = at(10, 45, 11);
    expect(await note(alice)).toBe('The code expired at 10:45 UTC.');
  });

  test('the user’s send quota used up: the page names the time its window has room again', async () => {
    await host.twoFactor.close();
    host = build({ sendQuota: [{ windowMs: 15 * 60_000, max: 2 }], resendWaitMs: 0, pendingTtlMs: 30 * 60_000 });
    const alice = await login('alice@acme.test');
    await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    now = at(10, 31);
    expect((await alice.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    await smtp.nextCode('alice@acme.test');
    expect(await note(alice)).toBe('The code expires at 10:41 UTC.');
    now = at(10, 32);
    const refused = await alice.post('/2fa/resend').type('form').send({ _csrf: csrf });
    expect(refused.status).toBe(429);
    // The first send (10:30) leaves the window at 10:45; the code of 10:31 still stands.
    expect(await note(alice)).toBe('The code expires at 10:41 UTC. You can ask for a new code at 10:45 UTC.');
  });

  test('a code that outlives the sign-in: the page names the end of the sign-in, after which no code is taken', async () => {
    const alice = await login('alice@acme.test');
    await smtp.nextCode('alice@acme.test');
    now = at(10, 35, 10);
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    expect((await alice.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    await smtp.nextCode('alice@acme.test');
    // The new code lives until 10:45:10, the sign-in (pendingTtlMs, 10 min) until 10:40.
    expect(await note(alice)).toBe('The code expires at 10:40 UTC. You can ask for a new code at 10:36 UTC.');
  });

  test('the step keeps numbers only: the page words them when it renders', async () => {
    const alice = await login('alice@acme.test');
    const step = (await alice.get('/step')).body as Record<string, unknown>;
    expect(step).toMatchObject({ step: 'prove', codeExpiresAt: at(10, 40), resendAt: at(10, 30, 30) });
    expect(JSON.stringify(step)).not.toMatch(/UTC|expires|10:40/);
  });
});

describe('the phone code page and a re-authentication', () => {
  test('carol adds a first phone: its code page says the same, from the enrolment code’s send', async () => {
    await host.twoFactor.close();
    host = build({ phoneEnrolmentProof: 'none', pendingTtlMs: 30 * 60_000 });
    const carol = await login('carol@globex.test');
    now = at(10, 31, 15);
    const csrf = csrfFrom((await carol.get('/2fa')).text);
    expect((await carol.post('/2fa/phone').type('form').send({ _csrf: csrf, phone: CAROL_PHONE, method: 'sms' })).status).toBe(303);
    await twilio.nextSms(CAROL_PHONE);
    expect(await note(carol)).toBe('The code expires at 10:41 UTC. You can ask for a new code at 10:32 UTC.');
    now = at(10, 33);
    expect((await carol.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303);
    await twilio.nextSms(CAROL_PHONE);
    expect(await note(carol)).toBe('The code expires at 10:43 UTC. You can ask for a new code at 10:34 UTC.');
  });

  test('a signed-in user’s re-authentication before new recovery codes', async () => {
    const alice = await login('alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    expect((await alice.post('/2fa/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
    now = at(10, 50);
    const settingsCsrf = csrfFrom((await alice.get('/2fa/settings')).text);
    expect((await alice.post('/2fa/settings/recovery-codes').type('form').send({ _csrf: settingsCsrf })).status).toBe(303);
    await smtp.nextCode('alice@acme.test');
    expect(await note(alice, '/2fa/settings')).toBe('The code expires at 11:00 UTC. You can ask for a new code at 10:51 UTC.');
  });
});

describe('aria-invalid', () => {
  const codeInput = (page: string) => /<input class="code-input"[^>]*>/.exec(page)?.[0] ?? '';
  const recoveryInput = (page: string) => /<input [^>]*name="recoveryCode"[^>]*>/.exec(page)?.[0] ?? '';

  test('a wrong code marks the code field; a resend that must wait marks nothing (before: the code field too)', async () => {
    const alice = await login('alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    const wrong = await alice
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: csrf, code: code === '000000' ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(codeInput(wrong.text)).toContain('aria-invalid="true"');
    expect(codeInput(wrong.text)).toContain('aria-describedby="notice code-note"');

    const waits = await alice.post('/2fa/resend').type('form').send({ _csrf: csrf });
    expect(waits.status).toBe(429);
    expect(waits.text).toContain('Please wait');
    expect(codeInput(waits.text)).not.toContain('aria-invalid');
    // The notice still explains the field's state.
    expect(codeInput(waits.text)).toContain('aria-describedby="notice code-note"');
  });

  test('a wrong recovery code marks the recovery field, not the code field', async () => {
    const alice = await login('alice@acme.test');
    await smtp.nextCode('alice@acme.test');
    const csrf = csrfFrom((await alice.get('/2fa')).text);
    const wrong = await alice.post('/2fa/recovery').type('form').send({ _csrf: csrf, recoveryCode: 'aaaaa-bbbbb' });
    expect(wrong.status).toBe(400);
    expect(recoveryInput(wrong.text)).toContain('aria-invalid="true"');
    expect(codeInput(wrong.text)).not.toContain('aria-invalid');
  });
});
