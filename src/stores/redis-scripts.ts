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
export const DEVICE_FIELDS = ['id', 'userId', 'label', 'createdAt', 'lastUsedAt', 'expiresAt'] as const;

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
 * KEYS: challenge, failures, sends.
 * ARGV: now, codeHash, method, destination, sentAt, expiresAt, then windowMs and max of each quota window.
 * Returns {'issued'} | {'throttled', retryAfterMs} | {'locked', retryAfterMs}.
 */
const ISSUE_CHALLENGE = `
local now = tonumber(ARGV[1])
-- lockedUntil never exceeds the failure record's own expiry, so no separate expiry check is needed.
local lockedUntil = tonumber(redis.call('HGET', KEYS[2], 'lockedUntil') or '0')
if lockedUntil > now then return {'locked', lockedUntil - now} end

local longest
for i = 7, #ARGV, 2 do
  local windowMs = tonumber(ARGV[i])
  if not longest or windowMs > longest then longest = windowMs end
end
if longest then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - longest)
  for i = 7, #ARGV, 2 do
    local windowMs, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    local since = '(' .. string.format('%.17g', now - windowMs)
    local count = redis.call('ZCOUNT', KEYS[3], since, '+inf')
    if count >= max then
      -- Room opens when the oldest send inside the window leaves it.
      local oldest = redis.call('ZRANGEBYSCORE', KEYS[3], since, '+inf', 'WITHSCORES', 'LIMIT', count - max, 1)
      local oldestAt = now
      if oldest[2] then oldestAt = tonumber(oldest[2]) end
      return {'throttled', oldestAt + windowMs - now}
    end
  end
  -- Members must be unique even for sends in the same millisecond: number them within it.
  redis.call('ZADD', KEYS[3], now, ARGV[1] .. ':' .. redis.call('ZCOUNT', KEYS[3], now, now))
  redis.call('PEXPIREAT', KEYS[3], now + longest)
end

-- A resend replaces the code but keeps the attempt count of an unexpired challenge.
local attempts = 0
local current = redis.call('HMGET', KEYS[1], 'attempts', 'expiresAt')
if current[2] and tonumber(current[2]) > now then attempts = tonumber(current[1]) end
redis.call('HSET', KEYS[1], 'codeHash', ARGV[2], 'method', ARGV[3], 'destination', ARGV[4],
  'sentAt', ARGV[5], 'expiresAt', ARGV[6], 'attempts', attempts)
redis.call('PEXPIREAT', KEYS[1], ARGV[6])
return {'issued'}
`;

/**
 * KEYS: challenge, failures.
 * ARGV: codeHash, now, maxAttempts, lockThreshold, lockBaseMs, lockMaxMs, failureMemoryMs.
 * Returns {'verified', method, destination, sentAt, expiresAt} | {'wrong', attemptsLeft, lockedForMs}
 * | {'exhausted' | 'expired' | 'missing', lockedForMs} | {'locked', retryAfterMs}.
 */
const VERIFY_CHALLENGE = `${SAFE_EQUAL}
local now = tonumber(ARGV[2])
local maxAttempts, threshold = tonumber(ARGV[3]), tonumber(ARGV[4])
local baseMs, maxMs, memoryMs = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])

local failures, lockedUntil = 0, 0
local state = redis.call('HMGET', KEYS[2], 'failures', 'lockedUntil', 'expiresAt')
if state[3] and tonumber(state[3]) > now then
  failures, lockedUntil = tonumber(state[1]), tonumber(state[2])
end

-- Same formula as lockDurationMs() in store.ts; the lock only ever grows.
local function recordFailure()
  failures = failures + 1
  if failures >= threshold then
    local lockMs = math.min(maxMs, baseMs * 2 ^ math.min(failures - threshold, 30))
    if lockMs > 0 then lockedUntil = math.max(lockedUntil, now + lockMs) end
  end
  local expiresAt = math.max(lockedUntil, now + memoryMs)
  redis.call('HSET', KEYS[2], 'failures', failures, 'lockedUntil', lockedUntil, 'expiresAt', expiresAt)
  redis.call('PEXPIREAT', KEYS[2], expiresAt)
  return math.max(0, lockedUntil - now)
end

-- While locked the code is not even compared: a lock must not be a free oracle.
if lockedUntil > now then return {'locked', recordFailure()} end

local challenge = redis.call('HMGET', KEYS[1], 'codeHash', 'expiresAt', 'attempts', 'method', 'destination', 'sentAt')
if not challenge[1] then return {'missing', recordFailure()} end
if tonumber(challenge[2]) <= now then
  redis.call('DEL', KEYS[1])
  return {'expired', recordFailure()}
end
if safeEqual(challenge[1], ARGV[1]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return {'verified', challenge[4], challenge[5], challenge[6], challenge[2]}
end
local attempts = redis.call('HINCRBY', KEYS[1], 'attempts', 1)
local lockedForMs = recordFailure()
if attempts >= maxAttempts then
  redis.call('DEL', KEYS[1])
  return {'exhausted', lockedForMs}
end
return {'wrong', maxAttempts - attempts, lockedForMs}
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

/** KEYS: account. ARGV: enforced ('1'/'0'), enforcedAt ('' for null). Returns {enforced, enforcedAt}. */
const ENSURE_ACCOUNT_SETTINGS = `
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('HSET', KEYS[1], 'enforced', ARGV[1], 'enforcedAt', ARGV[2])
end
return redis.call('HMGET', KEYS[1], 'enforced', 'enforcedAt')
`;

/** KEYS: account. ARGV: now. One-way: an enforced account keeps its first enforcedAt. */
const ENFORCE_ACCOUNT = `
if redis.call('HGET', KEYS[1], 'enforced') ~= '1' then
  redis.call('HSET', KEYS[1], 'enforced', '1', 'enforcedAt', ARGV[1])
end
return redis.call('HMGET', KEYS[1], 'enforced', 'enforcedAt')
`;

type Field = string | null;

/** What each script returns, as ioredis hands it back (Lua numbers become integers). */
export interface ScriptReplies {
  issueChallenge: ['issued'] | ['throttled' | 'locked', number];
  verifyChallenge:
    | ['verified', string, string, string, string]
    | ['wrong', number, number]
    | ['exhausted' | 'expired' | 'missing' | 'locked', number];
  useDevice: Field[] | null;
  ensureAccountSettings: [Field, Field];
  enforceAccount: [Field, Field];
}

export type ScriptName = keyof ScriptReplies;

const SCRIPTS = {
  issueChallenge: { command: 'deviceTwoFactorIssueChallenge', numberOfKeys: 3, lua: ISSUE_CHALLENGE },
  verifyChallenge: { command: 'deviceTwoFactorVerifyChallenge', numberOfKeys: 2, lua: VERIFY_CHALLENGE },
  useDevice: { command: 'deviceTwoFactorUseDevice', numberOfKeys: 1, lua: USE_DEVICE },
  ensureAccountSettings: { command: 'deviceTwoFactorEnsureAccount', numberOfKeys: 1, lua: ENSURE_ACCOUNT_SETTINGS },
  enforceAccount: { command: 'deviceTwoFactorEnforceAccount', numberOfKeys: 1, lua: ENFORCE_ACCOUNT },
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
