/**
 * Passkeys with REAL WebAuthn responses: headless Chromium with a CDP virtual authenticator
 * (CTAP2, internal, resident keys, user verification) on pages served by the harness (the method's
 * own view, script and assets under `script-src 'self'`). Alice and Bob enrol through the page,
 * sign in through it; then the attacks, each on responses the browser really made: a replayed
 * assertion, an assertion made on another origin or for another RP id, a cloned authenticator
 * with a stale signature counter, another user's passkey, an expired challenge.
 */
import type { Browser, Page } from 'playwright-core';
import type { Json, Method, StoredCredential } from '../../../src/core/method';
import type { LoadedUser } from '../../../src/core/users';
import { passkey } from '../../../src/methods/passkey';
import { CHALLENGE_TTL_MS } from '../../../src/methods/passkey/method';
import { decodePasskey } from '../../../src/methods/passkey/stored';
import { MemoryStore } from '../../../src/stores/memory-store';
import { RedisStore } from '../../../src/stores/redis-store';
import { launchChromium } from '../../helpers/browser';
import { startRedis } from '../../helpers/redis-server';
import { withAuthenticator, type VirtualAuthenticator } from './authenticator';
import { startHarness, user, type Harness } from './harness';
import { testServices, type BothStores, type TestServices } from './services';

jest.setTimeout(60_000);

/** The library's services over each real store: memory, and Redis on a redis-server of this file's. */
const STORES: ReadonlyArray<[string, () => Promise<{ store: BothStores; stop(): Promise<void> }>]> = [
  ['memory store', async () => ({ store: new MemoryStore(), stop: async () => undefined })],
  [
    'Redis store',
    async () => {
      const redis = await startRedis();
      return { store: new RedisStore({ client: redis.client() }), stop: () => redis.stop() };
    },
  ],
];

let services: TestServices;
const alice = user('alice');
const bob = user('bob');
let harness: Harness;
let browser: Browser;
/** The origins: the site, the same routes on another port (another origin), and a subdomain host. */
let site: string;
let otherPort: string;
let subdomain: string;
/** Configured for the site only. */
let method: Method;
/** The same RP id, accepting the subdomain's origin too (so only the RP id can refuse its assertions). */
let wide: Method;
/** A site whose RP id is the subdomain's. */
let subdomainSite: Method;
const problems: string[] = [];

type Authenticator = VirtualAuthenticator;

function create(options: unknown): Method {
  const made = passkey.create({ options, siteName: 'Passkey test', mountPath: '/2fa', development: false, channels: {} });
  if (!made) throw new Error('no passkey method');
  return made;
}

/** A new browser (context) with its own virtual authenticator. */
function newBrowser(): Promise<Authenticator> {
  return withAuthenticator(browser, problems);
}

async function enrolThroughPage(
  who: Authenticator,
  as: LoadedUser,
  label: string,
  { origin = site, using = method, beforeAnswer = () => {} } = {},
) {
  const { path, pending, result } = await harness.enrol(using, as);
  await who.page.goto(`${origin}${path}`);
  await who.page.getByLabel('Name this passkey').fill(label);
  beforeAnswer();
  await who.page.getByRole('button', { name: 'Create passkey' }).click();
  await posted(who.page);
  return { pending, ...(await result) };
}

function finish(as: LoadedUser, pending: Json, fields: Record<string, string>) {
  return method.enrolment?.finish(as, pending, fields, services);
}

async function signInThroughPage(who: Authenticator, as: LoadedUser, { origin = site, using = method, check = true } = {}) {
  const started = await harness.signIn(using, as, { check });
  await who.page.goto(`${origin}${started.path}`);
  await who.page.getByRole('button', { name: 'Use a passkey' }).click();
  await posted(who.page);
  return { ...started, posted: await started.result };
}

/** The form's post has been answered (so the next navigation does not cut it short). */
async function posted(page: Page): Promise<void> {
  await page.getByRole('heading', { name: 'Posted' }).waitFor({ timeout: 10_000 });
}

async function passkeyOf(userId: string): Promise<StoredCredential> {
  const [credential] = await services.credentials.list(userId, 'passkey');
  if (!credential) throw new Error(`${userId} has no passkey`);
  return credential;
}

function counterOf(credential: StoredCredential): number | undefined {
  return decodePasskey(credential)?.counter;
}

function check(as: LoadedUser, state: Json | undefined, credential: string, using = method) {
  return using.check({ userId: as.identity.id, ref: { purpose: 'sign-in', attempt: 'x' }, state, answer: { credential } }, services);
}

let aliceBrowser: Authenticator;
/** Alice's first enrolment: what was pending and what her page posted. */
let aliceRegistration: { pending: Json; fields: Record<string, string> };
let bobBrowser: Authenticator;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

describe.each(STORES)('%s', (_name, open) => {
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const opened = await open();
    stop = () => opened.stop();
    services = testServices(opened.store);
    harness = await startHarness(services, 2);
    const [port, port2] = harness.ports;
    site = `http://localhost:${port}`;
    otherPort = `http://localhost:${port2}`;
    subdomain = `http://other.localhost:${port}`;
    method = create({ rpId: 'localhost', origins: [site] });
    wide = create({ rpId: 'localhost', origins: [site, subdomain] });
    subdomainSite = create({ rpId: 'other.localhost', origins: [subdomain] });
    aliceBrowser = await newBrowser();
    bobBrowser = await newBrowser();
  });

  // Each test starts with no failures counted (five in a row lock the user for a minute), at the same time.
  beforeEach(async () => {
    for (const id of ['alice', 'bob', 'carol']) await services.clearFailures(id);
    services.resetClock();
  });

  afterAll(async () => {
    await Promise.all([aliceBrowser?.context.close(), bobBrowser?.context.close()]);
    await harness?.close();
    await stop?.();
  });

  test('alice and bob each create a passkey on the enrolment page; only public data is stored', async () => {
    const enrolled = await enrolThroughPage(aliceBrowser, alice, 'Work laptop');
    expect(enrolled.outcome).toMatchObject({ ok: true, credential: { method: 'passkey', label: 'Work laptop', lastUsedAt: null } });
    expect(enrolled.fields).toMatchObject({ _csrf: 'test-csrf-token', label: 'Work laptop' });
    // The form stays well under the library's 8 KiB form limit.
    expect(new URLSearchParams(enrolled.fields).toString().length).toBeLessThan(4 * 1024);

    const stored = await passkeyOf('alice');
    const { credentials } = await aliceBrowser.cdp.send('WebAuthn.getCredentials', { authenticatorId: aliceBrowser.authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(stored.id).toBe(credentials[0]?.credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
    const data = JSON.parse(stored.data) as Record<string, unknown>;
    expect(Object.keys(data).sort()).toEqual(['counter', 'publicKey', 'transports', 'userHandle']);
    expect(data.transports).toEqual(['internal']);
    // The authenticator holds the user handle the method chose; the private key never leaves it.
    expect(Buffer.from(credentials[0]?.userHandle ?? '', 'base64').toString('base64url')).toBe(data.userHandle);
    expect(stored.data).not.toContain(credentials[0]?.privateKey ?? 'private key');

    expect((await enrolThroughPage(bobBrowser, bob, '')).outcome).toMatchObject({ ok: true, credential: { label: '' } });
    aliceRegistration = enrolled;
  });

  test('alice signs in with her passkey: verified, the counter and last use recorded, the trust field posted with it', async () => {
    const before = counterOf(await passkeyOf('alice'));
    services.advance(1000);
    const { posted } = await signInThroughPage(aliceBrowser, alice);
    expect(posted.outcome).toMatchObject({ status: 'verified' });
    expect(posted.fields).toMatchObject({ _csrf: 'test-csrf-token', trust: '1' });
    const after = await passkeyOf('alice');
    expect(counterOf(after)).toBeGreaterThan(before ?? Infinity);
    expect(after.lastUsedAt).toBe(services.now());
    expect(await services.failures('alice')).toBe(0);
  });

  test('a second enrolment on the same authenticator is refused by the browser (excludeCredentials) and shows why', async () => {
    const { path } = await harness.enrol(method, alice);
    await aliceBrowser.page.goto(`${site}${path}`);
    await aliceBrowser.page.getByRole('button', { name: 'Create passkey' }).click();
    const alert = aliceBrowser.page.locator('[data-passkey-alert] .notice-error');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toMatch(/already has a passkey/);
    expect(await aliceBrowser.page.getByRole('button', { name: 'Create passkey' }).isEnabled()).toBe(true);
    expect(await services.credentials.list('alice', 'passkey')).toHaveLength(1);
  });

  describe('attacks', () => {
    test('a replayed assertion is refused: again with its own challenge, with a new challenge, and twice at once', async () => {
      const { state, posted } = await signInThroughPage(aliceBrowser, alice);
      expect(posted.outcome?.status).toBe('verified');
      const assertion = posted.fields.credential ?? '';
      const stored = await passkeyOf('alice');

      expect(await check(alice, state, assertion)).toMatchObject({ status: 'wrong' });
      const fresh = await harness.signIn(method, alice);
      expect(await check(alice, fresh.state, assertion)).toMatchObject({ status: 'wrong' });
      expect(await services.failures('alice')).toBe(2);
      expect(await passkeyOf('alice')).toEqual(stored);

      // Posted twice in parallel before either was checked: one sign-in, one refusal.
      const unchecked = await signInThroughPage(aliceBrowser, alice, { check: false });
      const twice = await Promise.all([0, 1].map(() => check(alice, unchecked.state, unchecked.posted.fields.credential ?? '')));
      expect(twice.map((o) => o.status).sort()).toEqual(['verified', 'wrong']);
    });

    test('an assertion made on another origin (same RP id, another port) is refused, and so is a passkey created there', async () => {
      const { state, posted } = await signInThroughPage(aliceBrowser, alice, { origin: otherPort, check: false });
      const stored = await passkeyOf('alice');
      expect(await check(alice, state, posted.fields.credential ?? '')).toMatchObject({ status: 'wrong' });
      expect(await passkeyOf('alice')).toEqual(stored);

      const phished = await newBrowser();
      const enrolled = await enrolThroughPage(phished, alice, 'Phished', { origin: otherPort });
      expect(enrolled.outcome).toEqual({ ok: false, refused: 'notAccepted' });
      expect(await services.credentials.list('alice', 'passkey')).toHaveLength(1);
      await phished.context.close();
    });

    test('an assertion for another RP id is refused even from an accepted origin', async () => {
      const carol = user('carol');
      const carolBrowser = await newBrowser();
      // A passkey carol created for other.localhost (through that site's own configuration).
      expect((await enrolThroughPage(carolBrowser, carol, 'Sub', { origin: subdomain, using: subdomainSite })).outcome).toMatchObject({
        ok: true,
      });
      expect((await signInThroughPage(carolBrowser, carol, { origin: subdomain, using: subdomainSite })).posted.outcome?.status).toBe(
        'verified',
      );
      // The site for RP id "localhost" accepts the subdomain's origin and knows the passkey, and the
      // challenge is right: only the RP id the assertion was made for differs.
      const { state, posted } = await signInThroughPage(carolBrowser, carol, { origin: subdomain, using: subdomainSite, check: false });
      const assertion = posted.fields.credential ?? '';
      expect(await check(carol, state, assertion, wide)).toMatchObject({ status: 'wrong' });
      expect(await services.failures('carol')).toBe(1);
      // The same assertion, checked for its own RP id, is good.
      expect(await check(carol, state, assertion, subdomainSite)).toMatchObject({ status: 'verified' });
      await carolBrowser.context.close();
    });

    test('a cloned authenticator whose signature counter is behind is refused; the original still signs in', async () => {
      // Two more sign-ins move the stored counter ahead of what the clone will start from.
      for (let i = 0; i < 2; i++) expect((await signInThroughPage(aliceBrowser, alice)).posted.outcome?.status).toBe('verified');
      const { credentials } = await aliceBrowser.cdp.send('WebAuthn.getCredentials', { authenticatorId: aliceBrowser.authenticatorId });
      const original = credentials[0];
      if (!original) throw new Error('no credential on the authenticator');
      const stored = await passkeyOf('alice');
      expect(original.signCount).toBe(counterOf(stored));

      const clone = await newBrowser();
      await clone.cdp.send('WebAuthn.addCredential', { authenticatorId: clone.authenticatorId, credential: { ...original, signCount: 0 } });
      const failuresBefore = await services.failures('alice');
      const { posted } = await signInThroughPage(clone, alice);
      expect(posted.outcome).toMatchObject({ status: 'wrong' });
      expect(await services.failures('alice')).toBe(failuresBefore + 1);
      expect(await passkeyOf('alice')).toEqual(stored);

      expect((await signInThroughPage(aliceBrowser, alice)).posted.outcome?.status).toBe('verified');
      await clone.context.close();
    });

    test("bob's passkey signing alice's challenge is refused", async () => {
      // Bob knows alice's password: he is on her sign-in page and has his authenticator answer her challenge.
      const { path, state } = await harness.signIn(method, alice, { check: false });
      await bobBrowser.page.goto(`${site}${path}`);
      const forged = await bobBrowser.page.evaluate<string>(`(async () => {
        const options = JSON.parse(document.querySelector('[data-passkey]').getAttribute('data-passkey-options'));
        const answer = await window.SimpleWebAuthnBrowser.startAuthentication({ optionsJSON: { ...options, allowCredentials: [] } });
        return JSON.stringify(answer);
      })()`);
      const bobsPasskey = await passkeyOf('bob');
      expect(JSON.parse(forged)).toMatchObject({ id: bobsPasskey.id });
      const failuresBefore = await services.failures('alice');
      expect(await check(alice, state, forged)).toMatchObject({ status: 'wrong' });
      expect(await services.failures('alice')).toBe(failuresBefore + 1);
      expect(await passkeyOf('bob')).toEqual(bobsPasskey);
    });

    test('an assertion for a challenge older than its time-to-live is refused', async () => {
      const { state, posted } = await signInThroughPage(aliceBrowser, alice, { check: false });
      services.advance(CHALLENGE_TTL_MS);
      expect(await check(alice, state, posted.fields.credential ?? '')).toMatchObject({ status: 'wrong' });
    });

    test('a tampered assertion (signature, authenticator data, client data) is refused and counted, never thrown', async () => {
      const { state, posted } = await signInThroughPage(aliceBrowser, alice, { check: false });
      const genuine = JSON.parse(posted.fields.credential ?? '') as { response: Record<string, string> };
      const flip = (value: string) => {
        const bytes = Buffer.from(value, 'base64url');
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 1;
        return bytes.toString('base64url');
      };
      for (const field of ['signature', 'authenticatorData'] as const) {
        const tampered = { ...genuine, response: { ...genuine.response, [field]: flip(genuine.response[field] ?? '') } };
        expect(await check(alice, state, JSON.stringify(tampered))).toMatchObject({ status: expect.stringMatching(/wrong|locked-out/) });
      }
      const clientData = JSON.parse(Buffer.from(genuine.response.clientDataJSON ?? '', 'base64url').toString()) as Record<string, unknown>;
      const wrongType = Buffer.from(JSON.stringify({ ...clientData, type: 'webauthn.create' })).toString('base64url');
      expect(
        await check(alice, state, JSON.stringify({ ...genuine, response: { ...genuine.response, clientDataJSON: wrongType } })),
      ).toMatchObject({ status: expect.stringMatching(/wrong|locked-out/) });
      // The genuine one still works: failures were counted, not the challenge used up.
      expect(await check(alice, state, posted.fields.credential ?? '')).toMatchObject({ status: 'verified' });
    });
  });

  describe('enrolment attacks', () => {
    test('a replayed registration is refused: with its own challenge (already added) and with a new one', async () => {
      const { pending, fields } = aliceRegistration;
      const before = await services.credentials.list('alice', 'passkey');
      expect(await finish(alice, pending, fields)).toEqual({ ok: false, refused: 'alreadyAdded' });
      const { pending: fresh } = await harness.enrol(method, alice);
      expect(await finish(alice, fresh, fields)).toEqual({ ok: false, refused: 'notAccepted' });
      expect(await services.credentials.list('alice', 'passkey')).toEqual(before);
    });

    test('a tampered registration (challenge, type in client data; attestation) is refused, never thrown', async () => {
      const { pending, fields } = aliceRegistration;
      const genuine = JSON.parse(fields.credential ?? '') as { response: Record<string, unknown> };
      const clientData = JSON.parse(Buffer.from(String(genuine.response.clientDataJSON), 'base64url').toString()) as Record<
        string,
        unknown
      >;
      const { pending: fresh } = await harness.enrol(method, alice);
      const freshChallenge = (fresh as { options: { challenge: string } }).options.challenge;
      const variants: Array<{ response: Record<string, unknown> }> = [
        { ...clientData, challenge: freshChallenge },
        { ...clientData, type: 'webauthn.get' },
      ].map((data) => ({
        ...genuine,
        response: { ...genuine.response, clientDataJSON: Buffer.from(JSON.stringify(data)).toString('base64url') },
      }));
      const attestation = Buffer.from(String(genuine.response.attestationObject), 'base64url');
      attestation[attestation.length - 1] = (attestation[attestation.length - 1] ?? 0) ^ 1;
      variants.push({ ...genuine, response: { ...genuine.response, attestationObject: attestation.toString('base64url') } });
      for (const variant of variants) {
        const outcome = await finish(alice, variant === variants[0] ? fresh : pending, { ...fields, credential: JSON.stringify(variant) });
        expect(outcome?.ok).toBe(false);
      }
      expect(await services.credentials.list('alice', 'passkey')).toHaveLength(1);
    });

    test('a registration answered after the time-to-live is refused', async () => {
      const late = await newBrowser();
      const outcome = await enrolThroughPage(late, user('dave'), 'Late', { beforeAnswer: () => services.advance(CHALLENGE_TTL_MS) });
      expect(outcome.outcome).toEqual({ ok: false, refused: 'expired' });
      expect(await services.credentials.list('dave', 'passkey')).toEqual([]);
      await late.context.close();
    });
  });
});

test('the pages ran without a console error or CSP violation', () => {
  expect(problems).toEqual([]);
});
