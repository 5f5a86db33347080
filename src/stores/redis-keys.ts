/**
 * Redis key layout. Every key of one user carries the same Redis Cluster hash tag `{u:…}` (and every
 * key of one account `{a:…}`), so a Lua script or MULTI touching several of them stays in one slot.
 * Quota buckets belong to no user (a phone number, an IP), so each has its own tag `{q:…}`.
 * Ids are URI-encoded so an id containing `{` or `}` cannot end the hash tag early or start another.
 */

/** The keys that hold one user's state (the packed formats are in redis-records.ts). */
export interface UserKeys {
  /** String: the user's send times, then a line per challenge; expires with the last of them. */
  challenges: string;
  /** Hash: consecutive failures, lockedUntil and the time the whole record expires. */
  failures: string;
  /** String: a line per trusted device; expires with the last of them. */
  devices: string;
  /** Hash, durable (no TTL): enabled, method, phone. */
  settings: string;
  /** Set, durable (no TTL): the HMACs of the unused recovery codes. */
  recovery: string;
  /** Hash: session id → the indexed session; the key lives as long as its longest entry. */
  sessions: string;
  /** String: the claimed `token` (see claimOnce), holding when the claim ends. */
  claim(token: string): string;
  /** Hash, durable (no TTL): credential id → JSON of the user's credential of `method`. */
  credentials(method: string): string;
  /**
   * The trusted devices as stored before issue 13 (a hash per device, and a sorted set of their ids
   * scored by expiry): adopted into `devices` by the first device operation that finds them.
   */
  legacyDevices: string;
  legacyDevice(deviceId: string): string;
}

export function userKeys(prefix: string, userId: string): UserKeys {
  const base = `${prefix}{u:${encodeURIComponent(userId)}}`;
  return {
    challenges: `${base}:c`,
    failures: `${base}:fail`,
    devices: `${base}:d`,
    settings: `${base}:settings`,
    recovery: `${base}:recovery`,
    sessions: `${base}:sess`,
    claim: (token) => `${base}:claim:${encodeURIComponent(token)}`,
    credentials: (method) => `${base}:cred:${encodeURIComponent(method)}`,
    legacyDevices: `${base}:devs`,
    legacyDevice: (deviceId) => `${base}:dev:${deviceId}`,
  };
}

/** Hash, durable (no TTL): enforced, enforcedAt. */
export function accountKey(prefix: string, accountId: string): string {
  return `${prefix}{a:${encodeURIComponent(accountId)}}:account`;
}

/**
 * String: the event times in one quota bucket, for hitQuota. (Before issue 13 a sorted set named
 * `…:quota`: left to expire within its longest window.)
 */
export function quotaKey(prefix: string, bucket: string): string {
  return `${prefix}{q:${encodeURIComponent(bucket)}}:hits`;
}
