import type { ChainableCommander, Cluster, Redis } from 'ioredis';
import type { AccountSettings, AccountSettingsPatch, DeliveryMethod, TrustedDevice, UserSettings } from '../types';
import type { MethodId } from '../core/method';
import { ConfigurationError } from '../errors';
import { accountKey, quotaKey, userKeys } from './redis-keys';
import {
  decodeChallenge,
  decodeDevice,
  decodeSession,
  encodeChallenge,
  encodeDevice,
  encodeSession,
  escapeText,
  recordsOf,
  verifier,
} from './redis-records';
import { defineScripts, type Legacy, type RunScript, type ScriptName, type ScriptReplies } from './redis-scripts';
import { oldestFirst } from './shared-rules';
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

export interface RedisStoreOptions {
  /**
   * An ioredis client (`new Redis(url)` or `new Redis.Cluster(nodes)`) that your app owns: the store
   * never connects or closes it.
   */
  client: Redis | Cluster;
  /** Prepended to every key. Must not contain `{` or `}`. Default "2fa:". */
  prefix?: string;
}

/** Eviction policies that never evict a key without a TTL, i.e. never the durable settings. */
const SAFE_POLICIES = /^(noeviction|volatile-.+)$/;

/**
 * The production store: state shared by every instance of the app, in the host's Redis.
 *
 * Ephemeral state expires through Redis TTLs; settings, recovery codes and credentials are durable keys without a
 * TTL, which is why `init({ durable: true })` refuses a Redis that may evict them. Each method that must be atomic is
 * one Lua script (one round trip), and each user's keys share a Cluster hash tag, so it also runs on
 * Redis Cluster. A user's trusted devices share one string, as do their challenges and send times
 * (redis-records.ts): a key costs Redis about 140 bytes whatever it holds. ioredis is imported for
 * its types only: hosts that never use this store need not install it. Redis errors propagate
 * unchanged so the caller fails closed.
 */
export class RedisStore implements EphemeralStore, DurableStore {
  private readonly client: Redis | Cluster;
  private readonly prefix: string;
  private readonly script: RunScript;

  constructor(options: Readonly<RedisStoreOptions>) {
    this.client = checkClient(options?.client);
    this.prefix = checkPrefix(options.prefix ?? '2fa:');
    this.script = defineScripts(this.client);
  }

  /**
   * With `durable`, checks that Redis will not evict the settings (every master, on a Cluster), and
   * reports (with a warning) when Redis keeps them nowhere but in memory: with neither AOF nor RDB saving,
   * a restart of Redis forgets them. A Redis that hides CONFIG (many managed services) only earns a
   * warning in the report: the check is a safety net, not a requirement. Without `durable` it only checks that Redis
   * answers (a PING), so the step opens once Redis is reachable either way. An unreachable Redis
   * rejects as is, so the caller tries again.
   */
  async init({ durable }: { durable: boolean }): Promise<StoreReport | undefined> {
    if (!durable) {
      await this.client.ping();
      return undefined;
    }
    const inMemoryOnly: string[] = [];
    for (const node of await masters(this.client)) {
      let config: Map<string, string>;
      try {
        config = configValues(await node.config('GET', 'maxmemory-policy', 'appendonly', 'save'));
      } catch (error) {
        if (!(error instanceof Error && error.name === 'ReplyError')) throw error;
        return unchecked(error.message);
      }
      const policy = config.get('maxmemory-policy');
      if (policy === undefined) return unchecked('CONFIG GET returned no maxmemory-policy');
      if (!SAFE_POLICIES.test(policy)) {
        throw new ConfigurationError(
          `RedisStore: Redis runs with "maxmemory-policy ${policy}", which may evict any key, including the ` +
            'durable state (two-factor settings, recovery codes, credentials) this store keeps without a TTL. An evicted ' +
            'setting silently switches two-factor off for that user or account. Set "maxmemory-policy noeviction" and run ' +
            'Redis with persistence ("appendonly yes"), or keep durable state in your own database by passing a ' +
            '`durableStore` to deviceTwoFactor().',
          'ERR_2FA_STORE_MAY_EVICT',
        );
      }
      if (config.get('appendonly') === 'no' && config.get('save') === '') inMemoryOnly.push(`${node.options.host}:${node.options.port}`);
    }
    if (inMemoryOnly.length === 0) return undefined;
    const detail = `appendonly no, save "" on ${inMemoryOnly.join(', ')}`;
    const warning =
      'express-device-2fa: RedisStore keeps durable state (two-factor settings, recovery codes, credentials; pass a ' +
      `\`durableStore\` to keep them elsewhere) on a Redis with neither AOF nor RDB saving (${detail}). A restart of that ` +
      'Redis forgets them, which switches two-factor off for every user whose settings live there. Run Redis with ' +
      '"appendonly yes" (or RDB save points).';
    return { notPersistent: detail, warnings: [warning] };
  }

  async issueChallenge(userId: string, challengeId: string, challenge: ChallengeRecord, limits: IssueLimits): Promise<IssueOutcome> {
    const keys = userKeys(this.prefix, userId);
    const reply = await this.script(
      'issueChallenge',
      [keys.challenges, keys.failures],
      [
        limits.now,
        encodeChallenge(challengeId, challenge),
        limits.resendWaitMs,
        ...limits.sendQuota.flatMap((window) => [window.windowMs, window.max]),
      ],
    );
    switch (reply[0]) {
      case 'issued':
      case 'locked-out':
        return { status: reply[0] };
      case 'locked':
        return { status: 'locked', retryAfterMs: reply[1] };
      default:
        return { status: 'throttled', retryAfterMs: reply[1], scope: reply[2] };
    }
  }

  async verifyChallenge(userId: string, challengeId: string, codeHash: string, policy: AttemptPolicy): Promise<VerifyOutcome> {
    const keys = userKeys(this.prefix, userId);
    const reply = await this.script(
      'verifyChallenge',
      [keys.challenges, keys.failures],
      [escapeText(challengeId), verifier(codeHash), policy.now, policy.maxAttempts, ...failurePolicy(policy)],
    );
    switch (reply[0]) {
      case 'verified':
        return { status: 'verified', challenge: decodeChallenge(reply[1]) };
      case 'wrong':
        return { status: 'wrong', attemptsLeft: reply[1], lockedForMs: reply[2] };
      case 'locked':
        return { status: 'locked', retryAfterMs: reply[1] };
      case 'locked-out':
        return { status: 'locked-out', justLockedOut: reply[1] === 1 };
      default:
        return { status: reply[0], lockedForMs: reply[1] };
    }
  }

  async discardChallenge(userId: string, challengeId: string): Promise<void> {
    await this.script('discardChallenge', [userKeys(this.prefix, userId).challenges], [escapeText(challengeId)]);
  }

  async getFailureState(userId: string, now: number): Promise<FailureState> {
    const [failures, lockedUntil, expiresAt, lockedOut] = await this.client.hmget(
      userKeys(this.prefix, userId).failures,
      'failures',
      'lockedUntil',
      'expiresAt',
      'lockedOut',
    );
    // Expiry by the library's clock, as in the scripts; the Redis TTL only reclaims the memory.
    if (lockedOut !== '1' && (expiresAt == null || Number(expiresAt) <= now)) return { failures: 0, lockedForMs: 0, lockedOut: false };
    return { failures: Number(failures), lockedForMs: Math.max(0, Number(lockedUntil) - now), lockedOut: lockedOut === '1' };
  }

  async clearFailures(userId: string): Promise<boolean> {
    return (await this.client.del(userKeys(this.prefix, userId).failures)) === 1;
  }

  async recordAttempt(userId: string, policy: AttemptPolicy, { recovery = false } = {}): Promise<AttemptOutcome> {
    const key = userKeys(this.prefix, userId).failures;
    const reply = await this.script('recordAttempt', [key], [policy.now, ...failurePolicy(policy), recovery ? '1' : '0']);
    switch (reply[0]) {
      case 'counted':
        return { status: 'counted', lockedForMs: reply[1], justLockedOut: reply[2] === 1 };
      case 'locked':
        return { status: 'locked', retryAfterMs: reply[1] };
      default:
        return { status: 'locked-out', justLockedOut: reply[1] === 1 };
    }
  }

  async claimOnce(userId: string, token: string, ttlMs: number, now: number): Promise<boolean> {
    return (await this.script('claimOnce', [userKeys(this.prefix, userId).claim(token)], [now, now + ttlMs, ttlMs])) === 1;
  }

  async hitQuota(bucket: string, windows: readonly RateWindow[], now: number): Promise<QuotaOutcome> {
    const reply = await this.script(
      'hitQuota',
      [quotaKey(this.prefix, bucket)],
      [now, ...windows.flatMap((window) => [window.windowMs, window.max])],
    );
    return reply[0] === 'allowed' ? { allowed: true } : { allowed: false, retryAfterMs: reply[1] };
  }

  /** One MULTI, so a concurrent use never sees a mix of old and new codes. No TTL: the codes are durable. */
  async setRecoveryCodes(userId: string, codeHashes: readonly string[]): Promise<void> {
    const key = userKeys(this.prefix, userId).recovery;
    if (codeHashes.length === 0) {
      await this.client.del(key);
      return;
    }
    await exec(
      this.client
        .multi()
        .del(key)
        .sadd(key, ...codeHashes),
    );
  }

  async countRecoveryCodes(userId: string): Promise<number> {
    return this.client.scard(userKeys(this.prefix, userId).recovery);
  }

  /**
   * One MULTI: SREM tests membership and consumes the code in one step, SCARD counts what is left.
   * Membership is a lookup by hash, not a constant-time comparison, and that is safe: the members are
   * HMACs of high-entropy codes, so lookup timing cannot steer a guess towards a valid code.
   */
  async consumeRecoveryCode(userId: string, codeHash: string): Promise<number | null> {
    const key = userKeys(this.prefix, userId).recovery;
    const [removed, remaining] = await exec(this.client.multi().srem(key, codeHash).scard(key));
    return removed === 1 ? (remaining as number) : null;
  }

  async putDevice(device: StoredDevice): Promise<void> {
    await this.deviceScript('putDevice', device.userId, [encodeDevice(device), device.createdAt], device.createdAt);
  }

  async useDevice(userId: string, deviceId: string, secretHash: string, now: number): Promise<TrustedDevice | null> {
    const record = await this.deviceScript('useDevice', userId, [escapeText(deviceId), verifier(secretHash), now], now);
    return record === null ? null : decodeDevice(userId, record);
  }

  async listDevices(userId: string, now: number): Promise<TrustedDevice[]> {
    const records = recordsOf(await this.deviceScript('readDevices', userId, [], now));
    return records
      .map((record) => decodeDevice(userId, record))
      .filter((device) => device.expiresAt > now)
      .sort((a, b) => b.createdAt - a.createdAt);
  }

  async deleteDevice(userId: string, deviceId: string): Promise<boolean> {
    return (await this.deviceScript('deleteDevice', userId, [escapeText(deviceId)])) === 1;
  }

  /**
   * Removes the devices stored when it runs (one script). A device put concurrently lands before or
   * after it, whole: never a hidden, usable device.
   */
  async deleteAllDevices(userId: string): Promise<number> {
    return this.deviceScript('deleteAllDevices', userId, []);
  }

  /**
   * Runs a device script. A user whose devices are still in the legacy layout gets them adopted
   * first (once: the script refuses to run while the legacy index exists). `now` only decides which
   * legacy devices have expired; without it (a deletion) every one is adopted, then deleted.
   */
  private async deviceScript<Name extends DeviceScript>(
    name: Name,
    userId: string,
    args: (string | number)[],
    now = 0,
  ): Promise<Exclude<ScriptReplies[Name], Legacy>> {
    const keys = userKeys(this.prefix, userId);
    for (let attempt = 1; ; attempt += 1) {
      const reply = await this.script(name, [keys.devices, keys.legacyDevices], args);
      if (!isLegacy(reply)) return reply as Exclude<ScriptReplies[Name], Legacy>;
      // An instance of the old version may still be writing legacy devices during a rolling upgrade.
      if (attempt === 3) throw new Error('RedisStore: legacy trusted devices keep appearing; is an old version still running?');
      await this.adoptLegacyDevices(userId, now);
    }
  }

  /**
   * Moves the user's devices from the legacy layout (a hash each, indexed by a sorted set) into their
   * string. The hashes are read here, then the script adopts those still there when it runs, so a
   * device revoked in between is not brought back.
   */
  private async adoptLegacyDevices(userId: string, now: number): Promise<void> {
    const keys = userKeys(this.prefix, userId);
    const ids = await this.client.zrange(keys.legacyDevices, '0', '-1');
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.hgetall(keys.legacyDevice(id));
    const hashes = ids.length > 0 ? ((await exec(pipeline)) as Record<string, string>[]) : [];
    const records = hashes.map((hash, i) => (hash.secretHash === undefined ? '' : encodeDevice(legacyDevice(ids[i]!, userId, hash))));
    await this.script(
      'adoptLegacyDevices',
      [keys.devices, keys.legacyDevices, ...ids.map((id) => keys.legacyDevice(id))],
      [now, ...ids.flatMap((id, i) => [id, records[i]!])],
    );
  }

  async putSession(userId: string, session: IndexedSession): Promise<void> {
    await this.script('putSession', [userKeys(this.prefix, userId).sessions], [session.id, encodeSession(session), session.expiresAt]);
  }

  async listSessions(userId: string, now: number): Promise<IndexedSession[]> {
    const key = userKeys(this.prefix, userId).sessions;
    const all = Object.entries(await this.client.hgetall(key)).map(([id, value]) => decodeSession(id, value));
    const expired = all.filter((s) => s.expiresAt <= now).map((s) => s.id);
    if (expired.length > 0) await this.client.hdel(key, ...expired);
    return all.filter((s) => s.expiresAt > now).sort(oldestFirst);
  }

  async deleteSessions(userId: string, sessionIds: readonly string[]): Promise<number> {
    if (sessionIds.length === 0) return 0;
    return this.client.hdel(userKeys(this.prefix, userId).sessions, ...sessionIds);
  }

  async listCredentials(userId: string, method: string): Promise<StoredCredential[]> {
    const stored = await this.client.hvals(userKeys(this.prefix, userId).credentials(method));
    return stored.map((json) => JSON.parse(json) as StoredCredential).sort(oldestFirst);
  }

  /** No TTL: credentials are durable. */
  async putCredential(userId: string, credential: StoredCredential): Promise<void> {
    const { id, method, label, createdAt, lastUsedAt, data } = credential;
    await this.client.hset(
      userKeys(this.prefix, userId).credentials(method),
      id,
      JSON.stringify({ id, method, label, createdAt, lastUsedAt, data }),
    );
  }

  async deleteCredential(userId: string, method: string, id: string): Promise<boolean> {
    return (await this.client.hdel(userKeys(this.prefix, userId).credentials(method), id)) === 1;
  }

  async getUserSettings(userId: string): Promise<UserSettings | null> {
    const fields = await this.client.hmget(userKeys(this.prefix, userId).settings, ...SETTINGS_FIELDS);
    return toUserSettings(fields);
  }

  /** One MULTI: HSETNX fills in the defaults only where nothing is stored, then the patch wins. */
  async updateUserSettings(userId: string, patch: Partial<UserSettings>, defaults: UserSettings): Promise<UserSettings> {
    const key = userKeys(this.prefix, userId).settings;
    const transaction = this.client.multi();
    for (const [field, value] of Object.entries(encodeUserSettings(defaults))) transaction.hsetnx(key, field, value);
    const changes = encodeUserSettings(patch);
    if (Object.keys(changes).length > 0) transaction.hset(key, changes);
    transaction.hmget(key, ...SETTINGS_FIELDS);
    const results = await exec(transaction);
    // Never null: the defaults were just filled in.
    return toUserSettings(results[results.length - 1] as (string | null)[]) as UserSettings;
  }

  async ensureAccountSettings(accountId: string, defaults: AccountSettings): Promise<AccountSettings> {
    return toAccountSettings(await this.script('ensureAccountSettings', [accountKey(this.prefix, accountId)], accountDefaults(defaults)));
  }

  /** One script: the defaults where the account is new, then the patch (never enforcement). */
  async updateAccountSettings(accountId: string, patch: AccountSettingsPatch, defaults: AccountSettings): Promise<AccountSettings> {
    const changes = patch.blockClients === undefined ? [] : ['blockClients', patch.blockClients ? '1' : '0'];
    return toAccountSettings(
      await this.script('updateAccountSettings', [accountKey(this.prefix, accountId)], [...accountDefaults(defaults), ...changes]),
    );
  }

  async enforceAccount(accountId: string, now: number): Promise<AccountSettings> {
    return toAccountSettings(await this.script('enforceAccount', [accountKey(this.prefix, accountId)], [now]));
  }

  async enableAccountSessionPolicy(accountId: string, defaults: AccountSettings): Promise<AccountSettings> {
    return toAccountSettings(
      await this.script('enableAccountSessionPolicy', [accountKey(this.prefix, accountId)], accountDefaults(defaults)),
    );
  }
}

type DeviceScript = Extract<ScriptName, 'readDevices' | 'putDevice' | 'useDevice' | 'deleteDevice' | 'deleteAllDevices'>;

function isLegacy(reply: unknown): reply is Legacy {
  return Array.isArray(reply) && reply[0] === 'legacy';
}

/** A device as the legacy layout stored it (a hash of its fields). */
function legacyDevice(id: string, userId: string, hash: Record<string, string>): StoredDevice {
  const device: StoredDevice = {
    id,
    userId,
    label: hash.label ?? '',
    createdAt: Number(hash.createdAt),
    lastUsedAt: Number(hash.lastUsedAt),
    expiresAt: Number(hash.expiresAt),
    secretHash: hash.secretHash ?? '',
  };
  if (hash.placeHint) device.placeHint = hash.placeHint;
  return device;
}

const SETTINGS_FIELDS = [
  'enabled',
  'method',
  'phone',
  'emailCodes',
  'unverifiedPhone',
  'blockClients',
  'sessionPolicy',
  'enrolled',
] as const;

/** The lock-out rules as the failure-record scripts take them (see loadFailures in redis-scripts.ts). */
function failurePolicy(policy: AttemptPolicy): number[] {
  return [policy.lockThreshold, policy.lockBaseMs, policy.lockMaxMs, policy.failureMemoryMs, policy.permanentAfter];
}

/** Fails at construction, with the fix, rather than with a puzzling error at the first sign-in. */
function checkClient(client: unknown): Redis | Cluster {
  const example = 'new RedisStore({ client: new Redis(process.env.REDIS_URL) })';
  if (client === undefined || client === null) {
    throw new ConfigurationError(`RedisStore: "client" is required. Pass the ioredis client your app already uses: ${example}.`);
  }
  if (typeof client === 'string') {
    throw new ConfigurationError(
      `RedisStore: "client" must be an ioredis client, not a string. To connect to a URL, create the client yourself: ${example}. ` +
        'The store never opens or closes connections: your app owns the client.',
    );
  }
  const candidate = client as Record<string, unknown>;
  if (typeof candidate.defineCommand !== 'function' || typeof candidate.pipeline !== 'function') {
    const nodeRedis = typeof candidate.sendCommand === 'function' || 'isOpen' in candidate;
    throw new ConfigurationError(
      `RedisStore: "client" must be an ioredis client${nodeRedis ? ', and this looks like a node-redis (`redis` package) client' : ''}. ` +
        `Install ioredis and pass ${example}.`,
    );
  }
  return client as Redis | Cluster;
}

function checkPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new ConfigurationError(
      'RedisStore: "prefix" must be a string without "{" or "}": each user\'s keys share one Redis Cluster hash tag, ' +
        'and a brace in the prefix would replace it. Use something like "myapp:2fa:".',
    );
  }
  return prefix;
}

/** The nodes whose policy matters: the client itself, or every master of a Cluster. */
async function masters(client: Redis | Cluster): Promise<Redis[]> {
  if (!isCluster(client)) return [client];
  // The node list is only filled in once the cluster is connected.
  await client.ping();
  return client.nodes('master');
}

function isCluster(client: Redis | Cluster): client is Cluster {
  return client.isCluster;
}

/** A Redis that hides CONFIG (many managed services): a warning, not a refusal. */
function unchecked(reason: string): StoreReport {
  return {
    warnings: [
      `express-device-2fa: RedisStore could not check Redis's maxmemory-policy (${reason}). Make sure it is ` +
        '"noeviction" (or a volatile-* policy) and that Redis persists data: an evicted or lost setting switches two-factor off.',
    ],
  };
}

/** CONFIG GET's reply as name → value (a flat [name, value, ...] list, or a map under RESP3). */
function configValues(reply: unknown): Map<string, string> {
  if (!Array.isArray(reply)) return new Map(Object.entries(reply as Record<string, string>));
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < reply.length; i += 2) values.set(String(reply[i]), String(reply[i + 1]));
  return values;
}

/** Runs a MULTI or pipeline and throws the first command error (ioredis reports them per command). */
async function exec(commands: ChainableCommander): Promise<unknown[]> {
  const results = await commands.exec();
  if (!results) throw new Error('RedisStore: the Redis transaction was aborted.');
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

function encodeUserSettings(settings: Partial<UserSettings>): Record<string, string> {
  const fields: Record<string, string> = {};
  if (settings.enabled !== undefined) fields.enabled = settings.enabled ? '1' : '0';
  if (settings.method !== undefined) fields.method = settings.method;
  // Redis hashes hold strings only: '' stands for "no phone".
  if (settings.phone !== undefined) fields.phone = settings.phone ?? '';
  if (settings.emailCodes !== undefined) fields.emailCodes = settings.emailCodes ? '1' : '0';
  if (settings.unverifiedPhone !== undefined) fields.unverifiedPhone = settings.unverifiedPhone ?? '';
  if (settings.blockClients !== undefined) fields.blockClients = settings.blockClients ? '1' : '0';
  if (settings.sessionPolicy !== undefined) fields.sessionPolicy = settings.sessionPolicy ? '1' : '0';
  if (settings.enrolled !== undefined) fields.enrolled = JSON.stringify(settings.enrolled);
  return fields;
}

function toUserSettings(fields: (string | null)[]): UserSettings | null {
  const [enabled, method, phone, emailCodes, unverifiedPhone, blockClients, sessionPolicy, enrolled] = fields;
  if (enabled == null || method == null) return null;
  // Settings written before `emailCodes` (or `blockClients`, `enrolled`) existed have no field: the default holds.
  const settings: UserSettings = {
    enabled: enabled === '1',
    method: method as DeliveryMethod,
    phone: phone || null,
    emailCodes: emailCodes !== '0',
    unverifiedPhone: unverifiedPhone || null,
    blockClients: blockClients === '1',
    sessionPolicy: sessionPolicy === '1',
  };
  if (enrolled != null) settings.enrolled = JSON.parse(enrolled) as MethodId[];
  return settings;
}

/** The defaults as CREATE_ACCOUNT (redis-scripts.ts) takes them. */
function accountDefaults(defaults: AccountSettings): string[] {
  return [defaults.enforced ? '1' : '0', String(defaults.enforcedAt ?? ''), defaults.sessionPolicy ? '1' : '0'];
}

/** The fields in ACCOUNT_FIELDS order. */
function toAccountSettings([enforced, enforcedAt, blockClients, sessionPolicy]: (string | null)[]): AccountSettings {
  return {
    enforced: enforced === '1',
    enforcedAt: enforcedAt ? Number(enforcedAt) : null,
    blockClients: blockClients === '1',
    sessionPolicy: sessionPolicy === '1',
  };
}
