/**
 * The recovery-codes page in headless Chromium against the example app, under the library's own
 * CSP: alice makes new codes from her settings page (after the re-authentication code), then
 * downloads them (the file holds exactly the codes), copies them (the clipboard holds the same),
 * prints (the print stylesheet leaves the site's name and the codes only); with JavaScript off the
 * download still works, and the Copy and Print buttons, which would do nothing, are not shown.
 * (Two sign-ins of two codes each: alice's send quota is 5 per 15 minutes.)
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { enterCode, exampleAppInChromium, press, submitPassword } from '../helpers/browser';

const EMAIL = 'alice@acme.test';

jest.setTimeout(60_000);

const running = exampleAppInChromium();

/** Alice, signed in, on the page that shows her new codes; the codes as the page lists them. */
async function newCodes(page: Page): Promise<string[]> {
  await submitPassword(page, running.baseUrl, EMAIL);
  await enterCode(page, await running.smtp.nextCode(EMAIL));
  await page.goto(`${running.baseUrl}/2fa/settings`);
  await press(page, 'Generate new recovery codes');
  await enterCode(page, await running.smtp.nextCode(EMAIL));
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
  const codes = await page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem').allTextContents();
  expect(codes).toHaveLength(10);
  return codes;
}

afterEach(() => {
  // No CSP violation, no script error, on any page.
  expect(running.problems).toEqual([]);
});

test('download, copy and print, with the page’s script under the CSP', async () => {
  const { context, page } = await running.newPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  const codes = await newCodes(page);
  const text = `${codes.join('\n')}\n`;

  const downloaded = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download (.txt)' }).click();
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe('example-co-recovery-codes.txt');
  expect(await readFile(await download.path(), 'utf8')).toBe(text);

  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('status').filter({ hasText: 'The codes are copied to your clipboard.' }).waitFor();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(text);
  // A copy that fails (a browser that refuses) says so; the codes stay on the page.
  await page.evaluate(`Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new Error('denied')) })`);
  await page.getByRole('button', { name: 'Copy' }).click();
  await page.getByRole('status').filter({ hasText: 'The codes couldn’t be copied.' }).waitFor();

  // The Print button asks the browser to print (the dialog itself is the browser's).
  await page.evaluate(`window.print = () => document.documentElement.setAttribute('data-printed', '')`);
  await page.getByRole('button', { name: 'Print' }).click();
  expect(await page.getAttribute('html', 'data-printed')).toBe('');

  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate<string>('document.body.innerText');
  expect(
    printed
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean),
  ).toEqual(['Example Co', ...codes]);
  await page.emulateMedia({ media: 'screen' });
  expect(await page.getByRole('link', { name: 'Done' }).isVisible()).toBe(true);
  await context.close();
});

test('without JavaScript: no Copy or Print button, and the download works', async () => {
  const { context, page } = await running.newPage({ javaScriptEnabled: false });
  const codes = await newCodes(page);
  expect(await page.getByRole('button', { name: 'Copy' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Print' }).count()).toBe(0);
  const downloaded = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download (.txt)' }).click();
  expect(await readFile(await (await downloaded).path(), 'utf8')).toBe(`${codes.join('\n')}\n`);
  await context.close();
});
