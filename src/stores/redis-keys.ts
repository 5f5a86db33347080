/**
 * Redis key layout. Every key of one user carries the same Redis Cluster hash tag `{u:…}` (and every
 * key of one account `{a:…}`), so a Lua script or MULTI touching several of them stays in one slot.
 * Quota buckets belong to no user (a phone number, an IP), so each has its own tag `{q:…}`.
 * Ids are URI-encoded so an id containing `{` or `}` cannot end the hash tag early or start another.
 */

/** The keys that hold one user's state. */
export interface UserKeys {
  /** Hash: the active challenge for `purpose` (codeHash, method, destination, sentAt, expiresAt, attempts). */
  challenge(purpose: string): string;
  /** Hash: consecutive failures, lockedUntil and the time the whole record expires. */
  failures: string;
  /** Sorted set of send times (score = time), for the send quota. */
  sends: string;
  /** Hash: one trusted device. */
  device(deviceId: string): string;
  /** Sorted set: deviceId scored by its expiresAt. */
  devices: string;
  /** Hash, durable (no TTL): enabled, method, phone. */
  settings: string;
  /** Set, durable (no TTL): the HMACs of the unused recovery codes. */
  recovery: string;
  /** Hash: session id → JSON of the indexed session; the key lives as long as its longest entry. */
  sessions: string;
  /** String: the claimed `token` (see claimOnce), holding when the claim ends. */
  claim(token: string): string;
  /** Hash, durable (no TTL): credential id → JSON of the user's credential of `method`. */
  credentials(method: string): string;
}

export function userKeys(prefix: string, userId: string): UserKeys {
  const base = `${prefix}{u:${encodeURIComponent(userId)}}`;
  return {
    challenge: (purpose) => `${base}:ch:${purpose}`,
    failures: `${base}:fail`,
    sends: `${base}:sends`,
    device: (deviceId) => `${base}:dev:${deviceId}`,
    devices: `${base}:devs`,
    settings: `${base}:settings`,
    recovery: `${base}:recovery`,
    sessions: `${base}:sess`,
    claim: (token) => `${base}:claim:${encodeURIComponent(token)}`,
    credentials: (method) => `${base}:cred:${encodeURIComponent(method)}`,
  };
}

/** Hash, durable (no TTL): enforced, enforcedAt. */
export function accountKey(prefix: string, accountId: string): string {
  return `${prefix}{a:${encodeURIComponent(accountId)}}:account`;
}

/** Sorted set of event times (score = time) in one quota bucket, for hitQuota. */
export function quotaKey(prefix: string, bucket: string): string {
  return `${prefix}{q:${encodeURIComponent(bucket)}}:quota`;
}
