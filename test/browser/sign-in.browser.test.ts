/**
 * One real sign-in in headless Chromium against the example app: the password form, the code from a
 * real SMTP server typed into the library's page, the dashboard; then, after signing out, the same
 * browser is trusted and signs in without a code. Then alice revokes "this browser" on the library's
 * settings page, and her next sign-in asks for a code again.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createExampleApp } from '../../example-app/app';
import { launchChromium, listen } from '../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const EMAIL = 'alice@acme.test';

jest.setTimeout(60_000);

let smtp: TestSmtpServer;
let example: Awaited<ReturnType<typeof createExampleApp>>;
let server: Server;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Console errors and warnings, and uncaught page errors, with the page they happened on. */
const problems: string[] = [];
/** The example app's output (its JSON event lines), kept out of the test report. */
const logged: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
  smtp = await startSmtpServer();
  example = await createExampleApp({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    MAIL_FROM: '"Example Co" <security@example.test>',
    TWO_FACTOR_SECRET: 'browser-test-secret-of-more-than-32-characters',
    SESSION_SECRET: 'browser-test-session-secret',
  });
  ({ server, baseUrl } = await listen(example.app));

  browser = await launchChromium();
  context = await browser.newContext();
  page = await context.newPage();
  // A CSP violation shows up as a console error ("Refused to apply inline style ...").
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await example?.close();
  await smtp?.stop();
  jest.restoreAllMocks();
});

/** Types into the login form like a person and submits it. */
async function submitPassword(): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').pressSequentially(EMAIL);
  await page.getByLabel('Password').pressSequentially('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('alice signs in with an emailed code, then again from the trusted browser without one', async () => {
  // Password step → the library's verification page.
  const verifyResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/2fa' && r.request().method() === 'GET');
  await submitPassword();
  await page.waitForURL(`${baseUrl}/2fa`);
  const headers = (await verifyResponse).headers();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');

  // Its stylesheet was applied: a style blocked by the CSP leaves no sheet in the document.
  await page.getByLabel('Enter the 6-digit code').waitFor();
  const cssRules = await page.evaluate<number>('[...document.styleSheets].reduce((n, sheet) => n + sheet.cssRules.length, 0)');
  expect(cssRules).toBeGreaterThan(10);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'verify-page.png'), fullPage: true });
  expect(problems).toEqual([]);

  // Code step: the code from the real SMTP server, typed into the field found by its label.
  const code = await smtp.nextCode(EMAIL, 10_000);
  const codeField = page.getByLabel('Enter the 6-digit code');
  expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
  await codeField.pressSequentially(code);
  const trust = page.getByRole('checkbox', { name: /Trust this browser/ }).first();
  expect(await trust.isChecked()).toBe(true);
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${baseUrl}/`);
  expect(await page.locator('body').innerText()).toContain(`Signed in as ${EMAIL}`);

  // The browser now holds an HttpOnly trusted-device cookie.
  const deviceCookie = (await context.cookies()).find((c) => c.name === 'device_2fa');
  expect(deviceCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  // Sign out, and in again from the same browser: straight to the dashboard, no second email.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/login`);
  await submitPassword();
  await page.waitForURL(`${baseUrl}/`);
  expect(await page.locator('body').innerText()).toContain(`Signed in as ${EMAIL}`);
  await expect(smtp.nextCode(EMAIL, 500)).rejects.toThrow(/No email/);
  expect(smtp.messages.filter((m) => m.to.includes(EMAIL) && /^\d{6} /.test(m.subject))).toHaveLength(1);

  expect(problems).toEqual([]);
});

test('alice revokes this browser on the settings page; her next sign-in asks for a code', async () => {
  // Signed in from the trusted browser (previous test): the dashboard links to the settings.
  await page.getByRole('link', { name: 'Security settings' }).click();
  await page.waitForURL(`${baseUrl}/2fa/settings`);
  const device = page.locator('li.device', { hasText: 'This browser' });
  await expect(device.count()).resolves.toBe(1);
  expect(await device.innerText()).toMatch(/Chrome/);
  await page.screenshot({ path: join(ARTIFACTS, 'settings-page.png'), fullPage: true });

  await page.getByRole('button', { name: /^Revoke .*\(this browser\)$/ }).click();
  await page.waitForURL(`${baseUrl}/2fa/settings`);
  expect(await page.getByRole('status').innerText()).toContain('That browser is no longer trusted.');
  await expect(page.locator('li.device').count()).resolves.toBe(0);
  expect(await example.twoFactor.listDevices('alice')).toEqual([]);
  const revoked = logged.filter((line) => line.includes('"device.revoked"')).map((line) => JSON.parse(line));
  expect(revoked).toEqual([expect.objectContaining({ userId: 'alice', count: 1, by: { kind: 'user' } })]);

  // Back to the dashboard, sign out, sign in again: this browser is challenged.
  await page.getByRole('link', { name: 'Back' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${baseUrl}/login`);
  await submitPassword();
  await page.waitForURL(`${baseUrl}/2fa`);
  await page.getByLabel('Enter the 6-digit code').waitFor();
  expect(await page.locator('h1').innerText()).toBe('Check your email');
  await page.screenshot({ path: join(ARTIFACTS, 'challenged-after-revoke.png'), fullPage: true });

  expect(problems).toEqual([]);
});
