import { ConfigurationError } from '../../src/errors';
import { isE164, MAX_PHONE_INPUT_LENGTH, normalisePhone, validatePhoneOptions } from '../../src/core/phone';

describe('normalisePhone', () => {
  test.each([
    ['+1 (415) 555-2671', undefined, '+14155552671', 'US'],
    ['(415) 555-2671', 'US', '+14155552671', 'US'],
    ['415.555.2671', 'US', '+14155552671', 'US'],
    ['+44 7400 123456', undefined, '+447400123456', 'GB'],
    ['07400 123456', 'GB', '+447400123456', 'GB'],
    ['+44 20 7946 0000', undefined, '+442079460000', 'GB'],
    ['020 7946 0000', 'GB', '+442079460000', 'GB'],
    ['06 12 34 56 78', 'FR', '+33612345678', 'FR'],
    ['0033 6 12 34 56 78', 'FR', '+33612345678', 'FR'],
    ['+33 1 40 00 00 00', undefined, '+33140000000', 'FR'],
    // A "+" number is international whatever the default country.
    ['+33 6 12 34 56 78', 'US', '+33612345678', 'FR'],
    ['  +14155552671  ', undefined, '+14155552671', 'US'],
  ] as const)('%j (default %s) → %s', (input, defaultCountry, e164, country) => {
    expect(normalisePhone(input, { defaultCountry })).toEqual({ ok: true, e164, country });
  });

  test('a national number without a default country is invalid', () => {
    expect(normalisePhone('(415) 555-2671', {})).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone('07400 123456', {})).toEqual({ ok: false, reason: 'invalid' });
  });

  test.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['abc', 'letters'],
    ['+1-800-FLOWERS', 'vanity letters'],
    ['+1 415 555 O671', 'a letter O for a zero'],
    ['call me on +14155552671 please', 'a number inside text'],
    ['+14155552671 ext. 5', 'an extension'],
    ['+14155552671;ext=5', 'an RFC 3966 extension'],
    ['+447700900123', 'an unassigned (drama) range'],
    ['++14155552671', 'a doubled plus'],
    ['<script>alert(1)</script>', 'markup'],
    ['\u0000+14155552671', 'a control character'],
  ])('%j (%s) is invalid', (input) => {
    expect(normalisePhone(input, { defaultCountry: 'US' })).toEqual({ ok: false, reason: 'invalid' });
  });

  test('input over 32 characters is refused before parsing, even when it holds a valid number', () => {
    const spaced = (gap: number): string => `+1${' '.repeat(gap)}4155552671`;
    expect(spaced(20)).toHaveLength(MAX_PHONE_INPUT_LENGTH);
    expect(normalisePhone(spaced(20), {})).toEqual({ ok: true, e164: '+14155552671', country: 'US' });
    expect(normalisePhone(spaced(21), {})).toEqual({ ok: false, reason: 'invalid' });
    const started = Date.now();
    expect(normalisePhone('1'.repeat(1_000_000), { defaultCountry: 'US' })).toEqual({ ok: false, reason: 'invalid' });
    expect(Date.now() - started).toBeLessThan(50);
  });

  test('unicode digits (full-width, Arabic-Indic) and the full-width plus come out as ASCII E.164', () => {
    expect(normalisePhone('＋１ ４１５ ５５５ ２６７１', {})).toEqual({ ok: true, e164: '+14155552671', country: 'US' });
    expect(normalisePhone('+１４１５５５５２６７１', {})).toEqual({ ok: true, e164: '+14155552671', country: 'US' });
    expect(normalisePhone('+١٤١٥٥٥٥٢٦٧١', {})).toEqual({ ok: true, e164: '+14155552671', country: 'US' });
    expect(normalisePhone('٠٦١٢٣٤٥٦٧٨', { defaultCountry: 'FR' })).toEqual({ ok: true, e164: '+33612345678', country: 'FR' });
  });

  test.each([
    ['+1 41', 'too short'],
    ['+44 7400 123456 7', 'one digit too many'],
    ['+33 6 12 34 56 7', 'one digit short'],
  ])('%j (%s) is not possible', (input) => {
    expect(normalisePhone(input, {})).toEqual({ ok: false, reason: 'not-possible' });
  });

  test('allowedCountries restricts destinations', () => {
    const northAmerica = { allowedCountries: ['US', 'CA'] } as const;
    expect(normalisePhone('+14155552671', northAmerica)).toMatchObject({ ok: true, country: 'US' });
    expect(normalisePhone('+447400123456', northAmerica)).toEqual({ ok: false, reason: 'country-not-allowed' });
    expect(normalisePhone('+33612345678', northAmerica)).toEqual({ ok: false, reason: 'country-not-allowed' });
    expect(normalisePhone('+447400123456', { allowedCountries: ['GB'] })).toMatchObject({ ok: true, e164: '+447400123456' });
    // Numbers that belong to no country (+800 international freephone) never pass a country list.
    expect(normalisePhone('+800 1234 5678', { allowedCountries: ['US'] })).toEqual({ ok: false, reason: 'country-not-allowed' });
  });

  test.each([
    ['+44 906 512 3456', 'UK premium rate'],
    ['+1 900 555 0123', 'US premium rate'],
    ['+33 8 99 12 34 56', 'French premium rate'],
    ['+1 800 356 9377', 'US toll free'],
    ['+800 1234 5678', 'international freephone'],
    ['+44 70 1234 5678', 'UK personal number'],
    ['+1 500 555 0006', "US personal number (Twilio's test numbers)"],
  ])('%j (%s) is not a mobile or fixed line', (input) => {
    expect(normalisePhone(input, {})).toEqual({ ok: false, reason: 'not-mobile-or-fixed' });
  });

  test('allowedTypes widens the accepted types', () => {
    expect(normalisePhone('+15005550006', { allowedTypes: ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER'] })).toEqual({
      ok: true,
      e164: '+15005550006',
      country: 'US',
    });
    expect(normalisePhone('+442079460000', { allowedTypes: ['MOBILE'] })).toEqual({ ok: false, reason: 'not-mobile-or-fixed' });
  });

  test.each([
    ['+881 6 1234 5678', 'Iridium satellite (MOBILE)'],
    ['+8817 1234 5678', 'Globalstar satellite (MOBILE)'],
    ['+882 49 123456', 'international network (MOBILE)'],
    ['+870 776 123 456', 'Inmarsat satellite (MOBILE)'],
  ])('%j (%s), a number of no country, is refused by default', (input) => {
    expect(normalisePhone(input, {})).toEqual({ ok: false, reason: 'no-country' });
  });

  test('allowHighCostNumbers lets numbers of no country through (the type rules still apply)', () => {
    expect(normalisePhone('+881 6 1234 5678', { allowHighCostNumbers: true })).toEqual({ ok: true, e164: '+881612345678' });
    // +883 numbers are VoIP: refused by the default types even so.
    expect(normalisePhone('+883 140 000 0000', { allowHighCostNumbers: true })).toEqual({ ok: false, reason: 'not-mobile-or-fixed' });
    expect(normalisePhone('+883 140 000 0000', { allowHighCostNumbers: true, allowedTypes: ['VOIP'] })).toEqual({
      ok: true,
      e164: '+8831400000000',
    });
    // A country list still refuses them: they are in no country.
    expect(normalisePhone('+881 6 1234 5678', { allowHighCostNumbers: true, allowedCountries: ['US'] })).toEqual({
      ok: false,
      reason: 'country-not-allowed',
    });
  });

  test('premium-rate and shared-cost numbers pass only when the host allows high-cost numbers', () => {
    const premium = { allowedTypes: ['PREMIUM_RATE'], allowHighCostNumbers: true } as const;
    expect(normalisePhone('+44 906 512 3456', premium)).toMatchObject({ ok: true, country: 'GB' });
  });

  test('a value that is not a string is invalid, not a crash', () => {
    expect(normalisePhone(14155552671 as unknown as string, {})).toEqual({ ok: false, reason: 'invalid' });
    expect(normalisePhone(undefined as unknown as string, {})).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('isE164', () => {
  test.each(['+14155552671', '+447400123456', '+33612345678', '+123456789012345'])('%s is E.164', (value) => {
    expect(isE164(value)).toBe(true);
  });
  test.each([
    '14155552671',
    '+0123456789',
    '+1234567890123456',
    ' +14155552671',
    '+1 415 555 2671',
    '+1-415-5552671',
    '+١٤١٥٥٥٥٢٦٧١',
    '+',
    '',
    '+1\n',
  ])('%j is not E.164', (value) => {
    expect(isE164(value)).toBe(false);
  });
  test('non-strings are not E.164', () => {
    expect(isE164(14155552671)).toBe(false);
    expect(isE164(null)).toBe(false);
  });
});

describe('validatePhoneOptions', () => {
  test('accepts good options', () => {
    expect(() => validatePhoneOptions({})).not.toThrow();
    expect(() => validatePhoneOptions({ defaultCountry: 'US', allowedCountries: ['US', 'CA'] })).not.toThrow();
    expect(() => validatePhoneOptions({ allowedTypes: ['MOBILE', 'PREMIUM_RATE'], allowHighCostNumbers: true })).not.toThrow();
  });
  test.each([
    [{ defaultCountry: 'XX' }, /`phone.defaultCountry` must be an ISO 3166-1 alpha-2 country code/],
    [{ defaultCountry: 'us' }, /`phone.defaultCountry` must be/],
    [{ allowedCountries: [] }, /`phone.allowedCountries` must be a non-empty array/],
    [{ allowedCountries: ['US', 'UK'] }, /unknown country codes \["UK"\]/],
    [{ defaultCountry: 'FR', allowedCountries: ['US'] }, /"FR"\) is not in `phone.allowedCountries`/],
    [{ allowedTypes: [] }, /`phone.allowedTypes` must be a non-empty array/],
    [
      { allowedTypes: ['MOBILE', 'PREMIUM_RATE'] },
      /`phone.allowedTypes` includes the high-cost type "PREMIUM_RATE".*`phone.allowHighCostNumbers: true`/,
    ],
    [{ allowedTypes: ['SHARED_COST'] }, /high-cost type "SHARED_COST"/],
    [{ allowHighCostNumbers: 'yes' }, /`phone.allowHighCostNumbers` must be true or false/],
  ])('%j is refused', (options, message) => {
    const attempt = (): void => validatePhoneOptions(options as never);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(message);
  });
});
