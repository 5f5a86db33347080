import type { Store } from '../stores/store';
import type { TrustedDevice } from '../types';
import { deviceLabel } from './device-label';
import { randomToken, type Hasher } from './secrets';

/**
 * Trusted browsers. The browser holds `<userTag>.<deviceId>.<secret>`; the store holds only a hash
 * of the secret, bound to the user, with a fixed expiry. The user tag (a keyed hash of the user id)
 * lets several users share one browser and still costs one store call per sign-in, without putting
 * user ids in the cookie.
 */
export class TrustedDevices {
  constructor(
    private readonly store: Store,
    private readonly hasher: Hasher,
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  /** Trusts a new browser for the user and returns the token to hand it. */
  async trust(userId: string, userAgent: string | undefined): Promise<{ token: string; device: TrustedDevice }> {
    const now = this.now();
    const id = randomToken(12);
    const secret = randomToken(32);
    const device: TrustedDevice = { id, userId, label: deviceLabel(userAgent), createdAt: now, lastUsedAt: now, expiresAt: now + this.ttlMs };
    await this.store.putDevice({ ...device, secretHash: this.secretHash(id, secret) });
    return { token: `${this.userTag(userId)}.${id}.${secret}`, device };
  }

  /** The trusted device among the browser's tokens that belongs to this user, if any (and marks it used). */
  async recognise(userId: string, tokens: readonly string[]): Promise<TrustedDevice | null> {
    const mine = this.tokenFor(userId, tokens);
    if (!mine) return null;
    const [, id = '', secret = ''] = mine.split('.');
    return this.store.useDevice(userId, id, this.secretHash(id, secret), this.now());
  }

  /** The browser's token for this user, if it holds one (no store call). */
  tokenFor(userId: string, tokens: readonly string[]): string | undefined {
    const tag = `${this.userTag(userId)}.`;
    return tokens.find((token) => token.startsWith(tag) && TOKEN_PATTERN.test(token));
  }

  /** The device id inside a token, so a page can mark "this browser". */
  static deviceId(token: string): string | undefined {
    return token.split('.')[1];
  }

  list(userId: string): Promise<TrustedDevice[]> {
    return this.store.listDevices(userId, this.now());
  }

  revoke(userId: string, deviceId: string): Promise<boolean> {
    return this.store.deleteDevice(userId, deviceId);
  }

  revokeAll(userId: string): Promise<number> {
    return this.store.deleteAllDevices(userId);
  }

  userTag(userId: string): string {
    return this.hasher.hash('device-user', userId).slice(0, 16);
  }

  private secretHash(id: string, secret: string): string {
    return this.hasher.hash('device', id, secret);
  }
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/;
