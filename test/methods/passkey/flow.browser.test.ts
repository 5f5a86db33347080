import { en as PASSKEY_STRINGS } from '../../../src/methods/passkey/strings';
/**
 * Passkeys through the library's own pages and flow, in real Chromium, on Express 4 and 5: alice
 * (whose account enforces 2FA) signs in with an emailed code, adds a passkey from /2fa/settings
 * (behind the re-authentication code), and signs in with it from a new browser whose authenticator
 * holds that passkey. Over HTTP: garbage in `credential` is a 400 page, and her assertion replayed
 * into another sign-in is refused and counted. Removed (behind the code), it is offered no more.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { MemoryStore } from '../../../src/stores/memory-store';
import { launchChromium } from '../../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_USERS, type TestApp } from '../../helpers/test-app';
import { withAuthenticator, type VirtualAuthenticator } from './authenticator';

jest.setTimeout(60_000);

const ALICE = TEST_USERS.alice!;
let browser: Browser;
let smtp: TestSmtpServer;
const problems: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await smtp?.stop();
});

/** The password step, through the host's login route (cookies land in the browser context). */
async function password(who: VirtualAuthenticator, base: string): Promise<void> {
  const res = await who.context.request.post(`${base}/login`, { form: { email: ALICE.email, password: 'right' }, maxRedirects: 0 });
  expect([res.status(), res.headers().location]).toEqual([303, '/2fa']);
}

async function typeCode(page: Page): Promise<void> {
  await page.getByLabel('Enter the 6-digit code').fill(await smtp.nextCode(ALICE.email, 10_000));
  await page.getByRole('button', { name: 'Verify' }).click();
}

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  let server: Server;
  let base: string;
  let test2fa: TestApp;
  const store = new MemoryStore();
  const failures = async () => (await store.getFailureState(ALICE.id, Date.now())).failures;

  beforeAll(async () => {
    // The origin must be known before the app is made: listen first, then hand requests to it.
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
    test2fa = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: { store, enforceNewAccounts: true, methods: { passkey: { rpId: 'localhost', origins: [base] } } },
    });
    server.on('request', test2fa.app);
    smtp.drain();
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('alice adds a passkey from the settings page and signs in with it from a new browser; replays and garbage refused; removed, it is no longer offered', async () => {
    // 1. Signed in with an emailed code, untrusted browser.
    const first = await withAuthenticator(browser, problems);
    await password(first, base);
    await first.page.goto(`${base}/2fa`);
    await first.page.getByRole('checkbox', { name: /Trust this browser/ }).uncheck();
    await typeCode(first.page);
    await first.page.waitForURL(`${base}/`);

    // 2. Settings → Add a passkey → the re-authentication code → the enrolment page → Create passkey.
    await first.page.goto(`${base}/2fa/settings`);
    expect(await first.page.getByText('You have no passkeys yet.').isVisible()).toBe(true);
    await first.page.getByRole('button', { name: 'Add a passkey' }).click();
    await typeCode(first.page);
    // Garbage posted to the enrolment step: its 400 page says what went wrong; nothing is stored.
    const enrolCsrf = csrfFrom(await first.page.content());
    const bad = await first.context.request.post(`${base}/2fa/settings/enrol`, {
      form: { _csrf: enrolCsrf, label: 'x', credential: '{"id":' },
      maxRedirects: 0,
    });
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain('Your browser didn’t send a passkey.');
    expect(await store.listCredentials(ALICE.id, 'passkey')).toEqual([]);
    await first.page.getByLabel('Name this passkey').fill('Work laptop');
    await first.page.getByRole('button', { name: 'Create passkey' }).click();
    await first.page.getByText('Passkey added.').waitFor({ timeout: 10_000 });
    expect(first.page.url()).toBe(`${base}/2fa/settings`);
    expect(await first.page.getByRole('button', { name: 'Remove Work laptop' }).isVisible()).toBe(true);
    const [credential] = (await first.cdp.send('WebAuthn.getCredentials', { authenticatorId: first.authenticatorId })).credentials;
    if (!credential) throw new Error('the authenticator holds no passkey');

    // 3. A new browser whose authenticator holds the same passkey (a security key moved across).
    const second = await withAuthenticator(browser, problems);
    await second.cdp.send('WebAuthn.addCredential', { authenticatorId: second.authenticatorId, credential });
    await password(second, base);
    await second.page.goto(`${base}/2fa`);
    await second.page.getByRole('button', { name: 'Use a passkey' }).click();
    await second.page.getByRole('checkbox', { name: /Trust this browser/ }).uncheck();
    // Over HTTP, before the real answer: garbage is a 400 page, not counted, never a 500.
    const csrf = csrfFrom(await second.page.content());
    for (const garbage of ['', '{', '{"id":"x"}', 'x'.repeat(5000)]) {
      const res = await second.context.request.post(`${base}/2fa/verify`, { form: { _csrf: csrf, credential: garbage }, maxRedirects: 0 });
      expect(res.status()).toBe(400);
      expect(res.headers()['content-type']).toMatch(/^text\/html/);
      // In the passkey's own words, not the code's ("The code is 6 digits").
      expect(await res.text()).toContain(PASSKEY_STRINGS.malformed);
    }
    await second.page.reload();
    const posted = second.page.waitForRequest((req) => req.method() === 'POST' && req.url() === `${base}/2fa/verify`);
    await second.page.getByRole('button', { name: 'Use a passkey' }).click();
    const assertion = new URLSearchParams((await posted).postData() ?? '').get('credential') ?? '';
    await second.page.waitForURL(`${base}/`);
    expect(await second.page.textContent('body')).toBe(`Signed in as ${ALICE.email}`);

    // 4. An attacker with alice's password replays that assertion into a sign-in of their own.
    const attacker = await browser.newContext();
    const page = await attacker.newPage();
    await attacker.request.post(`${base}/login`, { form: { email: ALICE.email, password: 'right' }, maxRedirects: 0 });
    await page.goto(`${base}/2fa`);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const failuresBefore = await failures();
    const replayed = await attacker.request.post(`${base}/2fa/verify`, {
      form: { _csrf: csrfFrom(await page.content()), credential: assertion },
      maxRedirects: 0,
    });
    expect(replayed.status()).toBe(400);
    expect(await failures()).toBe(failuresBefore + 1);
    expect((await attacker.request.get(`${base}/`, { maxRedirects: 0 })).status()).not.toBe(200);

    // 5. Removed from the settings page (behind the code): the next sign-in offers no passkey.
    await second.page.goto(`${base}/2fa/settings`);
    // The codes of the sign-ins above were never typed: the next one is the re-authentication's.
    smtp.drain();
    await second.page.getByRole('button', { name: 'Remove Work laptop' }).click();
    await typeCode(second.page);
    await second.page.getByText('Passkey removed.').waitFor({ timeout: 10_000 });
    expect(await store.listCredentials(ALICE.id, 'passkey')).toEqual([]);
    await password(first, base);
    await first.page.goto(`${base}/2fa`);
    await first.page.getByLabel('Enter the 6-digit code').waitFor();
    expect(await first.page.getByRole('button', { name: 'Use a passkey' }).count()).toBe(0);

    await Promise.all([first.context.close(), second.context.close(), attacker.close()]);
  });
});

test('the pages ran without a console error or CSP violation', () => {
  expect(problems).toEqual([]);
});
