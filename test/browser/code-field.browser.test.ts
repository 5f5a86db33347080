/**
 * The code field in real Chromium: the browser's own validation (the `pattern` attribute, compiled
 * by Chromium) agrees with the server's `normaliseCode` on many inputs, and a code typed as
 * "123-456" (as people copy it) is submitted and signs in. Before, `pattern="[0-9 ]*"` and
 * `maxlength="7"` made the browser refuse "123-456" although the server accepts it.
 */
import fc from 'fast-check';
import { normaliseCode } from '../../src/core/challenges';
import { enterCode, exampleAppInChromium, submitPassword } from '../helpers/browser';

jest.setTimeout(60_000);
const running = exampleAppInChromium();

test('Chromium accepts exactly what the server accepts, and "123-456" signs in', async () => {
  const { page, context } = await running.newPage();
  await submitPassword(page, running.baseUrl, 'alice@acme.test');
  const field = page.getByLabel('Enter the 6-digit code');
  await field.waitFor();

  const character = fc.constantFrom(...'0123456789', ' ', '-', '\u00a0', 'a', '_', '.', '٣');
  const samples = [
    '123456',
    '123 456',
    '123-456',
    ' 123-456 ',
    '12 34 56',
    '1-2-3-4-5-6',
    '12345',
    '1234567',
    '12a456',
    '١٢٣٤٥٦',
    '123_456',
    ...fc.sample(
      fc.array(character, { maxLength: 14 }).map((chars) => chars.join('')),
      { numRuns: 300, seed: 12 },
    ),
  ];
  // Chromium's verdict on each value (set as a script would; `tooLong` only follows typing, and no sample is longer than maxlength).
  const verdicts = await field.evaluate(
    (input: { value: string; validity: { valid: boolean } }, values: string[]) =>
      values.map((value) => {
        input.value = value;
        return { value: input.value, valid: input.validity.valid };
      }),
    samples,
  );
  const disagreements = verdicts.filter(({ value, valid }) => valid !== (normaliseCode(value) !== null));
  expect(disagreements).toEqual([]);
  expect(verdicts.filter((v) => v.valid).length).toBeGreaterThan(5);

  // The code as a person types it from the email, with a dash; the form goes through (no validation bubble).
  const code = await running.smtp.nextCode('alice@acme.test', 10_000);
  await enterCode(page, `${code.slice(0, 3)}-${code.slice(3)}`);
  expect(page.url()).toBe(`${running.baseUrl}/`);
  expect(await page.locator('body').innerText()).toContain('Signed in as alice@acme.test');
  expect(running.problems).toEqual([]);
  await context.close();
});
