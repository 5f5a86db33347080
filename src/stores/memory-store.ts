import type { AccountSettings, AccountSettingsPatch, TrustedDevice, UserSettings } from '../types';
import { safeEqual } from '../core/secrets';
import { ConfigurationError } from '../errors';
import { ExpiringMap } from './expiring-map';
import { lockDurationMs, oldestFirst } from './shared-rules';
import type {
  AttemptOutcome,
  AttemptPolicy,
  ChallengeRecord,
  DurableStore,
  EphemeralStore,
  FailureState,
  IndexedSession,
  IssueLimits,
  IssueOutcome,
  QuotaOutcome,
  RateWindow,
  StoredCredential,
  StoredDevice,
  StoreReport,
  VerifyOutcome,
} from '../core/store';

export interface MemoryStoreOptions {
  /** Cap on entries per kind of ephemeral state (challenges, counters, quota buckets, users with devices). Default 100 000. */
  maxEntries?: number;
  /** How often expired entries are swept, in ms. Default 60 000. */
  sweepIntervalMs?: number;
}

interface ActiveChallenge {
  record: ChallengeRecord;
  attempts: number;
}

interface Failures {
  failures: number;
  lockedUntil: number;
  /** Locked out for good: kept without expiry until a recovery code or an admin clears it. */
  lockedOut: boolean;
}

const NO_FAILURES: Failures = { failures: 0, lockedUntil: 0, lockedOut: false };

/**
 * The embedded default: everything in this process's memory. Fine for development and tests; in
 * production state would vanish on restart and not be shared between instances, so it warns there.
 * JavaScript runs one method at a time, which makes every method atomic without locks.
 */
export class MemoryStore implements EphemeralStore, DurableStore {
  private readonly challenges: ExpiringMap<string, ActiveChallenge>;
  private readonly failures: ExpiringMap<string, Failures>;
  private readonly sends: ExpiringMap<string, number[]>;
  private readonly quotas: ExpiringMap<string, number[]>;
  private readonly devices: ExpiringMap<string, Map<string, StoredDevice>>;
  private readonly sessions: ExpiringMap<string, Map<string, IndexedSession>>;
  private readonly claims: ExpiringMap<string, true>;
  // Durable settings are never evicted: dropping them would switch 2FA off. Recovery codes are
  // durable too: evicting them would lock a user out of their last way in.
  private readonly userSettings = new Map<string, UserSettings>();
  private readonly recoveryCodes = new Map<string, Set<string>>();
  private readonly accountSettings = new Map<string, AccountSettings>();
  /** User id → (method, credential id) → credential. Durable: never evicted. */
  private readonly credentials = new Map<string, Map<string, StoredCredential>>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(options: MemoryStoreOptions = {}) {
    const maxEntries = options.maxEntries ?? 100_000;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new ConfigurationError('MemoryStore: "maxEntries" must be a positive integer.');
    }
    this.challenges = new ExpiringMap(maxEntries);
    this.failures = new ExpiringMap(maxEntries);
    this.sends = new ExpiringMap(maxEntries);
    this.quotas = new ExpiringMap(maxEntries);
    this.devices = new ExpiringMap(maxEntries);
    this.sessions = new ExpiringMap(maxEntries);
    this.claims = new ExpiringMap(maxEntries);
    this.sweeper = setInterval(() => this.sweep(Date.now()), options.sweepIntervalMs ?? 60_000);
    this.sweeper.unref();
  }

  async init(): Promise<StoreReport | undefined> {
    if (process.env.NODE_ENV !== 'production') return undefined;
    return {
      warnings: [
        'express-device-2fa: MemoryStore is for development. In production pass a RedisStore: memory state is lost on restart and not shared between instances.',
      ],
    };
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** Drops expired entries now (also runs on a timer). */
  sweep(now: number): void {
    this.challenges.sweep(now);
    this.failures.sweep(now);
    this.sends.sweep(now);
    this.quotas.sweep(now);
    this.devices.sweep(now);
    this.sessions.sweep(now);
    this.claims.sweep(now);
  }

  async issueChallenge(userId: string, challengeId: string, challenge: ChallengeRecord, limits: IssueLimits): Promise<IssueOutcome> {
    const { now } = limits;
    const failures = this.failures.get(userId, now) ?? NO_FAILURES;
    if (failures.lockedOut) return { status: 'locked-out' };
    if (failures.lockedUntil > now) return { status: 'locked', retryAfterMs: failures.lockedUntil - now };

    const key = challengeKey(userId, challengeId);
    const current = this.challenges.get(key, now);
    // The same method again for the same attempt waits; another method or another attempt does not.
    const wait = current && current.record.method === challenge.method ? current.record.sentAt + limits.resendWaitMs - now : 0;
    if (wait > 0) return { status: 'throttled', retryAfterMs: wait, scope: 'resend' };

    const quota = this.takeQuota(this.sends, userId, limits.sendQuota, now);
    if (!quota.allowed) return { status: 'throttled', retryAfterMs: quota.retryAfterMs, scope: 'quota' };

    this.challenges.set(key, { record: { ...challenge }, attempts: current?.attempts ?? 0 }, challenge.expiresAt);
    return { status: 'issued' };
  }

  async verifyChallenge(userId: string, challengeId: string, codeHash: string, policy: AttemptPolicy): Promise<VerifyOutcome> {
    const { now } = policy;
    const state = this.failures.get(userId, now) ?? NO_FAILURES;
    const key = challengeKey(userId, challengeId);

    // Locked out for good: nothing is compared or counted until a recovery code or an admin clears it.
    if (state.lockedOut) return { status: 'locked-out', justLockedOut: false };
    const failed = (
      outcome: { status: 'locked' | 'missing' | 'expired' | 'exhausted' } | { status: 'wrong'; attemptsLeft: number },
    ): VerifyOutcome => {
      const lockedForMs = this.recordFailure(userId, state, policy);
      if (this.failures.get(userId, now)?.lockedOut) return { status: 'locked-out', justLockedOut: true };
      return outcome.status === 'locked' ? { status: 'locked', retryAfterMs: lockedForMs } : ({ ...outcome, lockedForMs } as VerifyOutcome);
    };
    if (state.lockedUntil > now) return failed({ status: 'locked' });
    // Read without the expiry check so an expired code is reported as expired, not missing.
    const active = this.challenges.get(key, Number.NEGATIVE_INFINITY);
    if (!active) return failed({ status: 'missing' });
    if (active.record.expiresAt <= now) {
      this.challenges.delete(key);
      return failed({ status: 'expired' });
    }
    if (safeEqual(active.record.codeHash, codeHash)) {
      this.challenges.delete(key);
      this.failures.delete(userId);
      const { codeHash: _hash, ...challenge } = active.record;
      return { status: 'verified', challenge };
    }
    active.attempts += 1;
    if (active.attempts >= policy.maxAttempts) {
      this.challenges.delete(key);
      return failed({ status: 'exhausted' });
    }
    return failed({ status: 'wrong', attemptsLeft: policy.maxAttempts - active.attempts });
  }

  async discardChallenge(userId: string, challengeId: string): Promise<void> {
    this.challenges.delete(challengeKey(userId, challengeId));
  }

  async getFailureState(userId: string, now: number): Promise<FailureState> {
    const state = this.failures.get(userId, now) ?? NO_FAILURES;
    return { failures: state.failures, lockedForMs: Math.max(0, state.lockedUntil - now), lockedOut: state.lockedOut };
  }

  async clearFailures(userId: string): Promise<boolean> {
    return this.failures.delete(userId);
  }

  async recordAttempt(userId: string, policy: AttemptPolicy, { recovery = false } = {}): Promise<AttemptOutcome> {
    const state = this.failures.get(userId, policy.now) ?? NO_FAILURES;
    if (state.lockedOut && !recovery) return { status: 'locked-out', justLockedOut: false };
    const locked = state.lockedUntil > policy.now;
    const lockedForMs = this.recordFailure(userId, state, policy);
    const justLockedOut = !state.lockedOut && this.failures.get(userId, policy.now)?.lockedOut === true;
    if (!locked) return { status: 'counted', lockedForMs, justLockedOut };
    return justLockedOut && !recovery ? { status: 'locked-out', justLockedOut } : { status: 'locked', retryAfterMs: lockedForMs };
  }

  async claimOnce(userId: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    const key = `${userId}\u0000${token}`;
    if (this.claims.get(key, now)) return false;
    this.claims.set(key, true, now + ttlMs);
    return true;
  }

  async hitQuota(bucket: string, windows: readonly RateWindow[], now: number): Promise<QuotaOutcome> {
    return this.takeQuota(this.quotas, bucket, windows, now);
  }

  async setRecoveryCodes(userId: string, codeHashes: readonly string[]): Promise<void> {
    if (codeHashes.length === 0) this.recoveryCodes.delete(userId);
    else this.recoveryCodes.set(userId, new Set(codeHashes));
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    return this.recoveryCodes.get(userId)?.size ?? 0;
  }

  async consumeRecoveryCode(userId: string, codeHash: string): Promise<number | null> {
    // A plain lookup by hash, as in RedisStore: the stored values are HMACs of high-entropy codes,
    // so lookup timing cannot steer a guess towards a valid code.
    const codes = this.recoveryCodes.get(userId);
    if (!codes?.delete(codeHash)) return null;
    if (codes.size === 0) this.recoveryCodes.delete(userId);
    return codes.size;
  }

  async putDevice(device: StoredDevice): Promise<void> {
    const now = device.createdAt;
    const devices = this.devices.get(device.userId, now) ?? new Map<string, StoredDevice>();
    devices.set(device.id, { ...device });
    this.devices.set(device.userId, devices, latestExpiry(devices));
  }

  async useDevice(userId: string, deviceId: string, secretHash: string, now: number): Promise<TrustedDevice | null> {
    const device = this.devices.get(userId, now)?.get(deviceId);
    if (!device || device.expiresAt <= now || !safeEqual(device.secretHash, secretHash)) return null;
    device.lastUsedAt = now;
    return publicDevice(device);
  }

  async listDevices(userId: string, now: number): Promise<TrustedDevice[]> {
    const devices = [...(this.devices.get(userId, now)?.values() ?? [])];
    return devices
      .filter((d) => d.expiresAt > now)
      .sort((a, b) => b.createdAt - a.createdAt)
      .map(publicDevice);
  }

  async deleteDevice(userId: string, deviceId: string): Promise<boolean> {
    return this.devices.get(userId, Number.NEGATIVE_INFINITY)?.delete(deviceId) ?? false;
  }

  async deleteAllDevices(userId: string): Promise<number> {
    const count = this.devices.get(userId, Number.NEGATIVE_INFINITY)?.size ?? 0;
    this.devices.delete(userId);
    return count;
  }

  async putSession(userId: string, session: IndexedSession): Promise<void> {
    const sessions = this.sessions.get(userId, Number.NEGATIVE_INFINITY) ?? new Map<string, IndexedSession>();
    sessions.set(session.id, { ...session });
    this.sessions.set(userId, sessions, Math.max(...[...sessions.values()].map((s) => s.expiresAt)));
  }

  async listSessions(userId: string, now: number): Promise<IndexedSession[]> {
    const sessions = this.sessions.get(userId, now);
    if (!sessions) return [];
    for (const [id, s] of sessions) if (s.expiresAt <= now) sessions.delete(id);
    return [...sessions.values()].sort(oldestFirst).map((s) => ({ ...s }));
  }

  async deleteSessions(userId: string, sessionIds: readonly string[]): Promise<number> {
    const sessions = this.sessions.get(userId, Number.NEGATIVE_INFINITY);
    return sessionIds.filter((id) => sessions?.delete(id)).length;
  }

  async listCredentials(userId: string, method: string): Promise<StoredCredential[]> {
    const all = [...(this.credentials.get(userId)?.values() ?? [])];
    return all
      .filter((c) => c.method === method)
      .sort(oldestFirst)
      .map((c) => ({ ...c }));
  }

  async putCredential(userId: string, credential: StoredCredential): Promise<void> {
    const credentials = this.credentials.get(userId) ?? new Map<string, StoredCredential>();
    credentials.set(credentialKey(credential.method, credential.id), { ...credential });
    this.credentials.set(userId, credentials);
  }

  async deleteCredential(userId: string, method: string, id: string): Promise<boolean> {
    const credentials = this.credentials.get(userId);
    const deleted = credentials?.delete(credentialKey(method, id)) ?? false;
    if (credentials?.size === 0) this.credentials.delete(userId);
    return deleted;
  }

  async getUserSettings(userId: string): Promise<UserSettings | null> {
    const settings = this.userSettings.get(userId);
    return settings ? { ...settings } : null;
  }

  async updateUserSettings(userId: string, patch: Partial<UserSettings>, defaults: UserSettings): Promise<UserSettings> {
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const next = { ...(this.userSettings.get(userId) ?? defaults), ...defined };
    this.userSettings.set(userId, next);
    return { ...next };
  }

  async ensureAccountSettings(accountId: string, defaults: AccountSettings): Promise<AccountSettings> {
    let settings = this.accountSettings.get(accountId);
    if (!settings) {
      settings = { ...defaults };
      this.accountSettings.set(accountId, settings);
    }
    return accountCopy(settings);
  }

  async enforceAccount(accountId: string, now: number): Promise<AccountSettings> {
    const current = this.accountSettings.get(accountId);
    if (current?.enforced) return accountCopy(current);
    const settings: AccountSettings = { ...current, enforced: true, enforcedAt: now };
    this.accountSettings.set(accountId, settings);
    return accountCopy(settings);
  }

  async enableAccountSessionPolicy(accountId: string, defaults: AccountSettings): Promise<AccountSettings> {
    const settings = { ...(this.accountSettings.get(accountId) ?? defaults), sessionPolicy: true };
    this.accountSettings.set(accountId, settings);
    return accountCopy(settings);
  }

  async updateAccountSettings(accountId: string, patch: AccountSettingsPatch, defaults: AccountSettings): Promise<AccountSettings> {
    const settings = { ...(this.accountSettings.get(accountId) ?? defaults) };
    if (patch.blockClients !== undefined) settings.blockClients = patch.blockClients;
    this.accountSettings.set(accountId, settings);
    return accountCopy(settings);
  }

  /**
   * Counts one event under `key` in `events` unless a window is full (shared by the per-user send
   * quota and hitQuota). The times are kept as long as the longest window needs them.
   */
  private takeQuota(events: ExpiringMap<string, number[]>, key: string, windows: readonly RateWindow[], now: number): QuotaOutcome {
    if (windows.length === 0) return { allowed: true };
    const longest = Math.max(...windows.map((w) => w.windowMs));
    const times = (events.get(key, now) ?? []).filter((t) => t > now - longest);
    for (const window of windows) {
      const inWindow = times.filter((t) => t > now - window.windowMs);
      if (inWindow.length >= window.max) {
        // Room opens when the oldest event inside the window leaves it.
        const oldest = inWindow[inWindow.length - window.max] ?? now;
        return { allowed: false, retryAfterMs: oldest + window.windowMs - now };
      }
    }
    times.push(now);
    events.set(key, times, now + longest);
    return { allowed: true };
  }

  /**
   * Counts one failure, extends the lock-out if due, and returns the lock length (0 when none). At
   * `permanentAfter` failures the record is kept without expiry: locked out until cleared.
   */
  private recordFailure(userId: string, state: Failures, policy: AttemptPolicy): number {
    const failures = state.failures + 1;
    const lockMs = lockDurationMs(failures, policy);
    const lockedUntil = Math.max(state.lockedUntil, lockMs > 0 ? policy.now + lockMs : 0);
    const lockedOut = state.lockedOut || failures >= policy.permanentAfter;
    const expiresAt = lockedOut ? Number.POSITIVE_INFINITY : Math.max(lockedUntil, policy.now + policy.failureMemoryMs);
    this.failures.set(userId, { failures, lockedUntil, lockedOut }, expiresAt);
    return Math.max(0, lockedUntil - policy.now);
  }
}

function challengeKey(userId: string, challengeId: string): string {
  return `${challengeId}\u0000${userId}`;
}

function credentialKey(method: string, id: string): string {
  return `${method}\u0000${id}`;
}

function latestExpiry(devices: Map<string, StoredDevice>): number {
  let latest = 0;
  for (const device of devices.values()) latest = Math.max(latest, device.expiresAt);
  return latest;
}

function publicDevice({ secretHash: _secret, ...device }: StoredDevice): TrustedDevice {
  return { ...device };
}

/** A caller's copy, every field present (as the Redis store returns them). */
function accountCopy(settings: AccountSettings): AccountSettings {
  return {
    enforced: settings.enforced,
    enforcedAt: settings.enforcedAt,
    blockClients: settings.blockClients === true,
    sessionPolicy: settings.sessionPolicy === true,
  };
}
