import { ConfigurationError } from '../../../src/errors';
import { METHODS } from '../../../src/methods/registry';
import { totp } from '../../../src/methods/totp';

const setup = { channels: {}, siteName: 'Acme', mountPath: '/2fa', development: false };

describe('the authenticator app plugin', () => {
  it('is registered once, under "totp"', () => {
    expect(METHODS.filter((m) => m.id === 'totp')).toEqual([totp]);
  });

  it('is offered by default and with `methods.totp: true`, not with false; needs no channel', () => {
    expect(totp.create({ ...setup, options: undefined })?.id).toBe('totp');
    expect(totp.create({ ...setup, options: true })?.id).toBe('totp');
    expect(totp.create({ ...setup, options: false })).toBeUndefined();
  });

  it.each([null, 'yes', 1, {}, { window: 2 }])('refuses `methods.totp: %p` with a ConfigurationError naming it', (options) => {
    expect(() => totp.create({ ...setup, options })).toThrow(ConfigurationError);
    expect(() => totp.create({ ...setup, options })).toThrow(/`methods\.totp` must be true .* or false/);
  });

  it('is usable only by users with an authenticator app enrolled (no I/O)', () => {
    const method = totp.create({ ...setup, options: undefined });
    const user = (enrolled?: ('totp' | 'email')[]) => ({
      identity: { id: 'u1', email: 'alice@example.com' },
      settings: { enabled: true, method: 'email' as const, phone: null, ...(enrolled ? { enrolled } : {}) },
      account: null,
      required: false,
    });
    expect(method?.usableBy(user())).toBe(false);
    expect(method?.usableBy(user([]))).toBe(false);
    expect(method?.usableBy(user(['email']))).toBe(false);
    expect(method?.usableBy(user(['totp']))).toBe(true);
  });
});
