/**
 * Users switch two-step verification on and off themselves from the settings page: on only after
 * proving the chosen method, off only after the re-authentication step, and never while the
 * account enforces it.
 */
import request from 'supertest';
import { MemoryStore, type TwoFactorEvent } from '../../src';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../helpers/test-app';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

type Agent = ReturnType<typeof request.agent>;

describe.each(EXPRESS_VERSIONS)('the user’s own switch on %s', (_name, expressVersion) => {
  let host: TestApp;
  let store: MemoryStore;
  let events: TwoFactorEvent[];

  beforeEach(async () => {
    smtp.drain();
    events = [];
    store = new MemoryStore();
    host = createTestApp({ express: expressVersion, smtpUrl: smtp.url, options: { store, onEvent: (event) => void events.push(event) } });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  async function login(email: string): Promise<{ agent: Agent; location: string }> {
    const agent = request.agent(host.app);
    const response = await agent.post('/login').type('form').send({ email, password: 'right' });
    return { agent, location: response.headers.location as string };
  }

  const settingsToken = async (agent: Agent) => csrfFrom((await agent.get('/2fa/settings')).text);

  test('dan turns it on by proving his email; then his next sign-in asks for a code', async () => {
    const { agent, location } = await login('dan@globex.test');
    expect(location).toBe('/');
    const csrf = await settingsToken(agent);
    expect((await agent.get('/2fa/settings')).text).toContain('Turn on two-step verification');
    expect((await agent.post('/2fa/settings/enable').type('form').send({ _csrf: csrf, method: 'email' })).status).toBe(303);
    // Nothing changes until the code comes back.
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false);
    const code = await smtp.nextCode('dan@globex.test');
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(true);
    expect((await agent.get('/2fa/settings')).text).toContain('Two-step verification is on.');
    expect(events.find((e) => e.type === 'user.2fa-switched')).toMatchObject({ userId: TEST_USERS.dan!.id, enabled: true, by: { kind: 'user' } });
    expect((await smtp.nextNotice('dan@globex.test')).subject).toMatch(/turned on/);
    expect((await login('dan@globex.test')).location).toBe('/2fa');
  });

  test('a method without a destination is refused, and nothing is sent', async () => {
    const { agent } = await login('dan@globex.test');
    const csrf = await settingsToken(agent);
    const sent = smtp.messages.length;
    expect((await agent.post('/2fa/settings/enable').type('form').send({ _csrf: csrf, method: 'sms' })).status).toBe(400);
    expect(smtp.messages.length).toBe(sent);
  });

  test('turning it off needs the re-authentication step', async () => {
    await host.twoFactor.setUserEnabled(TEST_USERS.dan!.id, true);
    const { agent } = await login('dan@globex.test');
    const signInCode = await smtp.nextCode('dan@globex.test');
    const pageToken = csrfFrom((await agent.get('/2fa')).text);
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: pageToken, code: signInCode })).status).toBe(303);
    const csrf = await settingsToken(agent);
    expect((await agent.post('/2fa/settings/disable').type('form').send({ _csrf: csrf })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(true);
    const reauth = await smtp.nextCode('dan@globex.test');
    expect((await agent.post('/2fa/settings/verify').type('form').send({ _csrf: csrf, code: reauth })).status).toBe(303);
    expect(await host.twoFactor.isRequired(TEST_USERS.dan!.id)).toBe(false);
    expect((await smtp.nextNotice('dan@globex.test')).subject).toMatch(/turned off/);
  });

  test('an account that enforces it: no switch on the page, and a posted "off" is refused before any code', async () => {
    const { agent } = await login('alice@acme.test');
    const code = await smtp.nextCode('alice@acme.test');
    const pageToken = csrfFrom((await agent.get('/2fa')).text);
    await agent.post('/2fa/verify').type('form').send({ _csrf: pageToken, code });
    const page = (await agent.get('/2fa/settings')).text;
    expect(page).not.toContain('Turn off two-step verification');
    const sent = smtp.messages.length;
    const refused = await agent.post('/2fa/settings/disable').type('form').send({ _csrf: csrfFrom(page) });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('can’t be turned off');
    expect(smtp.messages.length).toBe(sent);
    expect(await host.twoFactor.isRequired(TEST_USERS.alice!.id)).toBe(true);
  });
});
