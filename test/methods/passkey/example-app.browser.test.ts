/**
 * The example app in real Chromium (issue #11's "done when"): alice (acme enforces 2FA) signs in
 * with her emailed code, adds a passkey from /2fa/settings, and signs in with it from a new browser
 * (whose authenticator holds that passkey) without any code. PASSKEY_RP_ID / PASSKEY_ORIGINS set
 * the passkey options as a deployment would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createExampleApp } from '../../../example-app/app';
import { SECRETS, type ExampleApp } from '../../example-app/support';
import { launchChromium } from '../../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server';
import { withAuthenticator } from './authenticator';

jest.setTimeout(60_000);

const EMAIL = 'alice@acme.test';
let smtp: TestSmtpServer;
let example: ExampleApp;
let server: Server;
let base: string;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  smtp = await startSmtpServer();
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  example = await createExampleApp({ NODE_ENV: 'test', SMTP_URL: smtp.url, ...SECRETS, PASSKEY_RP_ID: 'localhost', PASSKEY_ORIGINS: base });
  server.on('request', example.app);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await example?.close();
  await smtp?.stop();
  jest.restoreAllMocks();
});

async function passwordStep(page: Page): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/2fa`);
}

async function typeCode(page: Page): Promise<void> {
  await page.getByLabel('Enter the 6-digit code').fill(await smtp.nextCode(EMAIL, 10_000));
  await page.getByRole('button', { name: 'Verify' }).click();
}

test('alice enrols a passkey from /2fa/settings and signs in with it from a new browser', async () => {
  const first = await withAuthenticator(browser, problems);
  await passwordStep(first.page);
  await first.page.getByRole('checkbox', { name: /Trust this browser/ }).uncheck();
  await typeCode(first.page);
  await first.page.waitForURL(`${base}/`);
  await first.page.goto(`${base}/2fa/settings`);
  await first.page.getByRole('button', { name: 'Add a passkey' }).click();
  await typeCode(first.page);
  await first.page.getByLabel('Name this passkey').fill('Alice’s laptop');
  await first.page.getByRole('button', { name: 'Create passkey' }).click();
  await first.page.getByText('Passkey added.').waitFor({ timeout: 10_000 });
  expect(example.db.users.get('alice')?.twoFactor.enrolled).toEqual(['passkey']);
  const [credential] = (await first.cdp.send('WebAuthn.getCredentials', { authenticatorId: first.authenticatorId })).credentials;
  if (!credential) throw new Error('the authenticator holds no passkey');

  const second = await withAuthenticator(browser, problems);
  await second.cdp.send('WebAuthn.addCredential', { authenticatorId: second.authenticatorId, credential });
  smtp.drain();
  await passwordStep(second.page);
  await second.page.getByRole('button', { name: 'Use a passkey' }).click();
  await second.page.getByRole('heading', { name: 'Use your passkey' }).waitFor();
  await second.page.getByRole('checkbox', { name: /Trust this browser/ }).uncheck();
  await second.page.getByRole('button', { name: 'Use a passkey' }).click();
  await second.page.waitForURL(`${base}/`);
  expect(await second.page.getByText(EMAIL).first().isVisible()).toBe(true);

  // Her settings show when the passkey was last used.
  await second.page.goto(`${base}/2fa/settings`);
  expect(await second.page.getByRole('region', { name: 'Passkeys' }).getByText('Last used').isVisible()).toBe(true);
  await Promise.all([first.context.close(), second.context.close()]);
  expect(problems).toEqual([]);
});
