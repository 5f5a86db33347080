/**
 * The session warning in headless Chromium against the example app (acme has the session policy
 * on), with a short timeout: SESSION_IDLE_SECONDS=6, SESSION_WARNING_SECONDS=4. The dashboard's
 * session.js shows the dialog, "Stay signed in" (or Escape) keeps the session past its first end,
 * and "Sign out now" ends it and the same user's session in a second browser.
 */
import type { Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createExampleApp } from '../../example-app/app';
import { launchChromium, listen } from '../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

const EMAIL = 'alice@acme.test';

jest.setTimeout(60_000);

let smtp: TestSmtpServer;
let example: Awaited<ReturnType<typeof createExampleApp>>;
let server: Server;
let baseUrl: string;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  smtp = await startSmtpServer();
  example = await createExampleApp({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    MAIL_FROM: '"Example Co" <security@example.test>',
    TWO_FACTOR_SECRET: 'browser-test-secret-of-more-than-32-characters',
    SESSION_SECRET: 'browser-test-session-secret',
    SESSION_IDLE_SECONDS: '6',
    SESSION_WARNING_SECONDS: '4',
  });
  ({ server, baseUrl } = await listen(example.app));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await example?.close();
  await smtp?.stop();
  jest.restoreAllMocks();
});

/** A new browser signs alice in with her emailed code and lands on the dashboard. */
async function signIn(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
  await page.getByLabel('Enter the 6-digit code').fill(await smtp.nextCode(EMAIL, 10_000));
  await page
    .getByRole('checkbox', { name: /Trust this browser/ })
    .first()
    .uncheck();
  await page.getByRole('button', { name: 'Verify' }).click();
  await page.waitForURL(`${baseUrl}/`);
  return { context, page };
}

/** Whether the browser's session is signed in, asked without following the redirect to /login. */
async function signedIn(context: BrowserContext): Promise<boolean> {
  const response = await context.request.get(`${baseUrl}/`, { maxRedirects: 0 });
  return response.status() === 200;
}

test('the dialog warns before the end; "Stay signed in" keeps the session; "Sign out now" ends it in every browser', async () => {
  const other = await signIn();
  // The second browser stays in use (a request every second), so only "Sign out now" can end it.
  const keepOtherBusy = setInterval(() => void signedIn(other.context).catch(() => undefined), 1000);
  try {
    const { page } = await signIn();
    const loadedAt = Date.now();
    const dialog = page.getByRole('alertdialog', { name: 'Your session is about to end' });
    await dialog.waitFor({ timeout: 6000 });
    expect(await dialog.getByText(/^Your session ends in \d seconds?\.$/).count()).toBe(1);
    const stay = dialog.getByRole('button', { name: 'Stay signed in' });
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Stay signed in');
    // The countdown is the dialog's description, updated each second.
    const description = await dialog.getAttribute('aria-describedby');
    const first = await page.locator(`#${description}`).innerText();
    await page.waitForTimeout(1200);
    expect(await page.locator(`#${description}`).innerText()).not.toBe(first);

    await stay.click();
    await dialog.waitFor({ state: 'hidden', timeout: 3000 });
    // Past the first end (6 s idle + 1 s touch interval after sign-in): still signed in.
    await page.waitForTimeout(Math.max(0, loadedAt + 7500 - Date.now()));
    expect(new URL(page.url()).pathname).toBe('/');
    await dialog.waitFor({ timeout: 6000 });
    expect(await signedIn(page.context())).toBe(true);
    // Escape means "stay" too.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', timeout: 3000 });
    await dialog.waitFor({ timeout: 6000 });

    await dialog.getByRole('button', { name: 'Sign out now' }).click();
    await page.waitForURL(/\/login/);
    expect(await signedIn(page.context())).toBe(false);
    clearInterval(keepOtherBusy);
    expect(await signedIn(other.context)).toBe(false);
    expect(problems).toEqual([]);
  } finally {
    clearInterval(keepOtherBusy);
  }
});
