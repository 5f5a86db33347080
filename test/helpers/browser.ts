import { existsSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { createExampleApp } from '../../example-app/app';
import { startSmtpServer, type TestSmtpServer } from './smtp-server';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium with no background traffic (this machine has no network beyond loopback). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does).`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Serves `app` on a free loopback port. */
export async function listen(app: RequestListener): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The example app on real SMTP, served on a loopback port, with headless Chromium: see exampleAppInChromium. */
export interface ExampleAppInChromium {
  smtp: TestSmtpServer;
  baseUrl: string;
  browser: Browser;
  /** What the app printed with console.log (its JSON event lines), kept out of the test report. */
  logged: string[];
  /** Console errors and warnings, and uncaught errors, of the pages made by newPage(), with their address. */
  problems: string[];
  /** A new browser (no cookies) with one page whose problems are recorded. A CSP violation is one. */
  newPage(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * Starts the example app (NODE_ENV=test, real SMTP, `env` on top) and Chromium before the file's
 * tests and stops them after; use the returned object inside tests and hooks.
 */
export function exampleAppInChromium(env: Record<string, string> = {}): ExampleAppInChromium {
  const running = { logged: [] as string[], problems: [] as string[] } as ExampleAppInChromium;
  let example: Awaited<ReturnType<typeof createExampleApp>> | undefined;
  let server: Server | undefined;
  beforeAll(async () => {
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => void running.logged.push(String(line)));
    running.smtp = await startSmtpServer();
    example = await createExampleApp({
      NODE_ENV: 'test',
      SMTP_URL: running.smtp.url,
      TWO_FACTOR_SECRET: 'browser-test-secret-of-more-than-32-characters',
      SESSION_SECRET: 'browser-test-session-secret',
      ...env,
    });
    ({ server, baseUrl: running.baseUrl } = await listen(example.app));
    running.browser = await launchChromium();
  });
  afterAll(async () => {
    await running.browser?.close();
    if (server) await new Promise<void>((resolve) => server?.close(() => resolve()));
    await example?.close();
    await running.smtp?.stop();
    jest.restoreAllMocks();
  });
  running.newPage = async (options = {}) => {
    const context = await running.browser.newContext(options);
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        running.problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => running.problems.push(`page error on ${page.url()}: ${error.message}`));
    return { context, page };
  };
  return running;
}

/** Clicks a button and waits for the page it leads to (after any redirect) to load. */
export async function press(page: Page, name: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name }).click();
  await loaded;
}

/** The example app's password form, through to the code page. Every demo user's password is "demo-password". */
export async function submitPassword(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').pressSequentially(email);
  await page.getByLabel('Password').pressSequentially('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

/** Types a code into the library's code field (emptied first) and submits it. */
export async function enterCode(page: Page, code: string, button = 'Verify'): Promise<void> {
  const field = page.getByLabel('Enter the 6-digit code');
  await field.fill('');
  await field.pressSequentially(code);
  await press(page, button);
}
