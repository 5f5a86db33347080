/**
 * The authenticator app in headless Chromium against the example app (real SMTP): alice opens the
 * set-up page from her settings, finds the QR code by its accessible name, reads the key as a user
 * would type it, turns the app on with its first code, and signs in with it from a new browser. The
 * pages load under the library's CSP with no console error (an inline style or script would be one),
 * and the QR code is drawn square, on white (also in the dark scheme), at a scannable size.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createExampleApp } from '../../../example-app/app';
import { launchChromium, listen } from '../../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../../helpers/smtp-server';

const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

jest.setTimeout(60_000);

let smtp: TestSmtpServer;
let example: Awaited<ReturnType<typeof createExampleApp>>;
let server: Server;
let baseUrl: string;
let browser: Browser;
const problems: string[] = [];
const logged: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
  smtp = await startSmtpServer();
  example = await createExampleApp({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    TWO_FACTOR_SECRET: 'browser-test-secret-of-more-than-32-characters',
    SESSION_SECRET: 'browser-test-session-secret',
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

async function newBrowserPage(options: { colorScheme?: 'light' | 'dark' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  return { context, page };
}

/** Runs in the page (whose DOM types this project does not load). */
function backgroundOf(element: unknown): string {
  return (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor;
}

async function press(page: Page, name: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name }).click();
  await loaded;
}

async function signInWithPassword(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').pressSequentially('alice@acme.test');
  await page.getByLabel('Password').pressSequentially('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Enter the 6-digit code').pressSequentially(code);
  await press(page, 'Verify');
}

test('alice sets up an authenticator app in Chromium and signs in with it from a new browser', async () => {
  const { context, page } = await newBrowserPage({ colorScheme: 'dark' });
  await signInWithPassword(page);
  await enterCode(page, await smtp.nextCode('alice@acme.test'));
  await page.goto(`${baseUrl}/2fa/settings`);
  await press(page, 'Set up an authenticator app');
  await enterCode(page, await smtp.nextCode('alice@acme.test'));

  // The set-up page: the QR code is an image with a name, square, scannable, on white.
  expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Authenticator app');
  const qr = page.getByRole('img', { name: 'QR code to scan with your authenticator app' });
  const box = await qr.boundingBox();
  expect(box).not.toBeNull();
  expect(Math.abs(box!.width - box!.height)).toBeLessThan(1);
  expect(box!.width).toBeGreaterThanOrEqual(160);
  expect(await qr.evaluate(backgroundOf)).toBe('rgb(255, 255, 255)');
  const svg = await qr.locator('svg').boundingBox();
  expect(svg!.width).toBeGreaterThan(box!.width * 0.8);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'totp-setup-page-dark.png'), fullPage: true });

  // The key as shown, typed into the app by hand.
  const key = (await page.locator('.secret-key').innerText()).replace(/\s/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  const codeAt = (at: number) => TOTP.generate({ secret: Secret.fromBase32(key), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at });
  await page.getByLabel('Enter the 6-digit code').pressSequentially(codeAt(Date.now()));
  await page.getByLabel('Name (optional)').pressSequentially('Pixel 9');
  await press(page, 'Turn on');
  expect(await page.locator('body').innerText()).toContain('Your authenticator app is set up.');
  expect(await page.content()).not.toContain(key);
  await page.getByRole('radio', { name: 'Authenticator app' }).check();
  await press(page, 'Save');
  expect(await page.locator('body').innerText()).toContain('From now on, we’ll ask for a code from your authenticator app.');
  await context.close();

  // A new browser asks for the app's code (the next step's: the set-up used this one).
  const other = await newBrowserPage();
  await signInWithPassword(other.page);
  expect(await other.page.getByRole('heading', { level: 1 }).innerText()).toBe('Open your authenticator app');
  await enterCode(other.page, codeAt(Date.now() + 30_000));
  await other.page.waitForURL(`${baseUrl}/`);
  expect(await other.page.locator('body').innerText()).toContain('Signed in as alice@acme.test');
  await other.context.close();

  expect(problems).toEqual([]);
  expect(logged.join('\n')).not.toContain(key);
});
