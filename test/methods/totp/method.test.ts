/**
 * The authenticator app over the library's real MethodServices (sealing, the lock-out guard,
 * claimOnce, credentials), on the memory store and on a real redis-server. Attacks: replayed codes,
 * stale codes, another user's secret or box, a tampered box, parallel guesses; and the secret
 * never leaves its sealed box (pending state, stored credential, events, console).
 */
import { randomBytes } from 'node:crypto';
import { Secret, TOTP, URI } from 'otpauth';
import QRCode from 'qrcode';
import type { Redis } from 'ioredis';
import { Challenges } from '../../../src/core/challenges';
import { Events, type TwoFactorEvent } from '../../../src/core/events';
import type { Json, MethodServices } from '../../../src/core/method';
import { methodServices } from '../../../src/core/method-services';
import { DEFAULT_USER_SETTINGS } from '../../../src/core/policy';
import { Sealer } from '../../../src/core/sealing';
import { Hasher } from '../../../src/core/secrets';
import type { LoadedUser } from '../../../src/core/users';
import { otpauthUri, totpMethod, TOTP_PARAMETERS, type TotpSetup } from '../../../src/methods/totp/method';
import { parseOptions } from '../../../src/options';
import { MemoryStore } from '../../../src/stores/memory-store';
import { RedisStore } from '../../../src/stores/redis-store';
import type { Store } from '../../../src/core/store';
import { startRedis, type TestRedis } from '../../helpers/redis-server';

const SECRET = 'totp-method-tests-secret-of-at-least-32-characters';
const STEP = 30_000;
/**
 * 10 s into the current 30 s step of the real clock: the Redis store's expiries are absolute times
 * on the library's clock, which in production is Redis's too (within seconds).
 */
const T0 = Math.floor(Date.now() / STEP) * STEP + 10_000;
const LOCK_BASE_MS = 60_000;
const enrolment = totpMethod.enrolment!;
const ref = { purpose: 'sign-in' as const, attempt: 'a1' };

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis.stop();
});

const STORES: [string, () => Store][] = [
  ['memory store', () => new MemoryStore()],
  ['Redis store', () => new RedisStore({ client, prefix: `t${randomBytes(6).toString('hex')}:` })],
];

interface Harness {
  store: Store;
  services: MethodServices;
  events: TwoFactorEvent[];
  clock: { now: number };
}

function harness(makeStore: () => Store): Harness {
  const store = makeStore();
  const clock = { now: T0 };
  const events: TwoFactorEvent[] = [];
  const config = parseOptions({
    secret: SECRET,
    siteName: 'Acme',
    users: { find: async () => null },
    // No code is sent here: the methods' services only need the defaults and the lock-out.
    development: true,
    now: () => clock.now,
    lockout: { threshold: 5, baseMs: LOCK_BASE_MS, maxMs: 4 * LOCK_BASE_MS, permanentAfter: 1000 },
    onEvent: (event: TwoFactorEvent) => {
      events.push(event);
    },
  });
  const bus = new Events(config.onEvent, config.now);
  const challenges = new Challenges(store, {}, new Hasher(config.secret), config, bus);
  return { store, services: methodServices(store, store, challenges, new Sealer(config.secret), config, bus), events, clock };
}

function user(id: string, enrolled: boolean): LoadedUser {
  return {
    identity: { id, email: `${id}@example.com` },
    settings: { ...DEFAULT_USER_SETTINGS, enabled: true, ...(enrolled ? { enrolled: ['totp'] } : {}) },
    account: null,
    required: true,
  };
}

function codeAt(secret: string, at: number): string {
  return TOTP.generate({ ...TOTP_PARAMETERS, secret: Secret.fromBase32(secret), timestamp: at });
}

describe("the authenticator app on the Redis store, the library's clock behind Redis's", () => {
  it.each([
    ['2 minutes', 2 * 60_000],
    ['10 minutes', 10 * 60_000],
  ])(
    'ATTACK: %s behind: a replayed code is still refused, and one of 20 identical concurrent codes signs in',
    async (_behind, behindMs) => {
      const h = harness(STORES[1]![1]);
      h.clock.now = T0 - behindMs;
      const { secret } = await enrol(h, 'alice');
      const code = codeAt(secret, h.clock.now);
      expect(await check(h, 'alice', code)).toEqual({ status: 'verified' });
      h.clock.now += 5_000;
      expect(await check(h, 'alice', code)).toMatchObject({ status: 'wrong' });
      h.clock.now += STEP;
      const next = codeAt(secret, h.clock.now);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => check(h, 'alice', next)));
      expect(outcomes.filter((o) => o.status === 'verified')).toHaveLength(1);
    },
  );
});

/** The first six digits after `from` that are no code of `secret` within a step of `at`. */
function wrongCode(secret: string, at: number, from = 0): string {
  const valid = new Set([-1, 0, 1].map((d) => codeAt(secret, at + d * STEP)));
  for (let i = from; ; i += 1) {
    const code = String(i % 1_000_000).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

/** Enrols `userId` as the set-up page would: begin, present (the secret read from the page), finish with a first code. */
async function enrol(h: Harness, userId: string, label?: string): Promise<{ secret: string; pending: Json; shown: TotpSetup }> {
  const u = user(userId, false);
  const { pending } = await enrolment.begin(u, h.services);
  const shown = (await enrolment.present(u, pending, h.services)) as TotpSetup;
  const secret = shown.key.replace(/ /g, '');
  const finished = await enrolment.finish(
    u,
    pending,
    { code: codeAt(secret, h.clock.now), ...(label !== undefined ? { label } : {}) },
    h.services,
  );
  expect(finished.ok).toBe(true);
  // The enrolment's code claimed this step: sign-ins in these tests start at the next one.
  h.clock.now += STEP;
  return { secret, pending, shown };
}

function check(h: Harness, userId: string, code: string) {
  return totpMethod.check({ userId, ref, state: undefined, answer: { code } }, h.services);
}

async function failures(h: Harness, userId: string): Promise<number> {
  return (await h.store.getFailureState(userId, h.clock.now)).failures;
}

describe.each(STORES)('the authenticator app on the %s', (_name, makeStore) => {
  describe('enrolment', () => {
    it('keeps only a sealed box in the pending state, shows the QR code and key, and stores that box once a first code is right', async () => {
      const h = harness(makeStore);
      const u = user('alice', false);
      const { pending } = await enrolment.begin(u, h.services);
      const shown = (await enrolment.present(u, pending, h.services)) as TotpSetup;
      const secret = shown.key.replace(/ /g, '');
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // The QR code carries the otpauth:// URI of this very secret, the site and alice's email.
      expect(shown.qrSvg).toBe(
        await QRCode.toString(otpauthUri(secret, 'Acme', 'alice@example.com'), { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
      );
      expect(URI.parse(otpauthUri(secret, 'Acme', 'alice@example.com'))).toMatchObject({ issuer: 'Acme', label: 'alice@example.com' });
      expect(shown.replaces).toBe(false);
      expect(Object.keys(pending as object)).toEqual(['sealed']);
      expect(JSON.stringify(pending)).not.toContain(secret);
      expect(h.services.open(sealedOf(pending), 'totp:alice')).toBe(secret);
      expect(await h.services.credentials.list('alice', 'totp')).toEqual([]);

      const finished = await enrolment.finish(u, pending, { code: codeAt(secret, T0) }, h.services);
      expect(finished).toEqual({
        ok: true,
        credential: expect.objectContaining({ method: 'totp', label: '', createdAt: T0, lastUsedAt: null }),
      });
      const stored = await h.services.credentials.list('alice', 'totp');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.data).toBe(sealedOf(pending));
      expect(stored[0]?.data).not.toContain(secret);
    });

    it('stores the name the user typed (spaces tidied), and refuses one over 64 characters', async () => {
      const h = harness(makeStore);
      const u = user('alice', false);
      const { pending } = await enrolment.begin(u, h.services);
      const secret = ((await enrolment.present(u, pending, h.services)) as TotpSetup).key.replace(/ /g, '');
      expect(await enrolment.finish(u, pending, { code: codeAt(secret, T0), label: 'x'.repeat(65) }, h.services)).toEqual({
        ok: false,
        refused: 'nameTooLong',
        args: [64],
      });
      expect(await h.services.credentials.list('alice', 'totp')).toEqual([]);
      const finished = await enrolment.finish(u, pending, { code: codeAt(secret, T0), label: '  Work\tphone\n ' }, h.services);
      expect(finished.ok && finished.credential.label).toBe('Work phone');
    });

    it.each([
      ['a wrong code', (secret: string) => wrongCode(secret, T0), 'wrong'],
      ['a code from two steps ago', (secret: string) => codeAt(secret, T0 - 2 * STEP), 'wrong'],
      ['a malformed code', () => '12345', 'malformed'],
      ['a code for another secret', () => codeAt('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', T0), 'wrong'],
    ])('refuses %s and stores nothing', async (_what, code, refused) => {
      const h = harness(makeStore);
      const u = user('alice', false);
      const { pending } = await enrolment.begin(u, h.services);
      const secret = ((await enrolment.present(u, pending, h.services)) as TotpSetup).key.replace(/ /g, '');
      expect(await enrolment.finish(u, pending, { code: code(secret) }, h.services)).toEqual({ ok: false, refused });
      expect(await h.services.credentials.list('alice', 'totp')).toEqual([]);
    });

    it.each([
      ['not a pending set-up', async () => 'x' as Json],
      ['an empty object', async () => ({}) as Json],
      [
        'a box with one byte flipped',
        async (h: Harness) => ({ sealed: flipByte(sealedOf((await enrolment.begin(user('alice', false), h.services)).pending)) }),
      ],
      ["another user's box", async (h: Harness) => (await enrolment.begin(user('bob', false), h.services)).pending],
    ])('%s: the page says it expired (no error page), finish refuses', async (_what, make) => {
      const h = harness(makeStore);
      const u = user('alice', false);
      const bad = await make(h);
      expect(await enrolment.present(u, bad, h.services)).toBeNull();
      expect(await enrolment.finish(u, bad, { code: '123456' }, h.services)).toEqual({ ok: false, refused: 'expired' });
      expect(await h.services.credentials.list('alice', 'totp')).toEqual([]);
    });

    it('says a second set-up replaces the first, and after it only the new secret works', async () => {
      const h = harness(makeStore);
      const first = await enrol(h, 'alice');
      const u = user('alice', true);
      const { pending } = await enrolment.begin(u, h.services);
      const shown = (await enrolment.present(u, pending, h.services)) as TotpSetup;
      expect(shown.replaces).toBe(true);
      const second = shown.key.replace(/ /g, '');
      expect(second).not.toBe(first.secret);
      expect((await enrolment.finish(u, pending, { code: codeAt(second, h.clock.now) }, h.services)).ok).toBe(true);
      expect(await h.services.credentials.list('alice', 'totp')).toHaveLength(1);
      h.clock.now += STEP;
      expect(await check(h, 'alice', codeAt(first.secret, h.clock.now))).toMatchObject({ status: 'wrong' });
      expect(await check(h, 'alice', codeAt(second, h.clock.now))).toEqual({ status: 'verified' });
    });

    it('the code that turned the app on cannot also sign in (its step is claimed)', async () => {
      const h = harness(makeStore);
      const u = user('alice', false);
      const { pending } = await enrolment.begin(u, h.services);
      const secret = ((await enrolment.present(u, pending, h.services)) as TotpSetup).key.replace(/ /g, '');
      const code = codeAt(secret, T0);
      expect((await enrolment.finish(u, pending, { code }, h.services)).ok).toBe(true);
      expect(await check(h, 'alice', code)).toMatchObject({ status: 'wrong' });
      expect(await enrolment.finish(u, pending, { code }, h.services)).toEqual({ ok: false, refused: 'used' });
    });
  });

  describe('checking a code', () => {
    it('matches RFC 6238 (SHA-1 vector, T = 59 s) through the sealed credential and the guard', async () => {
      const h = harness(makeStore);
      h.clock.now = 59_000;
      const data = h.services.seal('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'totp:alice');
      await h.services.credentials.put('alice', { id: 'c1', method: 'totp', label: 'RFC', createdAt: 0, lastUsedAt: null, data });
      expect(await check(h, 'alice', '287083')).toMatchObject({ status: 'wrong' });
      expect(await check(h, 'alice', '287082')).toEqual({ status: 'verified' });
    });

    it('accepts the current code, and the codes of the steps before and after; clears earlier failures', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      expect(await check(h, 'alice', wrongCode(secret, h.clock.now))).toMatchObject({ status: 'wrong' });
      expect(await failures(h, 'alice')).toBe(1);
      expect(await check(h, 'alice', codeAt(secret, h.clock.now))).toEqual({ status: 'verified' });
      expect(await failures(h, 'alice')).toBe(0);
      h.clock.now += 3 * STEP;
      expect(await check(h, 'alice', codeAt(secret, h.clock.now - STEP))).toEqual({ status: 'verified' });
      h.clock.now += 3 * STEP;
      expect(await check(h, 'alice', codeAt(secret, h.clock.now + STEP))).toEqual({ status: 'verified' });
    });

    it('ATTACK: a replayed code (same step) is refused and counted as a failure', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      const code = codeAt(secret, h.clock.now);
      expect(await check(h, 'alice', code)).toEqual({ status: 'verified' });
      h.clock.now += 5_000;
      expect(await check(h, 'alice', code)).toMatchObject({ status: 'wrong' });
      expect(await failures(h, 'alice')).toBe(1);
      // A code of the next step, accepted early, claims that step: it is refused again when its time comes.
      const next = codeAt(secret, h.clock.now + STEP);
      expect(await check(h, 'alice', next)).toEqual({ status: 'verified' });
      h.clock.now += STEP;
      expect(await check(h, 'alice', next)).toMatchObject({ status: 'wrong' });
    });

    it('ATTACK: the same right code sent 20 times at once signs in once', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      const code = codeAt(secret, h.clock.now);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => check(h, 'alice', code)));
      expect(outcomes.filter((o) => o.status === 'verified')).toHaveLength(1);
    });

    it('ATTACK: a code from two steps ago (or two ahead) is refused', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      expect(await check(h, 'alice', codeAt(secret, h.clock.now - 2 * STEP))).toMatchObject({ status: 'wrong' });
      expect(await check(h, 'alice', codeAt(secret, h.clock.now + 2 * STEP))).toMatchObject({ status: 'wrong' });
      expect(await failures(h, 'alice')).toBe(2);
    });

    it("ATTACK: a right code for another user's secret is refused, and so is another user's box copied into one's own credential", async () => {
      const h = harness(makeStore);
      await enrol(h, 'alice');
      const bob = await enrol(h, 'bob');
      expect(await check(h, 'alice', codeAt(bob.secret, h.clock.now))).toMatchObject({ status: 'wrong' });
      const [bobs] = await h.services.credentials.list('bob', 'totp');
      await h.services.credentials.put('alice', { ...bobs!, id: 'copied', createdAt: h.clock.now });
      expect(await check(h, 'alice', codeAt(bob.secret, h.clock.now))).toMatchObject({ status: 'wrong' });
      expect(await failures(h, 'alice')).toBe(2);
      expect(await check(h, 'bob', codeAt(bob.secret, h.clock.now))).toEqual({ status: 'verified' });
    });

    it('ATTACK: a tampered sealed secret (one byte flipped) refuses every code as a failure, never throws', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      const [credential] = await h.services.credentials.list('alice', 'totp');
      for (let i = 0; i < credential!.data.length; i += 7) {
        await h.services.credentials.put('alice', { ...credential!, data: flipByte(credential!.data, i) });
        await expect(check(h, 'alice', codeAt(secret, h.clock.now))).resolves.toMatchObject({
          status: expect.stringMatching(/^(wrong|locked)$/),
        });
        await h.store.clearFailures('alice');
      }
      await h.services.credentials.put('alice', credential!);
      expect(await check(h, 'alice', codeAt(secret, h.clock.now))).toEqual({ status: 'verified' });
    });

    it('ATTACK: 50 concurrent wrong codes are all counted by the lock-out, and a right code is then refused while locked', async () => {
      const h = harness(makeStore);
      const { secret } = await enrol(h, 'alice');
      const right = codeAt(secret, h.clock.now);
      const wrong = Array.from({ length: 50 }, (_, i) => wrongCode(secret, h.clock.now, i * 7919));
      const outcomes = await Promise.all(wrong.map((code) => check(h, 'alice', code)));
      expect(outcomes.every((o) => o.status === 'wrong' || o.status === 'locked')).toBe(true);
      expect(await failures(h, 'alice')).toBe(50);
      const locked = await check(h, 'alice', right);
      expect(locked.status).toBe('locked');
      // Refused while locked, and the step was not spent: once the lock ends, the app's code works.
      h.clock.now += 4 * LOCK_BASE_MS;
      expect(await check(h, 'alice', codeAt(secret, h.clock.now))).toEqual({ status: 'verified' });
      expect(h.events.some((e) => e.type === 'user.locked')).toBe(true);
    });

    it('malformed input is "malformed" and never reaches the lock-out', async () => {
      const h = harness(makeStore);
      await enrol(h, 'alice');
      for (const code of ['', '12345', '1234567', 'abcdef', '١٢٣٤٥٦', '1'.repeat(40)])
        expect(await check(h, 'alice', code)).toEqual({ status: 'malformed' });
      expect(await totpMethod.check({ userId: 'alice', ref, state: undefined, answer: {} }, h.services)).toEqual({ status: 'malformed' });
      expect(await failures(h, 'alice')).toBe(0);
    });

    it('a user with no stored authenticator: every code is wrong (and counted)', async () => {
      const h = harness(makeStore);
      expect(await check(h, 'nobody', '123456')).toMatchObject({ status: 'wrong' });
      expect(await failures(h, 'nobody')).toBe(1);
    });

    it('starts with nothing to send, naming the app entry (the site)', async () => {
      const h = harness(makeStore);
      expect(await totpMethod.start({ user: user('alice', true), ref, clientIp: undefined, locale: 'en' }, h.services)).toEqual({
        status: 'ready',
        destination: 'Acme',
      });
    });
  });

  it('the secret appears in no event and no console output, in enrolment, sign-ins, failures and lock-outs', async () => {
    const output: string[] = [];
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void output.push(args.map(String).join(' '))),
    );
    try {
      const h = harness(makeStore);
      const { secret, shown } = await enrol(h, 'alice', 'Phone');
      for (let i = 0; i < 8; i += 1) await check(h, 'alice', wrongCode(secret, h.clock.now, i));
      h.clock.now += 10 * LOCK_BASE_MS;
      await check(h, 'alice', codeAt(secret, h.clock.now));
      const [credential] = await h.services.credentials.list('alice', 'totp');
      await h.services.credentials.put('alice', { ...credential!, data: flipByte(credential!.data) });
      await check(h, 'alice', codeAt(secret, h.clock.now + STEP));
      const seen = JSON.stringify(h.events) + output.join('\n');
      expect(h.events.length).toBeGreaterThan(0);
      for (const form of [
        secret,
        shown.key,
        secret.toLowerCase(),
        Buffer.from(Secret.fromBase32(secret).bytes).toString('hex'),
        Buffer.from(Secret.fromBase32(secret).bytes).toString('base64'),
      ]) {
        expect(seen).not.toContain(form);
      }
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });
});

function sealedOf(pending: Json): string {
  return (pending as { sealed: string }).sealed;
}

/** The sealed box with one byte of its encoding changed (still a valid base64url character). */
function flipByte(sealed: string, at = Math.floor(sealed.length / 2)): string {
  const i = sealed[at] === '.' ? at + 1 : at;
  const ch = sealed[i] ?? 'A';
  return sealed.slice(0, i) + (ch === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
}
