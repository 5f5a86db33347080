/**
 * SMS and voice codes in headless Chromium against the example app, with the real `twilio` SDK
 * talking to a local stand-in for the Twilio API (TWILIO_API_URL):
 * - bob gets his code by SMS at +15005550006, asks for a call instead (another way is not held by
 *   the resend wait; asking twice is), and types the spoken code;
 * - carol has no phone: at her first sign-in she proves herself with a code to her email, then adds
 *   +1 415 555 0100 and confirms it with the SMS code; later, in a new browser, her code comes by SMS
 *   to that number.
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createExampleApp } from '../../example-app/app';
import { launchChromium, listen } from '../helpers/browser';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { startTwilioStandIn, type TwilioStandIn } from '../helpers/twilio-stand-in';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;
const AUTH_TOKEN = 'stand-in-auth-token';
const FROM = '+15017122661';
const BOB_PHONE = '+15005550006';
const CAROL_PHONE = '+14155550100';

jest.setTimeout(60_000);

let smtp: TestSmtpServer;
let twilio: TwilioStandIn;
let example: Awaited<ReturnType<typeof createExampleApp>>;
let server: Server;
let baseUrl: string;
let browser: Browser;
/** Console errors and warnings, and uncaught page errors, with the page they happened on. */
const problems: string[] = [];
/** What the example app printed: its JSON event lines (console.log) and delivery failures (console.warn). */
const logged: string[] = [];
const warned: string[] = [];
/** Every code the stand-in received, to check none of them was logged. */
const codes: string[] = [];

beforeAll(async () => {
  jest.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)));
  jest.spyOn(console, 'warn').mockImplementation((line: unknown) => void warned.push(String(line)));
  [smtp, twilio] = await Promise.all([startSmtpServer(), startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN })]);
  example = await createExampleApp({
    NODE_ENV: 'test',
    SMTP_URL: smtp.url,
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM_NUMBER: FROM,
    TWILIO_API_URL: twilio.url,
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
  await Promise.all([smtp?.stop(), twilio?.stop()]);
  jest.restoreAllMocks();
});

/** A new browser (no cookies: not trusted) with one page whose console problems are recorded. */
async function newBrowserPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('console', (message) => {
    // The pages that refuse something (a throttled send: 429, a wrong code: 400) are expected here.
    if (/^Failed to load resource: the server responded with a status of 4(00|29) /.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()} on ${page.url()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  return { context, page };
}

async function submitPassword(page: Page, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Email').pressSequentially(email);
  await page.getByLabel('Password').pressSequentially('demo-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

/** Clicks a button and waits for the page it leads to (after any redirect) to load. */
async function press(page: Page, name: string): Promise<void> {
  const loaded = page.waitForEvent('load');
  await page.getByRole('button', { name }).click();
  await loaded;
}

async function enterCode(page: Page, code: string): Promise<void> {
  const field = page.getByLabel('Enter the 6-digit code');
  await field.fill('');
  await field.pressSequentially(code);
  await press(page, 'Verify');
}

async function expectDashboard(page: Page, email: string): Promise<void> {
  await page.waitForURL(`${baseUrl}/`);
  expect(await page.locator('body').innerText()).toContain(`Signed in as ${email}`);
}

/** The code in a text message sent through the stand-in. */
function smsCode(body: string | undefined): string {
  const code = /^(\d{6}) is your Example Co verification code/.exec(body ?? '')?.[1];
  if (!code) throw new Error(`No code in the text message "${body}"`);
  codes.push(code);
  return code;
}

/** The code as the call reads it out: "…code is: 4, 1, 7, 0, 2, 9. Again: 4, 1, 7, 0, 2, 9." */
function spokenCode(twiml: string | undefined): string {
  const readings = [...(twiml ?? '').matchAll(/(?:code is|Again): ((?:\d, ){5}\d)\./g)].map((m) => m[1]!.replace(/\D/g, ''));
  expect(readings).toHaveLength(2);
  expect(readings[1]).toBe(readings[0]);
  codes.push(readings[0]!);
  return readings[0]!;
}

let bob: Page;
let bobSpoken = '';

test('bob gets his code by SMS, asks for a call instead at once, and a second call must wait', async () => {
  ({ page: bob } = await newBrowserPage());
  await submitPassword(bob, 'bob@acme.test');
  expect(await bob.locator('h1').innerText()).toBe('Check your phone');
  expect(await bob.locator('main').innerText()).toContain('by text message to •••• 0006');

  const sms = await twilio.nextSms(BOB_PHONE);
  expect(sms).toMatchObject({ from: FROM, auth: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}` });
  smsCode(sms.body);

  // "Send the code another way" is not held by the wait between two codes of one method.
  await press(bob, 'Call me with a code');
  expect(await bob.locator('h1').innerText()).toBe('Answer your phone');
  expect(await bob.locator('main').innerText()).toContain('We’re calling •••• 0006');
  const call = await twilio.nextCall(BOB_PHONE);
  expect(call.from).toBe(FROM);
  bobSpoken = spokenCode(call.twiml);

  // A second call at once is: the page asks bob to wait.
  await press(bob, 'Send a new code');
  expect(await bob.locator('#notice').innerText()).toMatch(/Please wait \d+ seconds? before asking for another code/);
  await expect(twilio.nextCall(BOB_PHONE, 300)).rejects.toThrow(/No call/);
  expect(problems).toEqual([]);
});

test('carol has no phone: she proves herself by email, adds one and confirms it with the SMS code', async () => {
  const { page, context } = await newBrowserPage();
  await submitPassword(page, 'carol@globex.test');

  // The password alone does not choose her second factor: a code to her email on file comes first.
  expect(await page.locator('h1').innerText()).toBe('Check your email');
  expect(await page.locator('main').innerText()).toContain('Before you add a phone number');
  const emailed = await smtp.nextCode('carol@globex.test', 10_000);
  codes.push(emailed);
  await enterCode(page, emailed);

  // Then the library asks for a number (SMS preselected, as carol prefers).
  expect(await page.locator('h1').innerText()).toBe('Add your phone number');
  expect(await page.getByRole('radio', { name: 'Text message' }).isChecked()).toBe(true);
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'phone-page.png'), fullPage: true });
  await page.getByLabel('Phone number').pressSequentially('+1 415 555 0100');
  await press(page, 'Send code');
  expect(page.url()).toBe(`${baseUrl}/2fa`);
  expect(await page.locator('main').innerText()).toContain('by text message to •••• 0100');

  // The number is hers only once the code sent to it comes back.
  expect(example.db.users.get('carol')?.twoFactor.phone).toBeNull();
  await enterCode(page, smsCode((await twilio.nextSms(CAROL_PHONE)).body));
  await expectDashboard(page, 'carol@globex.test');
  expect(example.db.users.get('carol')?.twoFactor).toMatchObject({ phone: CAROL_PHONE, method: 'sms' });
  // She is told by email (an independent channel).
  expect((await smtp.nextNotice('carol@globex.test', 10_000)).subject).toMatch(/phone number was changed/);
  await context.close();
  expect(problems).toEqual([]);
});

test('bob signs in with the spoken code; the text message’s code stopped working', async () => {
  await enterCode(bob, codes[0]!);
  expect(await bob.getByRole('alert').innerText()).toContain('That code isn’t right');
  await enterCode(bob, bobSpoken);
  await expectDashboard(bob, 'bob@acme.test');
  await bob.context().close();
  expect(problems).toEqual([]);
});

test('later, in a new browser, carol gets her code by SMS at the number she added', async () => {
  // A new sign-in gets its own code at once: no wait after the enrolment's code.
  const { page, context } = await newBrowserPage();
  await submitPassword(page, 'carol@globex.test');
  expect(await page.locator('h1').innerText()).toBe('Check your phone');
  expect(await page.locator('main').innerText()).toContain('by text message to •••• 0100');
  await enterCode(page, smsCode((await twilio.nextSms(CAROL_PHONE)).body));
  await expectDashboard(page, 'carol@globex.test');
  await context.close();
  expect(problems).toEqual([]);
});

test('the JSON event lines tell the story without a code or a full phone number', () => {
  const events = logged
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { type: string; userId?: string; method?: string; phone?: string });
  expect(events).toContainEqual(
    expect.objectContaining({ type: 'challenge.issued', userId: 'bob', method: 'voice', destination: '•••• 0006' }),
  );
  expect(events).toContainEqual(expect.objectContaining({ type: 'phone.enrolled', userId: 'carol', phone: '•••• 0100' }));
  expect(events).toContainEqual(expect.objectContaining({ type: 'challenge.throttled', userId: 'bob' }));
  expect(codes).toHaveLength(5);
  for (const line of [...logged, ...warned]) {
    const text = line.replace(/"at":\d+/, ''); // a timestamp may contain any six digits
    expect(text).not.toMatch(/5550006|5550100/);
    for (const code of codes) expect(text).not.toContain(code);
  }
  expect(warned).toEqual([]);
});
