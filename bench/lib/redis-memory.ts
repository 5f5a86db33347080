import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RedisStore } from '../../src/redis';
import { Hasher, randomToken } from '../../src/core/secrets';
import { Sealer } from '../../src/core/sealing';
import { encodePasskey } from '../../src/methods/passkey/stored';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import type { StoredCredential, StoredDevice } from '../../src/core/store';
import { startRedis } from '../../test/helpers/redis-server';

/**
 * What RedisStore costs in Redis memory, per record, from `INFO memory` (`used_memory`) deltas: each
 * case writes `count` records (default 20,000) through the real store, on a private redis-server
 * flushed before the case, so the figure includes everything Redis allocates for them (the key, its
 * expiry entry, the value, the share of the key tables and allocator rounding).
 *
 * Records look like production ones: 8-character user ids (as a database's numeric ids), trusted
 * devices and sessions labelled "Chrome 131 on Windows", 24-character email destinations, the
 * library's own hashes, ids and sealed secrets, and the default lifetimes and send quota.
 * "second …" cases add one more record to users who already have one (the marginal cost); the
 * "typical user" case is the projection's shape: settings, two trusted devices, two sessions.
 *
 * Used by `npm run bench`; `npx tsx bench/lib/redis-memory.ts` prints the JSON alone.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const LABEL = 'Chrome 131 on Windows';
const SEND_QUOTA = [{ windowMs: 15 * MINUTE, max: 5 }];

export interface MemoryCase {
  id: string;
  label: string;
  /** Records written (users × records per user). */
  records: number;
  bytesPerRecord: number;
}

export interface RedisMemoryResult {
  redis: string;
  recordsPerCase: number;
  cases: MemoryCase[];
  /** The figures `bench/results/latest.json` carries as `memory.*`. */
  bytesPerTrustedDevice: number;
  bytesPerChallenge: number;
  bytesPerSession: number;
  bytesPerUserSettings: number;
  /** Bytes per user with settings, two trusted devices and two sessions; and that for 1 M and 10 M users. */
  bytesPerTypicalUser: number;
  projection: { users: number; gigabytes: number }[];
}

type Write = (store: RedisStore, user: User) => Promise<unknown>;

interface User {
  id: string;
  index: number;
}

interface Case {
  id: string;
  label: string;
  /** Records each user gets in the measured step. */
  perUser: number;
  /** Written before the measurement (not counted). */
  before?: Write;
  write: Write;
}

const hasher = new Hasher('bench-memory-secret-that-is-long-enough');
const sealer = new Sealer('bench-memory-secret-that-is-long-enough');

function device(user: User, now: number): StoredDevice {
  const id = randomToken(12);
  return {
    id,
    userId: user.id,
    label: LABEL,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: now + 30 * DAY,
    secretHash: hasher.hash('device', id, randomToken(32)),
  };
}

function session(now: number): { id: string; createdAt: number; label: string; expiresAt: number } {
  // express-session's ids: 24 random bytes, base64url.
  return { id: randomToken(24), createdAt: now, label: LABEL, expiresAt: now + DAY };
}

const putDevice: Write = (store, user) => store.putDevice(device(user, Date.now()));
const putSession: Write = (store, user) => store.putSession(user.id, session(Date.now()));
const enableTwoFactor: Write = (store, user) => store.updateUserSettings(user.id, { enabled: true }, DEFAULT_USER_SETTINGS);

function issue(store: RedisStore, user: User): Promise<unknown> {
  const now = Date.now();
  const challengeId = `sign-in:${randomToken(12)}`;
  return store.issueChallenge(
    user.id,
    challengeId,
    {
      codeHash: hasher.hash('code', user.id, challengeId, '123456'),
      method: 'email',
      destination: `user${user.id}@example.com`,
      sentAt: now,
      expiresAt: now + 10 * MINUTE,
    },
    { now, sendQuota: SEND_QUOTA, resendWaitMs: 30_000 },
  );
}

function credential(method: string, data: string): StoredCredential {
  return {
    id: randomToken(16),
    method,
    label: method === 'totp' ? 'Authenticator app' : 'Passkey',
    createdAt: Date.now(),
    lastUsedAt: null,
    data,
  };
}

const CASES: Case[] = [
  { id: 'trustedDevice', label: 'trusted device (the user’s only one)', perUser: 1, write: putDevice },
  { id: 'secondTrustedDevice', label: 'trusted device (a second one)', perUser: 1, before: putDevice, write: putDevice },
  { id: 'challenge', label: 'active challenge, with its send counted', perUser: 1, write: issue },
  { id: 'session', label: 'signed-in session index entry (the user’s only one)', perUser: 1, write: putSession },
  { id: 'secondSession', label: 'signed-in session index entry (a second one)', perUser: 1, before: putSession, write: putSession },
  { id: 'userSettings', label: 'user settings (2FA on, email codes; durable)', perUser: 1, write: enableTwoFactor },
  {
    id: 'recoveryCodes',
    label: 'recovery codes (a set of 10; durable)',
    perUser: 1,
    write: (store, user) =>
      store.setRecoveryCodes(
        user.id,
        Array.from({ length: 10 }, (_, i) => hasher.hash('recovery', user.id, String(i))),
      ),
  },
  {
    id: 'totpCredential',
    label: 'authenticator-app credential (durable)',
    perUser: 1,
    write: (store, user) =>
      store.putCredential(user.id, credential('totp', sealer.seal(randomBytes(20).toString('base64'), `totp:${user.id}`))),
  },
  {
    id: 'passkeyCredential',
    label: 'passkey credential (durable)',
    perUser: 1,
    write: (store, user) =>
      store.putCredential(
        user.id,
        // A P-256 COSE key is 77 bytes; the user handle 32.
        credential(
          'passkey',
          encodePasskey({
            publicKey: randomBytes(77).toString('base64url'),
            counter: 0,
            transports: ['internal', 'hybrid'],
            userHandle: randomBytes(32).toString('base64url'),
          }),
        ),
      ),
  },
  {
    id: 'typicalUser',
    label: 'typical user: settings, 2 trusted devices, 2 sessions',
    perUser: 1,
    write: (store, user) => Promise.all([enableTwoFactor, putDevice, putDevice, putSession, putSession].map((write) => write(store, user))),
  },
];

/** Users written at once: enough to keep Redis busy, few enough to keep the client's memory flat. */
const BATCH = 500;

/**
 * `used_memory` less what the connected clients' buffers hold (they grow and shrink with the load,
 * not with the data), once two reads a moment apart agree (Redis may still be rehashing a key table).
 */
async function usedMemory(admin: Redis): Promise<number> {
  let previous = -1;
  for (let i = 0; i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))?.[1]);
    const stats = (await admin.call('MEMORY', 'STATS')) as (string | number)[];
    const clients = Number(stats[stats.indexOf('clients.normal') + 1]);
    if (used - clients === previous) return previous;
    previous = used - clients;
  }
  return previous;
}

async function forEachUser(store: RedisStore, users: readonly User[], write: Write): Promise<void> {
  for (let start = 0; start < users.length; start += BATCH) {
    await Promise.all(users.slice(start, start + BATCH).map((user) => write(store, user)));
  }
}

export async function measureRedisMemory({
  count = 20_000,
  log = (_line: string) => undefined,
}: {
  count?: number;
  log?: (line: string) => void;
} = {}): Promise<RedisMemoryResult> {
  const redis = await startRedis(['--save', '']);
  try {
    const admin = redis.client();
    const store = new RedisStore({ client: redis.client() });
    const users: User[] = Array.from({ length: count }, (_, index) => ({ id: String(10_000_000 + index), index }));
    // Each write path once, so the scripts are loaded (Redis keeps them across FLUSHALL) before any baseline.
    for (const c of CASES) await c.write(store, { id: 'warm-up', index: -1 });

    const cases: MemoryCase[] = [];
    for (const c of CASES) {
      await admin.flushall('SYNC');
      if (c.before) await forEachUser(store, users, c.before);
      const before = await usedMemory(admin);
      await forEachUser(store, users, c.write);
      const after = await usedMemory(admin);
      const records = users.length * c.perUser;
      cases.push({ id: c.id, label: c.label, records, bytesPerRecord: Math.round((after - before) / records) });
      log(`  ${c.label.padEnd(56)} ${String(cases.at(-1)!.bytesPerRecord).padStart(5)} bytes`);
    }
    const bytes = (id: string): number => cases.find((c) => c.id === id)!.bytesPerRecord;
    const typical = bytes('typicalUser');
    return {
      redis: /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?',
      recordsPerCase: count,
      cases,
      bytesPerTrustedDevice: bytes('trustedDevice'),
      bytesPerChallenge: bytes('challenge'),
      bytesPerSession: bytes('session'),
      bytesPerUserSettings: bytes('userSettings'),
      bytesPerTypicalUser: typical,
      projection: [1_000_000, 10_000_000].map((n) => ({ users: n, gigabytes: Math.round((n * typical) / 1e7) / 100 })),
    };
  } finally {
    await redis.stop();
  }
}

if (require.main === module) {
  measureRedisMemory({ log: (line) => process.stderr.write(`${line}\n`) })
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}

/** The README's memory table: each case before and after, then the projection. */
export function memoryMarkdown(after: RedisMemoryResult, before: RedisMemoryResult | undefined): string {
  const was = (id: string): string => {
    const old = before?.cases.find((c) => c.id === id);
    return old ? String(old.bytesPerRecord) : '–';
  };
  const rows = after.cases.map((c) => `| ${c.label} | ${was(c.id)} | ${c.bytesPerRecord} |`);
  const projected = after.projection.map((p) => {
    const old = before?.projection.find((q) => q.users === p.users);
    return `| ${p.users.toLocaleString('en-US')} typical users | ${old ? `${old.gigabytes} GB` : '–'} | ${p.gigabytes} GB |`;
  });
  return ['| Record | Before (bytes) | After (bytes) |', '|---|---:|---:|', ...rows, ...projected].join('\n');
}
