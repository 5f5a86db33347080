import type { EphemeralStore } from './store';
import type { TrustedDevice } from '../types';
import { deviceLabel } from './device-label';
import type { Actor, Events } from './events';
import { randomToken, type Hasher } from './secrets';

/**
 * Trusted browsers. The browser holds `<userTag>.<deviceId>.<secret>`; the store holds only a hash
 * of the secret, bound to the user, with a fixed expiry. The user tag (a keyed hash of the user id)
 * lets several users share one browser and still costs one store call per sign-in, without putting
 * user ids in the cookie.
 */
export class TrustedDevices {
  constructor(
    private readonly store: EphemeralStore,
    private readonly hasher: Hasher,
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly events: Events,
  ) {}

  /** Trusts a new browser for the user and returns the token to hand it. */
  async trust(userId: string, userAgent: string | undefined, placeHint?: string): Promise<{ token: string; device: TrustedDevice }> {
    const now = this.now();
    const id = randomToken(12);
    const secret = randomToken(32);
    const device: TrustedDevice = {
      id,
      userId,
      label: deviceLabel(userAgent),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: now + this.ttlMs,
    };
    if (placeHint) device.placeHint = placeHint.slice(0, 100);
    await this.store.putDevice({ ...device, secretHash: this.secretHash(id, secret) });
    this.events.emit({ type: 'device.trusted', userId, deviceId: id, label: device.label });
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

  async revoke(userId: string, deviceId: string, by: Actor): Promise<boolean> {
    const removed = await this.store.deleteDevice(userId, deviceId);
    if (removed) this.events.emit({ type: 'device.revoked', userId, deviceId, count: 1, by });
    return removed;
  }

  async revokeAll(userId: string, by: Actor): Promise<number> {
    const count = await this.store.deleteAllDevices(userId);
    if (count > 0) this.events.emit({ type: 'device.revoked', userId, deviceId: null, count, by });
    return count;
  }

  userTag(userId: string): string {
    return this.hasher.hash('device-user', userId).slice(0, 16);
  }

  private secretHash(id: string, secret: string): string {
    return this.hasher.hash('device', id, secret);
  }
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/;
