/**
 * Phone numbers in, E.164 out. Pure functions over libphonenumber-js; no Express, no store.
 *
 * The "max" metadata is used because only it knows number *types*: premium-rate, toll-free,
 * shared-cost and personal numbers are the usual targets of toll fraud (SMS pumping), and the
 * smaller "min" metadata cannot tell them from a mobile. It costs about 150 kB of JSON (40 kB
 * gzipped), loaded once per process, which is fine for a server-side library.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberType, type PhoneNumber } from 'libphonenumber-js/max';
import { ConfigurationError } from '../errors';

export type { CountryCode, NumberType };

/** Anything longer than this is not a phone number someone typed; it is refused before parsing. */
export const MAX_PHONE_INPUT_LENGTH = 32;

/** The number types a code may be sent to unless `allowedTypes` says otherwise. */
export const DEFAULT_ALLOWED_NUMBER_TYPES: readonly NumberType[] = ['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE'];

/**
 * Types whose every text or call is billed above a normal one: `allowedTypes` may list them only
 * together with `allowHighCostNumbers: true`. (Numbers of no country are the other high-cost range.)
 */
export const HIGH_COST_NUMBER_TYPES: readonly NumberType[] = ['PREMIUM_RATE', 'SHARED_COST'];

export interface PhoneOptions {
  /** The country assumed for numbers typed without a `+` prefix, e.g. "US". Without it such numbers are invalid. */
  defaultCountry?: CountryCode;
  /** Only numbers of these countries are accepted (toll-fraud protection). Default: every country. */
  allowedCountries?: readonly CountryCode[];
  /**
   * Number types accepted. Default `DEFAULT_ALLOWED_NUMBER_TYPES` (mobile and fixed line). Note that
   * Twilio's test numbers (`+1 500 555 …`) are PERSONAL_NUMBER; add that type to use them.
   */
  allowedTypes?: readonly NumberType[];
  /**
   * Accept high-cost numbers, the ranges toll fraud (SMS pumping, revenue-share fraud) sends to.
   * Default false, which refuses:
   * - every number of no country: +800 international freephone, +808 shared cost, +870 Inmarsat,
   *   +878 universal personal telecommunications, +881 satellite (Iridium, Globalstar, …), +882 and
   *   +883 international networks (satellite such as Thuraya, and carriers without a country), +888
   *   humanitarian, +979 international premium rate;
   * - premium-rate and shared-cost numbers (`HIGH_COST_NUMBER_TYPES`), which `allowedTypes` may then
   *   not list.
   * Set it for users who really carry a satellite phone. Numbers of no country still never pass
   * `allowedCountries`, and the type rules still apply.
   */
  allowHighCostNumbers?: boolean;
}

export type PhoneRejection = 'invalid' | 'not-possible' | 'country-not-allowed' | 'not-mobile-or-fixed' | 'no-country';

export type NormalisedPhone = { ok: true; e164: string; country?: CountryCode } | { ok: false; reason: PhoneRejection };

const E164 = /^\+[1-9]\d{1,14}$/;

/** True for a canonical E.164 string: `+`, a country code that does not start with 0, at most 15 digits. */
export function isE164(value: unknown): value is string {
  return typeof value === 'string' && E164.test(value);
}

/**
 * Checks phone options once, at set-up. Throws a `ConfigurationError` naming the option (under
 * `optionName`, e.g. "phone") and the fix.
 */
export function validatePhoneOptions(options: PhoneOptions, optionName = 'phone'): void {
  const { defaultCountry, allowedCountries, allowedTypes, allowHighCostNumbers } = options;
  if (defaultCountry !== undefined && !isCountry(defaultCountry)) {
    throw new ConfigurationError(
      `\`${optionName}.defaultCountry\` must be an ISO 3166-1 alpha-2 country code such as "US" or "GB"; received ${JSON.stringify(defaultCountry)}.`,
    );
  }
  if (allowedCountries !== undefined) {
    if (!Array.isArray(allowedCountries) || allowedCountries.length === 0) {
      throw new ConfigurationError(
        `\`${optionName}.allowedCountries\` must be a non-empty array of country codes such as ["US", "CA"]; leave it out to allow every country.`,
      );
    }
    const unknown = allowedCountries.filter((country) => !isCountry(country));
    if (unknown.length > 0) {
      throw new ConfigurationError(
        `\`${optionName}.allowedCountries\` contains unknown country codes ${JSON.stringify(unknown)}: use ISO 3166-1 alpha-2 codes such as "US" or "GB".`,
      );
    }
    if (defaultCountry !== undefined && !allowedCountries.includes(defaultCountry)) {
      throw new ConfigurationError(
        `\`${optionName}.defaultCountry\` ("${defaultCountry}") is not in \`${optionName}.allowedCountries\`: add it, or choose another default country.`,
      );
    }
  }
  if (allowedTypes !== undefined && (!Array.isArray(allowedTypes) || allowedTypes.length === 0)) {
    throw new ConfigurationError(
      `\`${optionName}.allowedTypes\` must be a non-empty array such as ["MOBILE", "FIXED_LINE", "FIXED_LINE_OR_MOBILE"].`,
    );
  }
  if (allowHighCostNumbers !== undefined && typeof allowHighCostNumbers !== 'boolean') {
    throw new ConfigurationError(`\`${optionName}.allowHighCostNumbers\` must be true or false.`);
  }
  const highCost = (allowedTypes ?? []).find((type) => HIGH_COST_NUMBER_TYPES.includes(type));
  if (highCost !== undefined && allowHighCostNumbers !== true) {
    throw new ConfigurationError(
      `\`${optionName}.allowedTypes\` includes the high-cost type "${highCost}", a toll-fraud target: remove it, or set \`${optionName}.allowHighCostNumbers: true\` if you mean it.`,
    );
  }
}

/**
 * Parses what a user typed into E.164, or says why it cannot be used. The whole input must be the
 * number (no surrounding text, no extension). Reasons, in the order they are checked:
 * - `invalid`: not a phone number at all, too long to be one, has an extension, or is not assigned
 *   in its numbering plan;
 * - `not-possible`: the wrong number of digits for its country;
 * - `country-not-allowed`: outside `allowedCountries` (numbers of no country, such as +800, never pass it);
 * - `not-mobile-or-fixed`: premium-rate, toll-free, shared-cost, personal, pager and the like;
 * - `no-country`: a number of no country (satellite, international networks), unless
 *   `allowHighCostNumbers`.
 */
export function normalisePhone(input: string, options: PhoneOptions = {}): NormalisedPhone {
  if (typeof input !== 'string') return { ok: false, reason: 'invalid' };
  // libphonenumber-js reads full-width and other Unicode digits but not the full-width plus an
  // East Asian keyboard types; map that one character so such input is not refused.
  const text = input.trim().replace(/\uFF0B/g, '+');
  if (text.length === 0 || text.length > MAX_PHONE_INPUT_LENGTH) return { ok: false, reason: 'invalid' };

  const defaultCountry = options.defaultCountry !== undefined && isCountry(options.defaultCountry) ? options.defaultCountry : undefined;
  let parsed: PhoneNumber | undefined;
  try {
    parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: false });
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.ext) return { ok: false, reason: 'invalid' };
  if (!parsed.isPossible()) return { ok: false, reason: 'not-possible' };
  if (!parsed.isValid()) return { ok: false, reason: 'invalid' };

  const country = parsed.country;
  if (options.allowedCountries && (country === undefined || !options.allowedCountries.includes(country))) {
    return { ok: false, reason: 'country-not-allowed' };
  }
  const type = parsed.getType();
  const allowedTypes = options.allowedTypes ?? DEFAULT_ALLOWED_NUMBER_TYPES;
  if (type === undefined || !allowedTypes.includes(type)) return { ok: false, reason: 'not-mobile-or-fixed' };
  // Satellite and international-network numbers can be mobiles, so their type lets them through.
  if (country === undefined && options.allowHighCostNumbers !== true) return { ok: false, reason: 'no-country' };

  const e164 = parsed.number;
  if (!isE164(e164)) return { ok: false, reason: 'invalid' };
  return country === undefined ? { ok: true, e164 } : { ok: true, e164, country };
}

function isCountry(value: unknown): value is CountryCode {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && isSupportedCountry(value);
}
