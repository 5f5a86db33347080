/**
 * The error codes are a closed list, each documented in the README, and every error class of the
 * library carries one of them and no HTTP status (a host's mistake must not become a 400).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as library from '../src';
import { ERROR_CODES, MemoryStore, TwoFactorError, type ErrorCode } from '../src';
import { Challenges } from '../src/core/challenges';
import { Events } from '../src/core/events';
import { Hasher } from '../src/core/secrets';
import { parseOptions } from '../src/options';
import { TEST_SECRET } from './helpers/test-app';

const README = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** The `#### \`ERR_2FA_…\`` entries of the README's "Error codes" section, with their text. */
function readmeEntries(): Map<string, string> {
  const section = /^### Error codes\n([\s\S]*?)(?=^## )/m.exec(README)?.[1];
  if (section === undefined) throw new Error('README.md has no "### Error codes" section');
  const entries = new Map<string, string>();
  for (const [, code, text] of section.matchAll(/^#### `([^`]+)`\n([\s\S]*?)(?=^#### |(?![\s\S]))/gm)) entries.set(code!, text!.trim());
  return entries;
}

describe('error codes', () => {
  test('every code has a README entry saying what it means and what to do, and every entry is a code', () => {
    const entries = readmeEntries();
    expect([...entries.keys()].sort()).toEqual([...ERROR_CODES].sort());
    // A sentence or two: which class, what happened, what to do.
    for (const [code, text] of entries) expect(`${code}: ${text}`).toMatch(/^ERR_2FA_\w+: \S[\s\S]{80,}$/);
  });

  test('the list has no duplicates and every code reads ERR_2FA_…', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    for (const code of ERROR_CODES) expect(code).toMatch(/^ERR_2FA_[A-Z_]+$/);
  });

  const classes = (Object.entries(library) as [string, unknown][]).filter(
    (entry): entry is [string, new (...args: unknown[]) => TwoFactorError] =>
      typeof entry[1] === 'function' && (entry[1] === TwoFactorError || entry[1].prototype instanceof TwoFactorError),
  );

  test('the library exports its error classes', () => {
    expect(classes.map(([name]) => name).sort()).toEqual(
      [
        'ConfigurationError',
        'DeliveryError',
        'EnforcedByAccountError',
        'EnforcementIsOneWayError',
        'ForbiddenError',
        'InvalidArgumentError',
        'InvalidPhoneError',
        'SessionPolicyIsOneWayError',
        'StoreUnavailableError',
        'TwoFactorError',
        'UnknownUserError',
      ].sort(),
    );
  });

  test.each(classes.filter(([name]) => name !== 'TwoFactorError'))(
    '%s carries a listed code, its own name, and no HTTP status',
    (name, ErrorClass) => {
      // Every constructor takes a message-like first argument; DeliveryError also needs its options.
      const error = name === 'DeliveryError' ? new ErrorClass('x', { tryAnotherMethod: true }) : new ErrorClass('x');
      expect(ERROR_CODES as readonly string[]).toContain(error.code);
      expect(error.name).toBe(name);
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toHaveProperty('status');
      expect(error).not.toHaveProperty('statusCode');
    },
  );

  test('a subclass code is not overwritten by a class field (declare, not a field)', () => {
    expect(new library.ConfigurationError('x', 'ERR_2FA_NO_SESSION').code).toBe('ERR_2FA_NO_SESSION');
    expect(new library.ConfigurationError('x').code).toBe('ERR_2FA_CONFIGURATION');
    expect(new library.DeliveryError('x', { tryAnotherMethod: false, code: 'ERR_2FA_PROVIDER' }).code).toBe('ERR_2FA_PROVIDER');
    const code: ErrorCode = new library.InvalidArgumentError('x').code;
    expect(code).toBe('ERR_2FA_INVALID_ARGUMENT');
  });

  test('a send by a method with no channel fails with its own code, ERR_2FA_NO_CHANNEL', async () => {
    // The flows only offer methods that have a channel; the core still answers a method without one.
    const store = new MemoryStore();
    const config = parseOptions({ secret: TEST_SECRET, users: { find: async () => null }, development: true });
    const challenges = new Challenges(store, {}, new Hasher(TEST_SECRET), config, new Events(undefined, Date.now));
    const outcome = await challenges.send({
      userId: 'u1',
      purpose: 'sign-in',
      attempt: 'a1',
      method: 'sms',
      destination: '+15005550006',
      locale: 'en',
    });
    expect(outcome).toMatchObject({ status: 'delivery-failed', error: { code: 'ERR_2FA_NO_CHANNEL', tryAnotherMethod: true } });
    await store.close();
  });

  test('no plain Error or TypeError is thrown from src/ at the host (only these internal ones, never a misuse)', () => {
    // Each of these is caught inside the library or cannot happen: the Redis transaction error is
    // turned into a StoreUnavailableError by the fail-closed wrapper, a box that does not open is
    // its caller's to handle (as is the cipher's own error for a tampered one), the notice kind is
    // checked by the compiler, and the session script runs in the browser.
    const allowed = new Set([
      "src/core/sealing.ts: throw new Error('Not a sealed box.')",
      "src/stores/redis-store.ts: throw new Error('RedisStore: the Redis transaction was aborted.')",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a template literal, quoted as it is.
      'src/views/notice-email.ts: throw new TypeError(`Unknown notice kind: ${String(kind)}`)',
      "src/views/session-script.ts: throw new Error('HTTP ' + response.status)",
    ]);
    const found: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(join(__dirname, '..', dir), { withFileTypes: true })) {
        const path = `${dir}/${entry.name}`;
        if (entry.isDirectory()) walk(path);
        else if (path.endsWith('.ts')) {
          for (const match of readFileSync(join(__dirname, '..', path), 'utf8').matchAll(/throw new (?:Type|Range)?Error\([^;]*?\)(?=;)/g))
            found.push(`${path}: ${match[0]}`);
        }
      }
    };
    walk('src');
    expect(found.filter((site) => !allowed.has(site))).toEqual([]);
  });
});
