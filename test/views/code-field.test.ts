/**
 * The code field accepts exactly what the server accepts: its `pattern`, compiled as a browser does
 * (anchored, the `v` flag), against `normaliseCode` on generated input; its `maxlength` is the
 * server's limit. (The same, typed into real Chromium: test/browser/code-field.browser.test.ts.)
 */
import fc from 'fast-check';
import { EN } from '../helpers/words';
import { CODE_FIELD_PATTERN, MAX_TYPED_CODE, normaliseCode } from '../../src/core/challenges';
import { codeField } from '../../src/views/components';

/** How HTML compiles a `pattern` attribute (HTML standard, "compiling a pattern"). */
const browserPattern = new RegExp(`^(?:${CODE_FIELD_PATTERN})$`, 'v');
const accepted = (typed: string): boolean => typed.length <= MAX_TYPED_CODE && browserPattern.test(typed);

describe('the code field', () => {
  test.each(['123456', '123 456', '123-456', ' 123456 ', '12 34 56', '1-2-3-4-5-6', '123\u00a0456', '123\t456'])(
    'takes %j, as the server does',
    (typed) => {
      expect(normaliseCode(typed)).toBe('123456');
      expect(accepted(typed)).toBe(true);
    },
  );

  test.each(['12345', '1234567', '12a456', '١٢٣٤٥٦', '123_456', '+123456', '123.456', `${' '.repeat(30)}123456`])(
    'refuses %j, as the server does',
    (typed) => {
      expect(normaliseCode(typed)).toBeNull();
      expect(accepted(typed)).toBe(false);
    },
  );

  test('pattern and maxlength agree with normaliseCode on any input', () => {
    const character = fc.constantFrom(...'0123456789', ' ', '-', '\t', '\u00a0', '\u2003', 'a', 'O', '_', '+', '.', '٣', '𝟙');
    const anything = fc.array(character, { maxLength: 40 }).map((chars) => chars.join(''));
    // Mostly codes as people type them: 5 to 7 digits between separators, now and then a stray character.
    const separators = fc.array(fc.constantFrom(' ', '-', '\t', '\u00a0', '\u2003'), { maxLength: 4 }).map((s) => s.join(''));
    const digit = fc.constantFrom(...'0123456789');
    const codeLike = fc
      .tuple(separators, fc.array(fc.tuple(digit, separators), { minLength: 5, maxLength: 7 }), fc.option(character, { freq: 4 }))
      .map(([lead, groups, stray]) => lead + groups.map(([d, s]) => d + s).join('') + (stray ?? ''));
    let acceptedCount = 0;
    fc.assert(
      fc.property(fc.oneof(anything, codeLike), (typed) => {
        if (accepted(typed)) acceptedCount += 1;
        return accepted(typed) === (normaliseCode(typed) !== null);
      }),
      { numRuns: 5000 },
    );
    // Both sides of the line were tried.
    expect(acceptedCount).toBeGreaterThan(500);
    expect(acceptedCount).toBeLessThan(4500);
  });

  test('the rendered field carries them', () => {
    const field = codeField({ invalid: false, disabled: false, autofocus: false }, EN.t).toString();
    expect(field).toContain(`pattern="${CODE_FIELD_PATTERN}"`);
    expect(field).toContain(`maxlength="${MAX_TYPED_CODE}"`);
  });
});
