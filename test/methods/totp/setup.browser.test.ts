/**
 * The authenticator app in headless Chromium against the example app (real SMTP): alice opens the
 * set-up page from her settings, finds the QR code by its accessible name, reads the key as a user
 * would type it, turns the app on with its first code, and signs in with it from a new browser. The
 * pages load under the library's CSP with no console error (an inline style or script would be one),
 * and the QR code is drawn square, on white (also in the dark scheme), at a scannable size.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { enterCode, exampleAppInChromium, press, submitPassword } from '../../helpers/browser';

const ARTIFACTS = join(__dirname, '..', '..', '..', 'test-artifacts');

jest.setTimeout(60_000);

const chromium = exampleAppInChromium();

/** Runs in the page (whose DOM types this project does not load). */
function backgroundOf(element: unknown): string {
  return (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(element).backgroundColor;
}

test('alice sets up an authenticator app in Chromium and signs in with it from a new browser', async () => {
  const { context, page } = await chromium.newPage({ colorScheme: 'dark' });
  await submitPassword(page, chromium.baseUrl, 'alice@acme.test');
  await enterCode(page, await chromium.smtp.nextCode('alice@acme.test'));
  await page.goto(`${chromium.baseUrl}/2fa/settings`);
  await press(page, 'Set up an authenticator app');
  await enterCode(page, await chromium.smtp.nextCode('alice@acme.test'));

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
  await page.getByLabel('Name (optional)').pressSequentially('Pixel 9');
  await enterCode(page, codeAt(Date.now()), 'Turn on');
  expect(await page.locator('body').innerText()).toContain('Your authenticator app is set up.');
  expect(await page.content()).not.toContain(key);
  await page.getByRole('radio', { name: 'Authenticator app' }).check();
  await press(page, 'Save');
  expect(await page.locator('body').innerText()).toContain('From now on, we’ll ask for a code from your authenticator app.');
  await context.close();

  // A new browser asks for the app's code (the next step's: the set-up used this one).
  const other = await chromium.newPage();
  await submitPassword(other.page, chromium.baseUrl, 'alice@acme.test');
  expect(await other.page.getByRole('heading', { level: 1 }).innerText()).toBe('Open your authenticator app');
  await enterCode(other.page, codeAt(Date.now() + 30_000));
  await other.page.waitForURL(`${chromium.baseUrl}/`);
  expect(await other.page.locator('body').innerText()).toContain('Signed in as alice@acme.test');
  await other.context.close();

  expect(chromium.problems).toEqual([]);
  expect(chromium.logged.join('\n')).not.toContain(key);
});
