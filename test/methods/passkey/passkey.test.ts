/**
 * The passkey method without a browser: its options (what is refused, and why), who can use it,
 * what start offers, garbage answers ("malformed", never counted, never thrown), enrolment's
 * refusals, and its view and assets. Real WebAuthn responses are in passkey.browser.test.ts.
 */
import { Script } from 'node:vm';
import { EN } from '../../helpers/words';
import type { Json, Method, StoredCredential } from '../../../src/core/method';
import { ConfigurationError } from '../../../src/errors';
import { passkey } from '../../../src/methods/passkey';
import { parsePasskeyOptions } from '../../../src/methods/passkey/config';
import { MAX_LABEL_LENGTH, MAX_PASSKEYS } from '../../../src/methods/passkey/method';
import { METHODS } from '../../../src/methods/registry';
import { MemoryStore } from '../../../src/stores/memory-store';
import { testServices, type TestServices } from './services';
import { user } from './harness';

const SITE = { rpId: 'example.com', origins: ['https://example.com', 'https://app.example.com'] };

function create(options: unknown, development = false): Method | undefined {
  return passkey.create({ options, siteName: 'Example', mountPath: '/2fa', development, channels: {} });
}

function method(): Method {
  const made = create(SITE);
  if (!made) throw new Error('no passkey method');
  return made;
}

/** A stored passkey with a made-up key (enough for what is offered; no signature is checked with it). */
function fakePasskey(
  id: string,
  data: object = { publicKey: 'pQECAyYgASFYIA', counter: 0, transports: ['usb'], userHandle: 'aGFuZGxl' },
): StoredCredential {
  return { id, method: 'passkey', label: id, createdAt: 0, lastUsedAt: null, data: JSON.stringify(data) };
}

const b64 = (value: string) => Buffer.from(value).toString('base64url');
/** Well-formed in shape (so it reaches the verifier), signed by nobody. */
function shapedRegistration(challenge: string): string {
  return JSON.stringify({
    id: 'AAAA',
    rawId: 'AAAA',
    type: 'public-key',
    response: {
      clientDataJSON: b64(JSON.stringify({ type: 'webauthn.create', challenge, origin: 'https://example.com' })),
      attestationObject: 'o2NmbXRkbm9uZQ',
      transports: ['usb'],
    },
    clientExtensionResults: {},
  });
}

describe('options', () => {
  test.each([
    [null, /`methods.passkey` must be an object/],
    [{ rpId: 'example.com' }, /`methods.passkey.origins` must be a non-empty array/],
    [{ rpId: 'example.com', origins: [] }, /`methods.passkey.origins` must be a non-empty array/],
    [{ origins: ['https://example.com'] }, /`methods.passkey.rpId` must be your site's domain/],
    [
      { rpId: 'https://example.com', origins: ['https://example.com'] },
      /`methods.passkey.rpId` must be your site's domain.*got "https:\/\/example.com"/,
    ],
    [{ rpId: 'Example.com', origins: ['https://example.com'] }, /`methods.passkey.rpId` must be your site's domain in lower case/],
    [{ rpId: '192.168.0.1', origins: ['https://192.168.0.1'] }, /`methods.passkey.rpId`/],
    [
      { rpId: 'example.com', origins: ['https://example.com/'] },
      /`methods.passkey.origins\[0\]` must be an origin: scheme, host and port only/,
    ],
    [
      { rpId: 'example.com', origins: ['https://example.com', 'https://example.com/login'] },
      /`methods.passkey.origins\[1\]` must be an origin/,
    ],
    [{ rpId: 'example.com', origins: ['http://example.com'] }, /`methods.passkey.origins\[0\]` must use https/],
    [
      { rpId: 'example.com', origins: ['https://evil.com'] },
      /`methods.passkey.origins\[0\]` \("https:\/\/evil.com"\) is not on `methods.passkey.rpId` \("example.com"\)/,
    ],
    [{ rpId: 'example.com', origins: ['https://notexample.com'] }, /is not on `methods.passkey.rpId`/],
    [{ rpId: 'example.com', origins: [42] }, /`methods.passkey.origins\[0\]` must be an origin/],
    [{ ...SITE, rpName: '' }, /`methods.passkey.rpName` must be a non-empty name/],
    [{ ...SITE, rpID: 'example.com' }, /`methods.passkey.rpID` is not an option. The options are: rpId, origins, rpName/],
  ])('%j is refused with a message naming the option and the fix', (options, message) => {
    expect(() => create(options)).toThrow(ConfigurationError);
    expect(() => create(options)).toThrow(message);
  });

  test('accepted: https origins on the RP id or its subdomains, http only for localhost, a port', () => {
    expect(create(SITE)).toMatchObject({ id: 'passkey', answer: 'prompt', resendable: false });
    expect(create({ rpId: 'localhost', origins: ['http://localhost:3000', 'http://app.localhost:3000'], rpName: 'Dev' })).toBeDefined();
    expect(create({ rpId: 'example.com', origins: ['https://example.com:8443'] })).toBeDefined();
  });

  test('absent: no passkey method, except in development (RP id localhost, localhost origins on any port)', async () => {
    expect(create(undefined)).toBeUndefined();
    const dev = create(undefined, true);
    if (!dev?.enrolment) throw new Error('development has passkeys');
    expect((await dev.enrolment.begin(user('alice'), testServices(new MemoryStore()))).pending).toMatchObject({
      options: { rp: { id: 'localhost', name: 'Example' } },
    });
    const config = parsePasskeyOptions(undefined, 'Example', true);
    for (const origin of ['http://localhost:3000', 'https://localhost:8443', 'http://localhost'])
      expect(config?.acceptsOrigin(origin)).toBe(true);
    for (const origin of [
      'http://localhost.evil.com:3000',
      'http://127.0.0.1:3000',
      'http://app.localhost:3000',
      'https://example.com',
      'http://localhost:3000/',
    ]) {
      expect(config?.acceptsOrigin(origin)).toBe(false);
    }
    // Configured, only the listed origins count, in development too.
    const configured = parsePasskeyOptions({ rpId: 'localhost', origins: ['http://localhost:3000'] }, 'Example', true);
    expect([configured?.acceptsOrigin('http://localhost:3000'), configured?.acceptsOrigin('http://localhost:3001')]).toEqual([true, false]);
  });

  test('the registry offers it after the code methods, once', () => {
    const ids = METHODS.map((m) => m.id);
    expect(ids.slice(0, 3)).toEqual(['email', 'sms', 'voice']);
    expect(ids.filter((id) => id === 'passkey')).toEqual(['passkey']);
  });
});

describe('who can use it, and what start offers', () => {
  let services: TestServices;
  beforeEach(() => {
    services = testServices(new MemoryStore());
  });

  test('usableBy: only a user whose settings say a passkey is enrolled (no I/O)', () => {
    const m = method();
    const alice = user('alice');
    expect(m.usableBy(alice)).toBe(true);
    expect(m.usableBy({ ...alice, settings: { ...alice.settings, enrolled: ['email'] } })).toBe(false);
    expect(m.usableBy({ ...alice, settings: { ...alice.settings, enrolled: undefined } })).toBe(false);
  });

  test('a user without a usable passkey gets "try another method", not a prompt that cannot work', async () => {
    await services.credentials.put('alice', { ...fakePasskey('corrupt'), data: '{"publicKey":' });
    const outcome = await method().start(
      { user: user('alice'), ref: { purpose: 'sign-in', attempt: 'a' }, clientIp: undefined, locale: 'en' },
      services,
    );
    expect(outcome).toMatchObject({ status: 'delivery-failed', error: { tryAnotherMethod: true } });
  });

  test("start offers the user's own passkeys (not corrupt entries), user verification preferred, a timeout; the state is plain JSON", async () => {
    await services.credentials.put('alice', fakePasskey('cred-1'));
    await services.credentials.put('alice', { ...fakePasskey('corrupt'), data: 'not json' });
    await services.credentials.put('bob', fakePasskey('bobs'));
    const outcome = await method().start(
      { user: user('alice'), ref: { purpose: 'sign-in', attempt: 'a' }, clientIp: undefined, locale: 'en' },
      services,
    );
    if (outcome.status !== 'ready') throw new Error(outcome.status);
    expect(outcome.state).toEqual({
      options: {
        rpId: 'example.com',
        challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        allowCredentials: [{ id: 'cred-1', type: 'public-key', transports: ['usb'] }],
        userVerification: 'preferred',
        timeout: 120_000,
      },
      expiresAt: services.now() + 10 * 60_000,
    });
    expect(JSON.parse(JSON.stringify(outcome.state))).toEqual(outcome.state);
  });

  test('enrolment offers: RP id and name, the email as user name, one user handle for all passkeys, existing ones excluded, no attestation', async () => {
    const enrolment = method().enrolment;
    if (!enrolment) throw new Error('no enrolment');
    const first = await enrolment.begin(user('alice'), services);
    expect(first.pending).toMatchObject({
      options: {
        rp: { id: 'example.com', name: 'Example' },
        user: { name: 'alice@acme.test', displayName: 'alice@acme.test' },
        excludeCredentials: [],
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        attestation: 'none',
        timeout: 120_000,
      },
    });
    await services.credentials.put('alice', fakePasskey('cred-1'));
    const second = await enrolment.begin(user('alice'), services);
    expect(second.pending).toMatchObject({
      options: { user: { id: 'aGFuZGxl' }, excludeCredentials: [{ id: 'cred-1', type: 'public-key', transports: ['usb'] }] },
    });
    expect(await enrolment.present(user('alice'), second.pending, services)).toEqual({
      options: (second.pending as { options: Json }).options,
    });
  });
});

describe('garbage', () => {
  let services: TestServices;
  let state: Json | undefined;
  beforeAll(async () => {
    services = testServices(new MemoryStore());
    await services.credentials.put('alice', fakePasskey('cred-1'));
    const outcome = await method().start(
      { user: user('alice'), ref: { purpose: 'sign-in', attempt: 'a' }, clientIp: undefined, locale: 'en' },
      services,
    );
    if (outcome.status !== 'ready') throw new Error(outcome.status);
    state = outcome.state;
  });

  const clientData = b64(JSON.stringify({ type: 'webauthn.get', challenge: 'c', origin: 'https://example.com' }));
  const authData = b64('x'.repeat(37));
  const shaped = (response: object, envelope: object = {}) =>
    JSON.stringify({ id: 'cred-1', rawId: 'cred-1', type: 'public-key', response, ...envelope });
  test.each([
    ['absent', undefined],
    ['empty', ''],
    ['not JSON', '{'],
    ['null', 'null'],
    ['an array', '[]'],
    ['a number', '42'],
    ['no response', JSON.stringify({ id: 'cred-1', rawId: 'cred-1', type: 'public-key' })],
    ['another type', shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: 'c2ln' }, { type: 'password' })],
    ['rawId other than id', shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: 'c2ln' }, { rawId: 'other' })],
    [
      'an id that is not base64url',
      shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: 'c2ln' }, { id: 'a+b/', rawId: 'a+b/' }),
    ],
    ['client data not base64url', shaped({ clientDataJSON: '!!!', authenticatorData: authData, signature: 'c2ln' })],
    ['client data not JSON', shaped({ clientDataJSON: b64('nope'), authenticatorData: authData, signature: 'c2ln' })],
    [
      'client data without a challenge',
      shaped({
        clientDataJSON: b64('{"type":"webauthn.get","origin":"https://example.com"}'),
        authenticatorData: authData,
        signature: 'c2ln',
      }),
    ],
    ['authenticator data too short', shaped({ clientDataJSON: clientData, authenticatorData: b64('short'), signature: 'c2ln' })],
    ['no signature', shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: '' })],
    [
      'a user handle that is not base64url',
      shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: 'c2ln', userHandle: 7 }),
    ],
    ['megabytes', 'x'.repeat(2_000_000)],
  ])('a credential that is %s is "malformed": not counted, nothing thrown', async (_name, credential) => {
    const answer: Record<string, string> = credential === undefined ? {} : { credential };
    await expect(method().check({ userId: 'alice', ref: { purpose: 'sign-in', attempt: 'a' }, state, answer }, services)).resolves.toEqual({
      status: 'malformed',
    });
    expect(await services.failures('alice')).toBe(0);
  });

  test.each([
    ['absent', undefined],
    ['not an object', 'x'],
    ['without options', { expiresAt: 1 }],
    ['without a challenge', { options: {}, expiresAt: 1 }],
  ])('a flow state that is %s is "malformed" (an old or foreign state), never thrown', async (_name, bad) => {
    const credential = shaped({ clientDataJSON: clientData, authenticatorData: authData, signature: 'c2ln' });
    await expect(
      method().check(
        { userId: 'alice', ref: { purpose: 'sign-in', attempt: 'a' }, state: bad as Json | undefined, answer: { credential } },
        services,
      ),
    ).resolves.toEqual({ status: 'malformed' });
  });

  test('well-formed but signed by nobody: "wrong", counted in the lock-out', async () => {
    const challenge = (state as { options: { challenge: string } }).options.challenge;
    const credential = shaped({
      clientDataJSON: b64(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'https://example.com' })),
      authenticatorData: authData,
      signature: 'c2ln',
    });
    expect(
      await method().check({ userId: 'alice', ref: { purpose: 'sign-in', attempt: 'a' }, state, answer: { credential } }, services),
    ).toMatchObject({ status: 'wrong' });
    expect(await services.failures('alice')).toBe(1);
  });
});

describe('enrolment refusals', () => {
  test('garbage, a foreign pending state, a name too long, the most passkeys: each a message, nothing stored', async () => {
    const services = testServices(new MemoryStore());
    const enrolment = method().enrolment;
    if (!enrolment) throw new Error('no enrolment');
    const alice = user('alice');
    const { pending } = await enrolment.begin(alice, services);
    const challenge = (pending as { options: { challenge: string } }).options.challenge;
    for (const credential of [
      undefined,
      '',
      '{',
      '[]',
      JSON.stringify({ id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30' } }),
    ]) {
      expect(await enrolment.finish(alice, pending, credential === undefined ? {} : { credential }, services)).toEqual({
        ok: false,
        refused: 'malformed',
      });
    }
    expect(await enrolment.finish(alice, { options: { challenge } }, { credential: shapedRegistration(challenge) }, services)).toEqual({
      ok: false,
      refused: 'malformed',
    });
    expect(
      await enrolment.finish(
        alice,
        pending,
        { credential: shapedRegistration(challenge), label: 'x'.repeat(MAX_LABEL_LENGTH + 1) },
        services,
      ),
    ).toEqual({ ok: false, refused: 'labelTooLong', args: [MAX_LABEL_LENGTH] });
    expect(
      await enrolment.finish(alice, pending, { credential: shapedRegistration(challenge), label: 'x'.repeat(MAX_LABEL_LENGTH) }, services),
    ).toEqual({ ok: false, refused: 'notAccepted' });
    for (let i = 0; i < MAX_PASSKEYS; i++) await services.credentials.put('alice', fakePasskey(`cred-${i}`));
    expect(await enrolment.finish(alice, pending, { credential: shapedRegistration(challenge) }, services)).toEqual({
      ok: false,
      refused: 'tooMany',
      args: [MAX_PASSKEYS],
    });
    expect(await services.credentials.list('alice', 'passkey')).toHaveLength(MAX_PASSKEYS);
  });
});

describe('view', () => {
  const view = passkey.view;
  const model = {
    csrfToken: 'tok"en',
    action: '/2fa/verify',
    disabled: false,
    mountPath: '/2fa/',
    state: { options: { challenge: 'abc', rpId: 'example.com' }, expiresAt: 1 },
    words: passkey.strings.en,
    page: EN,
  };

  test('the prompt: a control for the page’s form: the hidden answer, the button hidden until the script runs; scripts by src only', () => {
    const control = view?.prompt?.(model).toString() ?? '';
    expect(control).not.toContain('<form');
    expect(control).toContain(
      '<div data-passkey="sign-in" data-passkey-options="{&quot;challenge&quot;:&quot;abc&quot;,&quot;rpId&quot;:&quot;example.com&quot;}" data-passkey-text="{&quot;cancelled&quot;:',
    );
    expect(control).toContain('<input type="hidden" name="credential" value="">');
    expect(control).toMatch(
      /<div data-passkey-controls hidden>\s*<button type="button" class="btn-primary" data-passkey-start>Use a passkey<\/button>/,
    );
    expect(control).toContain('<noscript><p class="hint">Passkeys need JavaScript');
    expect(control.match(/<script[^>]*>/g)).toEqual([
      '<script src="/2fa/assets/passkey-webauthn.js" defer>',
      '<script src="/2fa/assets/passkey.js" defer>',
    ]);
  });

  test('locked out: the button is disabled and says why', () => {
    const control = view?.prompt?.({ ...model, disabled: true }).toString() ?? '';
    expect(control).toContain('data-passkey-start disabled aria-describedby="passkey-locked"');
    expect(control).toContain('<p class="hint" id="passkey-locked">You can use your passkey again once the lock-out ends.</p>');
  });

  test('the enrolment body: its own form with the CSRF token, a name field, the create button; cancel', () => {
    const body =
      view
        ?.enrol?.({ ...model, shown: { options: { challenge: 'abc' } }, cancel: { action: '/2fa/settings', label: 'Cancel' } })
        .toString() ?? '';
    expect(body).toContain('<form method="post" action="/2fa/verify">');
    expect(body).toContain('<input type="hidden" name="_csrf" value="tok&quot;en">');
    expect(body).toContain(`<input class="text-input" id="passkey-label" name="label" type="text" maxlength="${MAX_LABEL_LENGTH}"`);
    expect(body).toContain('data-passkey="enrol" data-passkey-options="{&quot;challenge&quot;:&quot;abc&quot;}"');
    expect(body.indexOf('name="label"')).toBeLessThan(body.indexOf('</form>'));
    expect(body).toContain('>Create passkey</button>');
    expect(body).toContain('<form method="post" action="/2fa/settings">');
  });

  test('assets: the browser bundle (defines SimpleWebAuthnBrowser, no eval) and passkey.js, both valid scripts', () => {
    const assets = view?.assets ?? {};
    expect(Object.keys(assets).sort()).toEqual(['passkey-webauthn.js', 'passkey.js']);
    for (const asset of Object.values(assets)) {
      expect(asset.type).toBe('text/javascript; charset=utf-8');
      expect(() => new Script(asset.body)).not.toThrow();
      expect(asset.body).not.toMatch(/\beval\(|new Function\(/);
    }
    expect(assets['passkey-webauthn.js']?.body).toContain('SimpleWebAuthnBrowser');
    // One file for every language: its words come from the control on the page.
    expect(assets['passkey.js']?.body).not.toContain('The passkey request was cancelled');
    expect(assets['passkey.js']?.body).toContain("JSON.parse(control.getAttribute('data-passkey-text'))");
  });
});
