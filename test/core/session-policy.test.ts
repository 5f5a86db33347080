import { hasSessionPolicy, sessionEnded, sessionEndsAt, touchIntervalMs } from '../../src/core/session-policy';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';

const MINUTE = 60_000;

describe('session policy rules', () => {
  test('the touch interval is a tenth of the idle timeout, between 1 s and 1 min', () => {
    expect(touchIntervalMs(15 * MINUTE)).toBe(MINUTE);
    expect(touchIntervalMs(5 * MINUTE)).toBe(30_000);
    expect(touchIntervalMs(6000)).toBe(1000);
    expect(touchIntervalMs(10 * 60 * MINUTE)).toBe(MINUTE);
  });

  test('a session ends an idle timeout (plus the interval) after its recorded activity, or at its absolute end', () => {
    const policy = { idleMs: 15 * MINUTE, absoluteUntil: 100 * MINUTE };
    expect(sessionEndsAt(policy, 0)).toBe(16 * MINUTE);
    expect(sessionEndsAt(policy, 90 * MINUTE)).toBe(100 * MINUTE);
    expect(sessionEnded(policy, 0, 16 * MINUTE - 1, '192.0.2.1')).toBe(false);
    expect(sessionEnded(policy, 0, 16 * MINUTE, '192.0.2.1')).toBe(true);
  });

  test('a bound session ends on another network only', () => {
    const policy = { idleMs: MINUTE, absoluteUntil: 10 * MINUTE, network: '2001:db8:1:2::/64' };
    expect(sessionEnded(policy, 0, 1000, '2001:db8:1:2::/64')).toBe(false);
    expect(sessionEnded(policy, 0, 1000, '2001:db8:1:3::/64')).toBe(true);
  });

  test("the user's flag or the account's", () => {
    const off = { enforced: false, enforcedAt: null };
    expect(hasSessionPolicy({ settings: DEFAULT_USER_SETTINGS, account: null })).toBe(false);
    expect(hasSessionPolicy({ settings: { ...DEFAULT_USER_SETTINGS, sessionPolicy: true }, account: off })).toBe(true);
    expect(hasSessionPolicy({ settings: DEFAULT_USER_SETTINGS, account: { ...off, sessionPolicy: true } })).toBe(true);
  });
});
