/**
 * A method that sends nothing can be the preferred one: the sign-in page then asks for it first and
 * no code goes out by email; the code methods stay offered as other ways. A preferred method the user
 * can no longer use (its last credential gone) falls back to one they can. Express 4 and 5.
 */
import request from 'supertest';
import { MemoryStore } from '../../src';
import { en as PASSKEY_STRINGS } from '../../src/methods/passkey/strings';
import { en as TOTP_STRINGS } from '../../src/methods/totp/strings';
import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { en as strings } from '../../src/views/strings';
import { messagingServices } from '../helpers/messaging';
import { createTestApp, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

const { smtp } = messagingServices();
const ALICE = TEST_USERS.alice!;

describe.each(EXPRESS_VERSIONS)('a preferred method that sends nothing, on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let seen: number;
  /** Codes mailed to alice since the test began (the delivery is awaited by the step; a moment covers the parse). */
  const codesMailed = async () => {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return smtp.messages.slice(seen).filter((m) => m.to.includes(ALICE.email) && /^\d{6} /.test(m.subject));
  };

  beforeEach(async () => {
    smtp.drain();
    seen = smtp.messages.length;
    store = new MemoryStore();
    host = createTestApp({
      express: expressVersion,
      smtpUrl: smtp.url,
      options: { store, methods: { passkey: { rpId: 'localhost', origins: ['http://localhost:3000'] } } },
    });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  async function signInPage(): Promise<string> {
    const agent = request.agent(host.app);
    const login = await agent.post('/login').type('form').send({ email: ALICE.email, password: 'right' });
    expect(login.headers.location).toBe('/2fa');
    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    return page.text;
  }

  const passkey = {
    id: 'cred-1',
    method: 'passkey',
    label: 'Laptop',
    createdAt: Date.now(),
    lastUsedAt: null,
    data: JSON.stringify({ publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['internal'], userHandle: 'dXNlcg' }),
  };

  test('a passkey: the page asks for it, sends no email, and offers email as another way', async () => {
    await store.putCredential(ALICE.id, passkey);
    await store.updateUserSettings(ALICE.id, { method: 'passkey', enrolled: ['passkey'] }, DEFAULT_USER_SETTINGS);
    const page = await signInPage();
    expect(page).toContain(`<h1>${PASSKEY_STRINGS.heading}</h1>`);
    expect(page).not.toContain('name="code"');
    expect(page).toContain(CHANNEL_STRINGS.email.switchTo);
    expect(await codesMailed()).toHaveLength(0);
  });

  test('an authenticator app: the page asks for its code, sends no email', async () => {
    await store.putCredential(ALICE.id, { ...passkey, id: 'app-1', method: 'totp', data: 'sealed' });
    await store.updateUserSettings(ALICE.id, { method: 'totp', enrolled: ['totp'] }, DEFAULT_USER_SETTINGS);
    const page = await signInPage();
    expect(page).toContain(`<h1>${TOTP_STRINGS.heading}</h1>`);
    expect(page).toContain('name="code"');
    // Nothing to send again; the code methods are still other ways.
    expect(page).not.toContain(strings.resendButton);
    expect(page).toContain(CHANNEL_STRINGS.email.switchTo);
    expect(await codesMailed()).toHaveLength(0);
  });

  test('a preferred method with nothing enrolled any more falls back to email', async () => {
    await store.updateUserSettings(ALICE.id, { method: 'totp', enrolled: [] }, DEFAULT_USER_SETTINGS);
    const page = await signInPage();
    expect(page).toContain(`<h1>${CHANNEL_STRINGS.email.heading}</h1>`);
    expect(await codesMailed()).toHaveLength(1);
  });
});
