/**
 * The authenticator app's code checking against RFC 6238 (Appendix B: the SHA-1 test vectors) and
 * the parts that need no services: the secret, the URI the QR code carries, the key as shown.
 */
import { TOTP, URI } from 'otpauth';
import { groupKey, matchingStep, newSecret, otpauthUri, TOTP_PARAMETERS } from '../../../src/methods/totp/method';

/** RFC 6238's SHA-1 seed, the ASCII "12345678901234567890", in base32. */
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Appendix B, SHA-1 column: time (s) and the 8-digit TOTP. A 6-digit code is its last six digits (the same number mod 10^6). */
const RFC_VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('RFC 6238 test vectors (SHA-1)', () => {
  it.each(RFC_VECTORS)('at T = %i s the code %s is right, for its own 30 s step', (seconds, code) => {
    expect(matchingStep(RFC_SECRET, code.slice(-6), seconds * 1000)).toBe(Math.floor(seconds / 30));
  });

  it.each(RFC_VECTORS)('at T = %i s, a code differing in one digit from %s is refused', (seconds, code) => {
    const six = code.slice(-6);
    const changed = six.slice(0, 5) + String((Number(six[5]) + 1) % 10);
    expect(matchingStep(RFC_SECRET, changed, seconds * 1000)).toBeNull();
  });

  it('uses what every authenticator app supports: SHA-1, 6 digits, 30 s', () => {
    expect(TOTP_PARAMETERS).toEqual({ algorithm: 'SHA1', digits: 6, period: 30 });
  });
});

describe('the window: one step either side, no more', () => {
  const code = '287082'; // step 1 (T = 30..59 s)
  it.each([
    ['one step early (T = 0 s)', 0, 1],
    ['at the end of its own step (T = 59.999 s)', 59_999, 1],
    ['one step late (T = 60 s)', 60_000, 1],
    ['at the end of the step after (T = 89.999 s)', 89_999, 1],
  ])('accepted %s', (_when, at, step) => {
    expect(matchingStep(RFC_SECRET, code, at)).toBe(step);
  });

  it.each([
    ['two steps late (T = 90 s)', 90_000],
    ['much later (T = 1 h)', 3_600_000],
  ])('refused %s', (_when, at) => {
    expect(matchingStep(RFC_SECRET, code, at)).toBeNull();
  });

  it('two steps early is refused', () => {
    // The code of step 3 (T = 90..119 s), tried at T = 30 s (step 1).
    const step3 = TOTP.generate({ ...TOTP_PARAMETERS, secret: otpSecret(RFC_SECRET), timestamp: 90_000 });
    expect(matchingStep(RFC_SECRET, step3, 30_000)).toBeNull();
    expect(matchingStep(RFC_SECRET, step3, 60_000)).toBe(3);
  });

  it("another secret's right code is refused", () => {
    const other = newSecret();
    const now = Date.UTC(2026, 11, 1, 12);
    const theirs = TOTP.generate({ ...TOTP_PARAMETERS, secret: otpSecret(other), timestamp: now });
    expect(matchingStep(other, theirs, now)).toBe(Math.floor(now / 30_000));
    expect(matchingStep(RFC_SECRET, theirs, now)).toBeNull();
  });
});

describe('the secret', () => {
  it('is 160 bits in base32 (32 letters, no padding), new each time', () => {
    const secrets = Array.from({ length: 200 }, newSecret);
    for (const s of secrets) expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(new Set(secrets).size).toBe(secrets.length);
    expect(otpSecret(secrets[0] ?? '').bytes.length).toBe(20);
  });

  it('is shown in groups of four', () => {
    expect(groupKey(RFC_SECRET)).toBe('GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ');
    expect(groupKey('ABCDEF')).toBe('ABCD EF');
  });
});

describe('the otpauth:// URI', () => {
  it('names the site as issuer (without colons, which would cut the label) and the email as label, with the parameters apps support', () => {
    const uri = otpauthUri(RFC_SECRET, 'Acme & Co: Europe', 'alice+2fa@example.com');
    const parsed = URI.parse(uri);
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed).toMatchObject({ issuer: 'Acme & Co Europe', label: 'alice+2fa@example.com', algorithm: 'SHA1', digits: 6, period: 30 });
    expect(parsed.secret.base32).toBe(RFC_SECRET);
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('issuer')).toBe('Acme & Co Europe');
    expect(url.searchParams.get('secret')).toBe(RFC_SECRET);
  });
});

function otpSecret(base32: string) {
  return URI.parse(`otpauth://totp/x?secret=${base32}`).secret;
}
