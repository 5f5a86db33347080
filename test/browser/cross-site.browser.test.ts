/**
 * Login CSRF with a real browser: a page on another site (http://localhost:…, while the app is
 * http://127.0.0.1:…) carries a form that posts the attacker's own email and password to the
 * example app's /login. Submitted in the victim's browser, it must not sign that browser in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { createExampleApp } from '../../example-app/app';
import { launchChromium, listen } from '../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';

jest.setTimeout(60_000);

let smtp: TestSmtpServer;
let example: Awaited<ReturnType<typeof createExampleApp>>;
let app: { server: Server; baseUrl: string };
let attacker: Server;
let attackerUrl: string;
let browser: Browser;

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  smtp = await startSmtpServer();
  example = await createExampleApp({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    TWO_FACTOR_SECRET: 'browser-test-secret-of-more-than-32-characters',
    SESSION_SECRET: 'browser-test-session-secret',
  });
  app = await listen(example.app);
  // dan has no second factor: the attacker's password alone signs a browser in to dan's account.
  const page = `<!doctype html><title>Prize</title>
<form method="post" action="${app.baseUrl}/login">
<input type="hidden" name="email" value="dan@globex.test">
<input type="hidden" name="password" value="demo-password">
<input type="hidden" name="returnTo" value="/">
<button type="submit">Claim your prize</button>
</form>`;
  attacker = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end(page));
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  // Another site: "localhost" and "127.0.0.1" are different hosts to the browser.
  attackerUrl = `http://localhost:${(attacker.address() as AddressInfo).port}/`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(
    [app, { server: attacker }].map(({ server }) => server && new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  await example?.close();
  await smtp?.stop();
  jest.restoreAllMocks();
});

test('a cross-site login form does not sign the victim’s browser in', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(attackerUrl);
  const answer = page.waitForResponse((r) => r.url() === `${app.baseUrl}/login` && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Claim your prize' }).click();
  const response = await answer;
  expect(response.status()).toBe(403);
  // Refused by the origin check (the browser said cross-site), before the CSRF token is even read.
  expect(await response.text()).toContain('sent from another site');
  expect(response.request().headers()['sec-fetch-site'] ?? (await response.request().allHeaders())['sec-fetch-site']).toBe('cross-site');

  await page.goto(`${app.baseUrl}/`);
  expect(new URL(page.url()).pathname).toBe('/login');
  expect(await page.locator('body').innerText()).not.toContain('Signed in as');
  await context.close();
});
