import type { Cluster, Redis } from 'ioredis';

/**
 * The Lua scripts behind RedisStore's atomic methods. Each runs as one round trip, and Redis runs a
 * script without interleaving any other command, which is what makes a raced verify single-use and a
 * raced issue respect the send quota. Every key a script touches is passed in KEYS and shares one
 * hash tag (see redis-keys.ts), so the scripts also run on Redis Cluster.
 *
 * Times come from the caller (`now`), never from Redis's clock, so the library's clock alone decides
 * expiry; Redis TTLs only reclaim memory.
 */

/** The public fields of a device hash, in the order the store reads them. */
export const DEVICE_FIELDS = ['id', 'userId', 'label', 'createdAt', 'lastUsedAt', 'expiresAt', 'placeHint'] as const;

/**
 * Constant-time string comparison: every byte is compared whatever the first difference, so timing
 * does not reveal how much of a guess was right. Lengths are not secret (all hashes have one length).
 */
const SAFE_EQUAL = `
local function safeEqual(a, b)
  if #a ~= #b then return false end
  local diff = 0
  for i = 1, #a do
    diff = bit.bor(diff, bit.bxor(string.byte(a, i), string.byte(b, i)))
  end
  return diff == 0
end
`;

/**
 * takeQuota(key, now, first): counts one event in the sorted set `key` unless a rate window is full.
 * The windows are ARGV[first..] as pairs (windowMs, max). Returns nil when the event was counted,
 * else the ms until there is room. Shared by the per-user send quota and hitQuota.
 */
const TAKE_QUOTA = `
local function takeQuota(key, now, first)
  local longest
  for i = first, #ARGV, 2 do
    local windowMs = tonumber(ARGV[i])
    if not longest or windowMs > longest then longest = windowMs end
  end
  if not longest then return nil end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - longest)
  for i = first, #ARGV, 2 do
    local windowMs, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    local since = '(' .. string.format('%.17g', now - windowMs)
    local count = redis.call('ZCOUNT', key, since, '+inf')
    if count >= max then
      -- Room opens when the oldest event inside the window leaves it.
      local oldest = redis.call('ZRANGEBYSCORE', key, since, '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
      local oldestAt = now
      if oldest[2] then oldestAt = tonumber(oldest[2]) end
      return oldestAt + windowMs - now
    end
  end
  -- Members must be unique even for events in the same millisecond: number them within it.
  local at = string.format('%.17g', now)
  redis.call('ZADD', key, now, at .. ':' .. redis.call('ZCOUNT', key, now, now))
  redis.call('PEXPIREAT', key, now + longest)
  return nil
end
`;

/**
 * loadFailures(key, now, threshold, baseMs, maxMs, memoryMs, permanentAfter): the user's failure record
 * (hash `key`) as of `now`, with record() to count one failure (returns the lock left, 0 when none).
 * Shared by verifyChallenge and recordAttempt, so both count and lock identically. At
 * `permanentAfter` consecutive failures the user is locked out for good: the record loses its TTL and
 * only a recovery code or an admin (DEL) clears it.
 */
const FAILURES = `
local function loadFailures(key, now, threshold, baseMs, maxMs, memoryMs, permanentAfter)
  local self = { failures = 0, lockedUntil = 0, lockedOut = false, justLockedOut = false }
  local state = redis.call('HMGET', key, 'failures', 'lockedUntil', 'expiresAt', 'lockedOut')
  if state[4] == '1' or (state[3] and tonumber(state[3]) > now) then
    self.failures, self.lockedUntil, self.lockedOut = tonumber(state[1]), tonumber(state[2]), state[4] == '1'
  end
  -- Same formula as lockDurationMs() in shared-rules.ts; the lock only ever grows.
  function self.record()
    self.failures = self.failures + 1
    if self.failures >= threshold then
      local lockMs = math.min(maxMs, baseMs * 2 ^ math.min(self.failures - threshold, 30))
      if lockMs > 0 then self.lockedUntil = math.max(self.lockedUntil, now + lockMs) end
    end
    if not self.lockedOut and self.failures >= permanentAfter then
      self.lockedOut, self.justLockedOut = true, true
    end
    local expiresAt = math.max(self.lockedUntil, now + memoryMs)
    redis.call('HSET', key, 'failures', self.failures, 'lockedUntil', self.lockedUntil, 'expiresAt', expiresAt)
    if self.lockedOut then
      redis.call('HSET', key, 'lockedOut', '1')
      redis.call('PERSIST', key)
    else
      redis.call('PEXPIREAT', key, expiresAt)
    end
    return math.max(0, self.lockedUntil - now)
  end
  return self
end
`;

/**
 * KEYS: challenge, failures, sends.
 * ARGV: now, codeHash, method, destination, sentAt, expiresAt, resendWaitMs, then windowMs and max of
 * each quota window.
 * Returns {'issued'} | {'throttled', retryAfterMs, 'resend' | 'quota'} | {'locked', retryAfterMs} | {'locked-out'}.
 */
const ISSUE_CHALLENGE = `${TAKE_QUOTA}
local now = tonumber(ARGV[1])
-- lockedUntil never exceeds the failure record's own expiry, so no separate expiry check is needed.
local failures = redis.call('HMGET', KEYS[2], 'lockedUntil', 'lockedOut')
if failures[2] == '1' then return {'locked-out'} end
local lockedUntil = tonumber(failures[1] or '0')
if lockedUntil > now then return {'locked', lockedUntil - now} end

-- The same method again for the same attempt waits; another method or another attempt does not.
local current = redis.call('HMGET', KEYS[1], 'attempts', 'expiresAt', 'method', 'sentAt')
local live = current[2] and tonumber(current[2]) > now
if live and current[3] == ARGV[3] then
  local wait = tonumber(current[4]) + tonumber(ARGV[7]) - now
  if wait > 0 then return {'throttled', wait, 'resend'} end
end

local retryAfterMs = takeQuota(KEYS[3], now, 8)
if retryAfterMs then return {'throttled', retryAfterMs, 'quota'} end

-- A resend replaces the code but keeps the attempt count of an unexpired challenge.
local attempts = 0
if live then attempts = tonumber(current[1]) end
redis.call('HSET', KEYS[1], 'codeHash', ARGV[2], 'method', ARGV[3], 'destination', ARGV[4],
  'sentAt', ARGV[5], 'expiresAt', ARGV[6], 'attempts', attempts)
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
return {'issued'}
`;

/**
 * KEYS: challenge, failures.
 * ARGV: codeHash, now, maxAttempts, lockThreshold, lockBaseMs, lockMaxMs, failureMemoryMs, permanentAfter.
 * Returns {'verified', method, destination, sentAt, expiresAt} | {'wrong', attemptsLeft, lockedForMs}
 * | {'exhausted' | 'expired' | 'missing', lockedForMs} | {'locked', retryAfterMs}
 * | {'locked-out', justLockedOut (1/0)}.
 */
const VERIFY_CHALLENGE = `${SAFE_EQUAL}${FAILURES}
local now = tonumber(ARGV[2])
local maxAttempts = tonumber(ARGV[3])
local fail = loadFailures(KEYS[2], now, tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]))

-- Locked out for good: nothing is compared or counted until a recovery code or an admin clears it.
if fail.lockedOut then return {'locked-out', 0} end
-- While locked the code is not even compared: a lock must not be a free oracle.
local function failed(reply)
  local lockedForMs = fail.record()
  if fail.justLockedOut then return {'locked-out', 1} end
  table.insert(reply, lockedForMs)
  return reply
end
if fail.lockedUntil > now then return failed({'locked'}) end

local challenge = redis.call('HMGET', KEYS[1], 'codeHash', 'expiresAt', 'attempts', 'method', 'destination', 'sentAt')
if not challenge[1] then return failed({'missing'}) end
if tonumber(challenge[2]) <= now then
  redis.call('DEL', KEYS[1])
  return failed({'expired'})
end
if safeEqual(challenge[1], ARGV[1]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'verified', challenge[4], challenge[5], challenge[6], challenge[2]}
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
if attempts >= maxAttempts then
  redis.call('DEL', KEYS[1])
  return failed({'exhausted'})
end
return failed({'wrong', maxAttempts - attempts})
`;

/**
 * KEYS: failures. ARGV: now, lockThreshold, lockBaseMs, lockMaxMs, failureMemoryMs, permanentAfter,
 * recovery ('1': a recovery code, neither refused nor reported as 'locked-out' when locked out).
 * Returns {'counted', lockedForMs, justLockedOut (1/0)} | {'locked', retryAfterMs} | {'locked-out', justLockedOut (1/0)}:
 * verifyChallenge's failure branch, for answers checked outside Redis.
 */
const RECORD_ATTEMPT = `${FAILURES}
local now = tonumber(ARGV[1])
local recovery = ARGV[7] == '1'
local fail = loadFailures(KEYS[1], now, tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]))
if fail.lockedOut and not recovery then return {'locked-out', 0} end
local locked = fail.lockedUntil > now
local lockedForMs = fail.record()
if not locked then return {'counted', lockedForMs, fail.justLockedOut and 1 or 0} end
if fail.justLockedOut and not recovery then return {'locked-out', 1} end
return {'locked', lockedForMs}
`;

/**
 * KEYS: the claim. ARGV: now, the claim's end (now + ttlMs), ttlMs. Returns 1 when claimed now, 0 when
 * a claim still holds by the caller's clock. The key lives ttlMs on Redis's own clock: an expiry at
 * the caller's time would drop the claim at once when the caller's clock runs behind Redis's, and a
 * dropped claim lets a used code in again.
 */
const CLAIM_ONCE = `
local claimedUntil = redis.call('GET', KEYS[1])
if claimedUntil and tonumber(claimedUntil) > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

/**
 * KEYS: quota bucket. ARGV: now, then windowMs and max of each window.
 * Returns {'allowed'} | {'throttled', retryAfterMs}.
 */
const HIT_QUOTA = `${TAKE_QUOTA}
local retryAfterMs = takeQuota(KEYS[1], tonumber(ARGV[1]), 2)
if retryAfterMs then return {'throttled', retryAfterMs} end
return {'allowed'}
`;

/**
 * KEYS: device. ARGV: secretHash, now.
 * Returns the device's public fields, or nil. Only lastUsedAt changes: HSET keeps the key's TTL.
 */
const USE_DEVICE = `${SAFE_EQUAL}
local device = redis.call('HMGET', KEYS[1], 'secretHash', 'expiresAt')
if not device[1] or tonumber(device[2]) <= tonumber(ARGV[2]) or not safeEqual(device[1], ARGV[1]) then
  return false
end
redis.call('HSET', KEYS[1], 'lastUsedAt', ARGV[2])
return redis.call('HMGET', KEYS[1], ${DEVICE_FIELDS.map((field) => `'${field}'`).join(', ')})
`;

/** The account hash's fields, in the order the account scripts return them. */
export const ACCOUNT_FIELDS = ['enforced', 'enforcedAt', 'blockClients', 'sessionPolicy'] as const;

const READ_ACCOUNT = `return redis.call('HMGET', KEYS[1], ${ACCOUNT_FIELDS.map((field) => `'${field}'`).join(', ')})`;

/**
 * An account seen for the first time gets its defaults: ARGV[1] enforced ('1'/'0'), ARGV[2]
 * enforcedAt ('' for null), ARGV[3] sessionPolicy ('1'/'0').
 */
const CREATE_ACCOUNT = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'enforced', ARGV[1], 'enforcedAt', ARGV[2], 'sessionPolicy', ARGV[3])
end
`;

/** KEYS: account. ARGV: the defaults (see CREATE_ACCOUNT). Returns ACCOUNT_FIELDS. */
const ENSURE_ACCOUNT_SETTINGS = `${CREATE_ACCOUNT}
${READ_ACCOUNT}
`;

/**
 * KEYS: account. ARGV: the defaults (see CREATE_ACCOUNT), then field, value pairs of reversible
 * settings (the caller sends only those). Returns ACCOUNT_FIELDS.
 */
const UPDATE_ACCOUNT_SETTINGS = `${CREATE_ACCOUNT}
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
${READ_ACCOUNT}
`;

/** KEYS: account. ARGV: now. One-way: an enforced account keeps its first enforcedAt. */
const ENFORCE_ACCOUNT = `
if redis.call('HGET', KEYS[1], 'enforced') ~= '1' then
  redis.call('HSET', KEYS[1], 'enforced', '1', 'enforcedAt', ARGV[1])
end
${READ_ACCOUNT}
`;

/** KEYS: account. ARGV: the defaults (see CREATE_ACCOUNT). One-way: only ever writes '1'. Returns ACCOUNT_FIELDS. */
const ENABLE_ACCOUNT_SESSION_POLICY = `${CREATE_ACCOUNT}
redis.call('HSET', KEYS[1], 'sessionPolicy', '1')
${READ_ACCOUNT}
`;

/**
 * KEYS: the user's session index. ARGV: session id, its JSON, its expiresAt. The key lives as long as
 * its longest entry: NX gives it a first TTL (GT alone never sets one on a key without), GT extends it.
 */
const PUT_SESSION = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('PEXPIREAT', KEYS[1], ARGV[3], 'NX')
redis.call('PEXPIREAT', KEYS[1], ARGV[3], 'GT')
return 1
`;

type Field = string | null;

/** What each script returns, as ioredis hands it back (Lua numbers become integers). */
export interface ScriptReplies {
  putSession: 1;
  issueChallenge: ['issued'] | ['locked-out'] | ['locked', number] | ['throttled', number, 'resend' | 'quota'];
  verifyChallenge:
    | ['verified', string, string, string, string]
    | ['wrong', number, number]
    | ['exhausted' | 'expired' | 'missing' | 'locked', number]
    | ['locked-out', 0 | 1];
  hitQuota: ['allowed'] | ['throttled', number];
  recordAttempt: ['counted', number, 0 | 1] | ['locked', number] | ['locked-out', 0 | 1];
  claimOnce: 0 | 1;
  useDevice: Field[] | null;
  ensureAccountSettings: Field[];
  updateAccountSettings: Field[];
  enforceAccount: Field[];
  enableAccountSessionPolicy: Field[];
}

export type ScriptName = keyof ScriptReplies;

const SCRIPTS = {
  issueChallenge: { command: 'deviceTwoFactorIssueChallenge', numberOfKeys: 3, lua: ISSUE_CHALLENGE },
  verifyChallenge: { command: 'deviceTwoFactorVerifyChallenge', numberOfKeys: 2, lua: VERIFY_CHALLENGE },
  hitQuota: { command: 'deviceTwoFactorHitQuota', numberOfKeys: 1, lua: HIT_QUOTA },
  recordAttempt: { command: 'deviceTwoFactorRecordAttempt', numberOfKeys: 1, lua: RECORD_ATTEMPT },
  claimOnce: { command: 'deviceTwoFactorClaimOnce', numberOfKeys: 1, lua: CLAIM_ONCE },
  useDevice: { command: 'deviceTwoFactorUseDevice', numberOfKeys: 1, lua: USE_DEVICE },
  ensureAccountSettings: { command: 'deviceTwoFactorEnsureAccount', numberOfKeys: 1, lua: ENSURE_ACCOUNT_SETTINGS },
  updateAccountSettings: { command: 'deviceTwoFactorUpdateAccount', numberOfKeys: 1, lua: UPDATE_ACCOUNT_SETTINGS },
  enforceAccount: { command: 'deviceTwoFactorEnforceAccount', numberOfKeys: 1, lua: ENFORCE_ACCOUNT },
  enableAccountSessionPolicy: { command: 'deviceTwoFactorEnableAccountSessionPolicy', numberOfKeys: 1, lua: ENABLE_ACCOUNT_SESSION_POLICY },
  putSession: { command: 'deviceTwoFactorPutSession', numberOfKeys: 1, lua: PUT_SESSION },
} as const satisfies Record<ScriptName, { command: string; numberOfKeys: number; lua: string }>;

type CommandName = (typeof SCRIPTS)[ScriptName]['command'];

export type RunScript = <Name extends ScriptName>(
  name: Name,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<ScriptReplies[Name]>;

/**
 * Defines the scripts on the host's client (ioredis then runs them with EVALSHA, falling back to
 * EVAL once per connection) and returns a typed runner. Command names are namespaced so they cannot
 * clash with the host's own `defineCommand`s; defining them again for a second store is harmless.
 */
export function defineScripts(client: Redis | Cluster): RunScript {
  for (const { command, numberOfKeys, lua } of Object.values(SCRIPTS)) {
    client.defineCommand(command, { numberOfKeys, lua });
  }
  // defineCommand adds methods ioredis's types cannot know about.
  const commands = client as unknown as Record<CommandName, (...args: (string | number)[]) => Promise<unknown>>;
  return async (name, keys, args) =>
    (await commands[SCRIPTS[name].command].call(client, ...keys, ...args)) as ScriptReplies[typeof name];
}
