/**
 * Page details a host expects: no `Strict-Transport-Security` in development (one HTTPS try-out on
 * localhost would pin every local app to HTTPS for a year), HSTS outside it or when asked; a default
 * `siteName` that reads as a name in every message ("123456 is your Acme verification code", never
 * "your your account").
 */
import request from 'supertest';
import { ConfigurationError, deviceTwoFactor, MemoryStore } from '../../src';
import { parseOptions } from '../../src/options';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../helpers/test-app';

let smtp: TestSmtpServer;
beforeAll(async () => {
  smtp = await startSmtpServer();
});
afterAll(() => smtp.stop());

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  let host: TestApp | undefined;
  let store: MemoryStore;
  beforeEach(() => {
    store = new MemoryStore();
    smtp.drain();
  });
  afterEach(async () => {
    await host?.twoFactor.close();
    host = undefined;
    await store.close();
  });

  /** A pending sign-in's code page, a message page (404) and the password step's redirect, over plain HTTP. */
  async function stsHeaders(options: Parameters<typeof createTestApp>[0]['options']): Promise<(string | undefined)[]> {
    host = createTestApp({ express, smtpUrl: smtp.url, options: { store, ...options } });
    await host.twoFactor.setUserEnabled(TEST_USERS.alice!.id, true);
    const agent = request.agent(host.app);
    const login = await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    expect(login.headers.location).toBe('/2fa');
    const page = await agent.get('/2fa');
    expect(page.status).toBe(200);
    const missing = await agent.get('/2fa/nothing-here');
    expect(missing.status).toBe(404);
    return [login, page, missing].map((res) => res.headers['strict-transport-security'] as string | undefined);
  }

  const HSTS = 'max-age=31536000; includeSubDomains';
  test.each([
    ['development', 'none', { development: true }, undefined],
    ['development, hsts: true', 'sent', { development: true, hsts: true }, HSTS],
    ['outside development', 'sent', { development: false }, HSTS],
    ['outside development, hsts: false', 'none', { development: false, hsts: false }, undefined],
  ])('%s: Strict-Transport-Security %s', async (_label, _shown, options, expected) => {
    expect(await stsHeaders(options)).toEqual([expected, expected, expected]);
  });

  test('no siteName: the name in email.from, in the code email, the page and the notice; never "your your"', async () => {
    host = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: { store, siteName: undefined, email: { transport: smtp.url, from: '"Acme" <security@acme.test>' } },
    });
    await host.twoFactor.setUserEnabled(TEST_USERS.alice!.id, true);
    const agent = request.agent(host.app);
    await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right' });
    const mail = await smtp.nextMessage('alice@acme.test');
    expect(mail.subject).toMatch(/^\d{6} is your Acme verification code$/);
    expect(mail.text).toContain('Use this code to finish signing in to Acme:');
    const page = await agent.get('/2fa');
    expect(page.text).toMatch(/<title>[^<]* · Acme<\/title>/);
    const code = /^(\d{6})/.exec(mail.subject)![1]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await agent.post('/2fa/verify').type('form').send({ _csrf: csrf, code })).status).toBe(303);
    const notice = await smtp.nextMessage('alice@acme.test', 5000, (m) => /New sign-in/.test(m.subject));
    expect(notice.subject).toBe('New sign-in to your Acme account');
    for (const text of [mail.subject, mail.text, mail.html, page.text, notice.subject, notice.text, notice.html])
      expect(text).not.toMatch(/your your/i);
  });
});

describe('the default siteName', () => {
  const users = { find: async () => null };
  const resolved = (from: string | undefined, development = false) =>
    parseOptions({
      secret: TEST_SECRET,
      users,
      development,
      ...(from === undefined ? {} : { email: { transport: 'smtp://127.0.0.1:2525', from } }),
    }).siteName;

  test.each([
    ['"Acme" <security@acme.test>', 'Acme'],
    ['Acme Co <security@acme.test>', 'Acme Co'],
    ['"" <security@acme.test>', 'acme.test'],
    ['<security@mail.acme.test>', 'mail.acme.test'],
    ['security@acme.test', 'acme.test'],
  ])('email.from %s: %s', (from, name) => {
    expect(resolved(from)).toBe(name);
  });

  test('development without email: "localhost"; a siteName given always wins', () => {
    expect(resolved(undefined, true)).toBe('localhost');
    expect(
      parseOptions({
        secret: TEST_SECRET,
        users,
        siteName: 'Example Co',
        email: { transport: 'smtp://127.0.0.1:2525', from: '"Acme" <a@acme.test>' },
      }).siteName,
    ).toBe('Example Co');
  });

  test('outside development with your own email channel and no siteName: refused, saying what to pass', () => {
    const make = () =>
      deviceTwoFactor({
        secret: TEST_SECRET,
        users,
        development: false,
        channels: { email: { method: 'email', send: async () => undefined } },
      });
    expect(make).toThrow(ConfigurationError);
    expect(make).toThrow(/`siteName` is required when there is no `email.from`.*siteName: "Acme"/);
  });
});
