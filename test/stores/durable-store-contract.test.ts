import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { MemoryStore, type DurableStore } from '../../src';
import { RedisStore } from '../../src/redis';
import { durableStoreContract } from '../../src/testing';
import { startRedis, startRedisCluster, type TestRedis, type TestRedisCluster } from '../helpers/redis-server';
import { mapDurableStore } from './map-durable-store';

/** As a host runs the shipped suite: one `it` per case. */
function runContract(makeStore: () => DurableStore | Promise<DurableStore>): void {
  for (const c of durableStoreContract(makeStore)) it(c.name, c.run);
}

const freshPrefix = (): string => `t${randomBytes(6).toString('hex')}:`;

describe('durableStoreContract on a host-style adapter over plain Maps', () => {
  runContract(() => mapDurableStore());
});

describe('durableStoreContract on MemoryStore', () => {
  const stores: MemoryStore[] = [];
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
  });
  runContract(() => {
    const store = new MemoryStore();
    stores.push(store);
    return store;
  });
});

describe('durableStoreContract on RedisStore', () => {
  let server: TestRedis;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedis();
    client = server.client();
  });
  afterAll(async () => {
    await server.stop();
  });
  runContract(() => new RedisStore({ client, prefix: freshPrefix() }));
});

describe('durableStoreContract on RedisStore over Redis Cluster', () => {
  let cluster: TestRedisCluster;
  let client: Cluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = cluster.client();
  }, 30_000);
  afterAll(async () => {
    await cluster.stop();
  });
  // One shared prefix: the cases keep apart by their own ids, as on a host's shared database.
  const prefix = freshPrefix();
  runContract(() => new RedisStore({ client, prefix }));
});

describe('durableStoreContract can fail', () => {
  /** Runs every case and returns the names of those that threw. */
  async function failures(makeStore: () => DurableStore): Promise<string[]> {
    const failed: string[] = [];
    for (const c of durableStoreContract(makeStore)) {
      try {
        await c.run();
      } catch {
        failed.push(c.name);
      }
    }
    return failed;
  }

  it('passes every case on a correct adapter, and lists optional cases by name', async () => {
    await expect(failures(() => mapDurableStore())).resolves.toEqual([]);
    const names = durableStoreContract(() => mapDurableStore()).map((c) => c.name);
    expect(names.filter((name) => name.includes('(optional)'))).toHaveLength(3);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each<[string, (store: DurableStore) => DurableStore, string[]]>([
    [
      'a recovery code that is looked up but never consumed',
      (store) => ({
        ...store,
        consumeRecoveryCode: async (userId) => ((await store.countRecoveryCodes(userId)) > 0 ? store.countRecoveryCodes(userId) : null),
      }),
      [
        'recovery codes: stores, counts and consumes each code once',
        'recovery codes: a new set replaces the whole old set, and an empty set removes them',
        'recovery codes: keeps users apart',
        'recovery codes: exactly one of 10 concurrent uses of one code consumes it',
      ],
    ],
    [
      'a settings write that keeps only the fields it knew when it was written',
      (store) => ({
        ...store,
        updateUserSettings: (userId, { enabled, method, phone }, defaults) =>
          store.updateUserSettings(userId, { enabled, method, phone }, defaults),
      }),
      ['updateUserSettings: keeps every field it is given, both ways', 'updateUserSettings: ignores undefined values in a patch'],
    ],
    [
      'an enforceAccount that stamps the time again on every call',
      (store) => ({
        ...store,
        enforceAccount: async (accountId, now) => {
          const current = await store.ensureAccountSettings(accountId, { enforced: false, enforcedAt: null });
          const next = { ...current, enforced: true, enforcedAt: now };
          await store.updateAccountSettings!(accountId, {}, next);
          return next;
        },
      }),
      [
        'enforceAccount: one way, keeping the first enforcedAt, for a known or a new account',
        'ensureAccountSettings: enforced:false defaults never unset an account enforced from the start',
      ],
    ],
    [
      'a credential list that returns its rows as stored (live objects, newest first)',
      (store) => {
        const rows = new Map<string, import('../../src').StoredCredential[]>();
        return {
          ...store,
          putCredential: async (userId, credential) => {
            const list = (rows.get(`${userId}/${credential.method}`) ?? []).filter((c) => c.id !== credential.id);
            rows.set(`${userId}/${credential.method}`, [credential, ...list]);
          },
          listCredentials: async (userId, method) => rows.get(`${userId}/${method}`) ?? [],
        };
      },
      [
        'credentials: lists one method of one user, oldest first (ties by id), every field as stored',
        'credentials: deletes only the one it names',
        'credentials: keeps ids, labels and data byte for byte, and hands out copies',
      ],
    ],
  ])('fails on %s', async (_name, breakIt, expected) => {
    await expect(failures(() => breakIt(mapDurableStore()))).resolves.toEqual(expected);
  });
});

describe('durableStoreContract under another test runner', () => {
  /** Runs the fixture under node:test and returns its summary counts. */
  function nodeTest(env: Record<string, string>): Promise<{ pass: number; fail: number }> {
    const fixture = join(__dirname, 'fixtures', 'node-test-runner.ts');
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-reporter', 'tap', fixture],
        { env: { ...process.env, ...env } },
        (_error, stdout) => {
          const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(stdout)?.[1] ?? -1);
          resolve({ pass: count('pass'), fail: count('fail') });
        },
      );
    });
  }

  it('passes on node:test as it does under jest, and reports a broken adapter there too', async () => {
    const [good, broken] = await Promise.all([nodeTest({ BROKEN_ADAPTER: '0' }), nodeTest({ BROKEN_ADAPTER: '1' })]);
    const cases = durableStoreContract(() => mapDurableStore()).length;
    expect(good).toEqual({ pass: cases, fail: 0 });
    expect(broken).toEqual({ pass: cases - 4, fail: 4 });
  }, 30_000);
});
