import type { Cluster, Redis } from 'ioredis';
import { CHALLENGE, DEVICE } from './redis-records';

/**
 * The Lua scripts behind RedisStore's atomic methods. Each runs as one round trip, and Redis runs a
 * script without interleaving any other command, which is what makes a raced verify single-use and a
 * raced issue respect the send quota. Every key a script touches is passed in KEYS and shares one
 * hash tag (see redis-keys.ts), so the scripts also run on Redis Cluster.
 *
 * Times come from the caller (`now`), never from Redis's clock, so the library's clock alone decides
 * expiry; Redis TTLs only reclaim memory.
 */

/**
 * Most trusted devices and live challenges one user keeps: each of those operations reads and rewrites
 * the user's whole string, so its size must stay bounded whatever a client does. Past a cap, the
 * record that expires first (the oldest) is dropped: that browser or that pending sign-in simply
 * asks for a code again. No legitimate user comes near either (the default send quota allows five
 * codes per 15 minutes).
 */
const MAX_DEVICES = 100;
const MAX_CHALLENGES = 20;

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
 * Records packed in strings (see redis-records.ts): base-36 times, and lists of records, a line each,
 * every line starting with its id and expiry. Loading keeps every record; the writers drop the
 * expired ones (liveRecords) before saving, so each write sweeps the user's string.
 */
const RECORDS = `
local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local function time36(ms, width)
  local text = ''
  repeat
    local digit = ms % 36
    text = DIGITS:sub(digit + 1, digit + 1) .. text
    ms = (ms - digit) / 36
  until ms == 0
  if width then text = string.rep('0', width - #text) .. text end
  return text
end

local function parseRecords(text)
  local records = {}
  for line in text:gmatch('[^\\n]+') do
    local fields = {}
    for field in (line .. '\\t'):gmatch('([^\\t]*)\\t') do fields[#fields + 1] = field end
    records[#records + 1] = fields
  end
  return records
end

local function expiresAt(record) return tonumber(record[2], 36) end

local function findRecord(records, id)
  for i, record in ipairs(records) do
    if record[1] == id then return i, record end
  end
end

local function liveRecords(records, now)
  local live = {}
  for _, record in ipairs(records) do
    if expiresAt(record) > now then live[#live + 1] = record end
  end
  return live
end

-- Adds or replaces (same id) a record; past max records, drops the other one that expires first.
local function putRecord(records, record, max)
  local i = findRecord(records, record[1])
  if i then table.remove(records, i) end
  if #records >= max then
    local first = 1
    for j, other in ipairs(records) do
      if expiresAt(other) < expiresAt(records[first]) then first = j end
    end
    table.remove(records, first)
  end
  records[#records + 1] = record
end

local function latestExpiry(records)
  local latest = 0
  for _, record in ipairs(records) do latest = math.max(latest, expiresAt(record)) end
  return latest
end

local function formatRecords(records)
  local lines = {}
  for i, record in ipairs(records) do lines[i] = table.concat(record, '\\t') end
  return table.concat(lines, '\\n')
end
`;

/**
 * takeQuota(times, now, first): counts one event in `times` (a string of fixed-width base-36 times,
 * oldest first, so a binary search finds where a window starts) unless a rate window is full. The
 * windows are ARGV[first..] as pairs (windowMs, max). Returns nil, the new times and when they all
 * leave the longest window when the event was counted, else the ms until there is room. Shared by
 * the per-user send quota and hitQuota.
 */
const TAKE_QUOTA = `
local TIME_WIDTH = 9
local function timeAt(times, index) return tonumber(times:sub(index * TIME_WIDTH + 1, (index + 1) * TIME_WIDTH), 36) end

-- How many of the times are at or before \`at\`.
local function countUpTo(times, at)
  local low, high = 0, #times / TIME_WIDTH
  while low < high do
    local mid = math.floor((low + high) / 2)
    if timeAt(times, mid) <= at then low = mid + 1 else high = mid end
  end
  return low
end

local function takeQuota(times, now, first)
  local longest
  for i = first, #ARGV, 2 do
    local windowMs = tonumber(ARGV[i])
    if not longest or windowMs > longest then longest = windowMs end
  end
  if not longest then return nil, times, 0 end
  times = times:sub(countUpTo(times, now - longest) * TIME_WIDTH + 1)
  for i = first, #ARGV, 2 do
    local windowMs, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
    local before = countUpTo(times, now - windowMs)
    local count = #times / TIME_WIDTH - before
    -- Room opens when the oldest event inside the window leaves it.
    if count >= max then return timeAt(times, before + count - max) + windowMs - now end
  end
  -- In order even when this caller's clock is behind another's.
  local at = countUpTo(times, now) * TIME_WIDTH
  return nil, times:sub(1, at) .. time36(now, TIME_WIDTH) .. times:sub(at + 1), now + longest
end
`;

/**
 * A user's challenges string: the send times, a newline, then a line per challenge.
 * saveChallenges(key, sends, challenges, expireAt) stores it to expire at `expireAt`, or keeps the
 * key's expiry when that is nil (removing records never needs a later one); with nothing left, deletes it.
 */
const CHALLENGES = `${RECORDS}
local function loadChallenges(key)
  local sends, rest = (redis.call('GET', key) or ''):match('^([^\\n]*)\\n?(.*)$')
  return sends, parseRecords(rest)
end

local function saveChallenges(key, sends, challenges, expireAt)
  if sends == '' and #challenges == 0 then
    redis.call('DEL', key)
  elseif expireAt then
    redis.call('SET', key, sends .. '\\n' .. formatRecords(challenges), 'PXAT', expireAt)
  else
    redis.call('SET', key, sends .. '\\n' .. formatRecords(challenges), 'KEEPTTL')
  end
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
  -- Whether there is a record to clear (Redis's nil is false here).
  self.stored = state[1] ~= false
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
 * KEYS: challenges, failures.
 * ARGV: now, the challenge's record (redis-records.ts), resendWaitMs, then windowMs and max of each
 * quota window.
 * Returns {'issued'} | {'throttled', retryAfterMs, 'resend' | 'quota'} | {'locked', retryAfterMs} | {'locked-out'}.
 */
const ISSUE_CHALLENGE = `${CHALLENGES}${TAKE_QUOTA}
local now = tonumber(ARGV[1])
local issued = parseRecords(ARGV[2])[1]
-- lockedUntil never exceeds the failure record's own expiry, so no separate expiry check is needed.
local failures = redis.call('HMGET', KEYS[2], 'lockedUntil', 'lockedOut')
if failures[2] == '1' then return {'locked-out'} end
local lockedUntil = tonumber(failures[1] or '0')
if lockedUntil > now then return {'locked', lockedUntil - now} end

-- The same method again for the same attempt waits; another method or another attempt does not.
local sends, challenges = loadChallenges(KEYS[1])
local _, current = findRecord(challenges, issued[${CHALLENGE.id}])
local live = current and expiresAt(current) > now
if live and current[${CHALLENGE.method}] == issued[${CHALLENGE.method}] then
  local sentAt = expiresAt(current) - tonumber(current[${CHALLENGE.lifetime}], 36)
  local wait = sentAt + tonumber(ARGV[3]) - now
  if wait > 0 then return {'throttled', wait, 'resend'} end
end

local retryAfterMs, sent, sendsExpireAt = takeQuota(sends, now, 4)
if retryAfterMs then return {'throttled', retryAfterMs, 'quota'} end

-- A resend replaces the code but keeps the attempt count of an unexpired challenge.
if live then issued[${CHALLENGE.attempts}] = current[${CHALLENGE.attempts}] end
challenges = liveRecords(challenges, now)
putRecord(challenges, issued, ${MAX_CHALLENGES})
saveChallenges(KEYS[1], sent, challenges, math.max(sendsExpireAt, latestExpiry(challenges)))
return {'issued'}
`;

/**
 * KEYS: challenges, failures.
 * ARGV: challengeId, codeHash, now, maxAttempts, lockThreshold, lockBaseMs, lockMaxMs, failureMemoryMs, permanentAfter.
 * Returns {'verified', the challenge's record} | {'wrong', attemptsLeft, lockedForMs}
 * | {'exhausted' | 'expired' | 'missing', lockedForMs} | {'locked', retryAfterMs}
 * | {'locked-out', justLockedOut (1/0)}.
 */
const VERIFY_CHALLENGE = `${SAFE_EQUAL}${FAILURES}${CHALLENGES}
local now = tonumber(ARGV[3])
local maxAttempts = tonumber(ARGV[4])
local fail = loadFailures(KEYS[2], now, tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]))

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

local sends, challenges = loadChallenges(KEYS[1])
local index, challenge = findRecord(challenges, ARGV[1])
if not challenge then return failed({'missing'}) end
local function consume()
  table.remove(challenges, index)
  saveChallenges(KEYS[1], sends, liveRecords(challenges, now))
end
if expiresAt(challenge) <= now then
  consume()
  return failed({'expired'})
end
if safeEqual(challenge[${CHALLENGE.codeHash}], ARGV[2]) then
  consume()
  if fail.stored then redis.call('DEL', KEYS[2]) end
  return {'verified', table.concat(challenge, '\\t')}
end
local attempts = tonumber(challenge[${CHALLENGE.attempts}]) + 1
if attempts >= maxAttempts then
  consume()
  return failed({'exhausted'})
end
challenge[${CHALLENGE.attempts}] = attempts
saveChallenges(KEYS[1], sends, liveRecords(challenges, now))
return failed({'wrong', maxAttempts - attempts})
`;

/** KEYS: challenges. ARGV: challengeId. Removes that challenge, if any. */
const DISCARD_CHALLENGE = `${CHALLENGES}
local sends, challenges = loadChallenges(KEYS[1])
local index = findRecord(challenges, ARGV[1])
if index then
  table.remove(challenges, index)
  saveChallenges(KEYS[1], sends, challenges)
end
return 1
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
const HIT_QUOTA = `${RECORDS}${TAKE_QUOTA}
local retryAfterMs, times, expireAt = takeQuota(redis.call('GET', KEYS[1]) or '', tonumber(ARGV[1]), 2)
if retryAfterMs then return {'throttled', retryAfterMs} end
if expireAt > 0 then redis.call('SET', KEYS[1], times, 'PXAT', expireAt) end
return {'allowed'}
`;

/**
 * KEYS: devices, then (see the scripts). saveDevices(devices) stores them to expire with the last one,
 * or deletes the key when none is left.
 */
const DEVICES = `${RECORDS}
local function loadDevices() return parseRecords(redis.call('GET', KEYS[1]) or '') end
local function saveDevices(devices)
  if #devices == 0 then
    redis.call('DEL', KEYS[1])
  else
    redis.call('SET', KEYS[1], formatRecords(devices), 'PXAT', latestExpiry(devices))
  end
end
`;

/**
 * The scripts a device operation runs take KEYS: devices, the legacy device index (redis-keys.ts).
 * While the legacy index exists they do nothing and reply {'legacy'}, and the store adopts the legacy
 * devices first (ADOPT_LEGACY_DEVICES): so no device is ever usable, hidden or left out of a
 * revocation because of the layout it was stored in.
 */
const DEVICE_OPERATION = `${DEVICES}
if redis.call('EXISTS', KEYS[2]) == 1 then return {'legacy'} end
`;

/** ARGV: none. Returns the devices string (expired ones included: the caller filters), or nil. */
const READ_DEVICES = `${DEVICE_OPERATION}
return redis.call('GET', KEYS[1])
`;

/** ARGV: the device's record, now. Its expiry is its own and is never extended. */
const PUT_DEVICE = `${DEVICE_OPERATION}
local devices = liveRecords(loadDevices(), tonumber(ARGV[2]))
putRecord(devices, parseRecords(ARGV[1])[1], ${MAX_DEVICES})
saveDevices(devices)
return 1
`;

/**
 * ARGV: deviceId, secretHash, now. Returns the device's record, or nil. Only lastUsedAt changes; a
 * refusal writes nothing.
 */
const USE_DEVICE = `${SAFE_EQUAL}${DEVICE_OPERATION}
local now = tonumber(ARGV[3])
local devices = loadDevices()
local _, device = findRecord(devices, ARGV[1])
if not device or expiresAt(device) <= now or not safeEqual(device[${DEVICE.secretHash}], ARGV[2]) then return false end
device[${DEVICE.lastUsedAt}] = time36(now)
saveDevices(liveRecords(devices, now))
return table.concat(device, '\\t')
`;

/** ARGV: deviceId. Returns 1 when it was there, else 0. */
const DELETE_DEVICE = `${DEVICE_OPERATION}
local devices = loadDevices()
local index = findRecord(devices, ARGV[1])
if not index then return 0 end
table.remove(devices, index)
saveDevices(devices)
return 1
`;

/** ARGV: none. Returns how many devices there were. */
const DELETE_ALL_DEVICES = `${DEVICE_OPERATION}
local count = #loadDevices()
redis.call('DEL', KEYS[1])
return count
`;

/**
 * KEYS: devices, the legacy device index, then the legacy hash of each device to adopt.
 * ARGV: now, then for each of those keys its device id and its record ('' when the caller found no
 * hash). A device whose legacy hash is gone by now (revoked or expired meanwhile) is not adopted,
 * so adoption never brings a device back. Returns how many were adopted.
 */
const ADOPT_LEGACY_DEVICES = `${DEVICES}
local now = tonumber(ARGV[1])
local devices = liveRecords(loadDevices(), now)
local adopted = 0
for i = 3, #KEYS do
  local id, record = ARGV[2 * i - 4], ARGV[2 * i - 3]
  if record ~= '' and redis.call('EXISTS', KEYS[i]) == 1 then
    local device = parseRecords(record)[1]
    if expiresAt(device) > now then
      putRecord(devices, device, ${MAX_DEVICES})
      adopted = adopted + 1
    end
  end
  redis.call('DEL', KEYS[i])
  redis.call('ZREM', KEYS[2], id)
end
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('DEL', KEYS[2]) end
saveDevices(devices)
return adopted
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

/** A device script's reply while the user still has devices in the legacy layout (see DEVICE_OPERATION). */
export type Legacy = ['legacy'];

/** What each script returns, as ioredis hands it back (Lua numbers become integers, false becomes null). */
export interface ScriptReplies {
  putSession: 1;
  issueChallenge: ['issued'] | ['locked-out'] | ['locked', number] | ['throttled', number, 'resend' | 'quota'];
  verifyChallenge:
    | ['verified', string]
    | ['wrong', number, number]
    | ['exhausted' | 'expired' | 'missing' | 'locked', number]
    | ['locked-out', 0 | 1];
  discardChallenge: 1;
  hitQuota: ['allowed'] | ['throttled', number];
  recordAttempt: ['counted', number, 0 | 1] | ['locked', number] | ['locked-out', 0 | 1];
  claimOnce: 0 | 1;
  readDevices: string | null | Legacy;
  putDevice: 1 | Legacy;
  useDevice: string | null | Legacy;
  deleteDevice: 0 | 1 | Legacy;
  deleteAllDevices: number | Legacy;
  adoptLegacyDevices: number;
  ensureAccountSettings: Field[];
  updateAccountSettings: Field[];
  enforceAccount: Field[];
  enableAccountSessionPolicy: Field[];
}

export type ScriptName = keyof ScriptReplies;

/** `numberOfKeys: null`: the script takes any number of keys (the runner passes the count). */
const SCRIPTS = {
  issueChallenge: { command: 'deviceTwoFactorIssueChallenge', numberOfKeys: 2, lua: ISSUE_CHALLENGE },
  verifyChallenge: { command: 'deviceTwoFactorVerifyChallenge', numberOfKeys: 2, lua: VERIFY_CHALLENGE },
  discardChallenge: { command: 'deviceTwoFactorDiscardChallenge', numberOfKeys: 1, lua: DISCARD_CHALLENGE },
  hitQuota: { command: 'deviceTwoFactorHitQuota', numberOfKeys: 1, lua: HIT_QUOTA },
  recordAttempt: { command: 'deviceTwoFactorRecordAttempt', numberOfKeys: 1, lua: RECORD_ATTEMPT },
  claimOnce: { command: 'deviceTwoFactorClaimOnce', numberOfKeys: 1, lua: CLAIM_ONCE },
  readDevices: { command: 'deviceTwoFactorReadDevices', numberOfKeys: 2, lua: READ_DEVICES },
  putDevice: { command: 'deviceTwoFactorPutDevice', numberOfKeys: 2, lua: PUT_DEVICE },
  useDevice: { command: 'deviceTwoFactorUseDevice', numberOfKeys: 2, lua: USE_DEVICE },
  deleteDevice: { command: 'deviceTwoFactorDeleteDevice', numberOfKeys: 2, lua: DELETE_DEVICE },
  deleteAllDevices: { command: 'deviceTwoFactorDeleteAllDevices', numberOfKeys: 2, lua: DELETE_ALL_DEVICES },
  adoptLegacyDevices: { command: 'deviceTwoFactorAdoptLegacyDevices', numberOfKeys: null, lua: ADOPT_LEGACY_DEVICES },
  ensureAccountSettings: { command: 'deviceTwoFactorEnsureAccount', numberOfKeys: 1, lua: ENSURE_ACCOUNT_SETTINGS },
  updateAccountSettings: { command: 'deviceTwoFactorUpdateAccount', numberOfKeys: 1, lua: UPDATE_ACCOUNT_SETTINGS },
  enforceAccount: { command: 'deviceTwoFactorEnforceAccount', numberOfKeys: 1, lua: ENFORCE_ACCOUNT },
  enableAccountSessionPolicy: { command: 'deviceTwoFactorEnableAccountSessionPolicy', numberOfKeys: 1, lua: ENABLE_ACCOUNT_SESSION_POLICY },
  putSession: { command: 'deviceTwoFactorPutSession', numberOfKeys: 1, lua: PUT_SESSION },
} as const satisfies Record<ScriptName, { command: string; numberOfKeys: number | null; lua: string }>;

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
    client.defineCommand(command, numberOfKeys === null ? { lua } : { numberOfKeys, lua });
  }
  // defineCommand adds methods ioredis's types cannot know about.
  const commands = client as unknown as Record<CommandName, (...args: (string | number)[]) => Promise<unknown>>;
  return async (name, keys, args) => {
    const { command, numberOfKeys } = SCRIPTS[name];
    const keyArgs = numberOfKeys === null ? [keys.length, ...keys] : keys;
    return (await commands[command].call(client, ...keyArgs, ...args)) as ScriptReplies[typeof name];
  };
}
