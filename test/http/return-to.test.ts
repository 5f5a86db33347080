import fc from 'fast-check';
import request from 'supertest';
import { ConfigurationError, MemoryStore } from '../../src';
import { safeReturnTo } from '../../src/http/return-to';
import { parseOptions, type Configuration } from '../../src/options';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, type TestApp } from '../helpers/test-app';

const APP = 'https://app.example';

/** Whether a browser on a page of APP, given this Location, stays on APP. */
function staysOnApp(location: string): boolean {
  // "//host" and "/\host" are read as protocol-relative by every browser ("\" is "/" in http(s) URLs).
  if (location.startsWith('//') || location.startsWith('/\\')) return false;
  try {
    return new URL(location, APP).origin === APP;
  } catch {
    return false;
  }
}

function expectSameOrigin(location: string): void {
  expect([location, staysOnApp(location)]).toEqual([location, true]);
}

/** The pieces open-redirect payloads are made of, mixed with plain text. */
const piece = fc.oneof(
  fc.constantFrom(
    '/',
    '//',
    '\\',
    '.',
    '..',
    './',
    '../',
    '%2e',
    '%2E',
    '%2e%2e',
    '%2f',
    '%2F',
    '%5c',
    '%5C',
    '%252f',
    '%',
    '\t',
    '\n',
    '\r',
    '\u0000',
    ' ',
    '\u00a0',
    '@',
    ':',
    '?',
    '#',
    ';',
    'evil.test',
    'app.example',
    'https:',
    'http:',
    'javascript:',
    'data:',
    'HTTPS://',
    '\u3002',
    '\uff0f',
    '\u2215',
    'é',
  ),
  fc.string({ maxLength: 4 }),
);
const payload = fc.oneof(
  fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
  fc.array(piece, { maxLength: 12 }).map((parts) => `/${parts.join('')}`),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.webUrl(),
  fc.webPath(),
);

/** Payloads that came out as `Location: //evil.test` before. */
const KNOWN_BYPASSES = [
  '/.//evil.test',
  '/..//evil.test',
  '/a/..//evil.test',
  '/%2e//evil.test',
  '/%2E%2E//evil.test',
  '/.%2e//evil.test',
  '/./\\evil.test',
  '/.\t//evil.test',
  '/%2e/\\/evil.test',
];

describe('safeReturnTo: only same-origin paths, judged after resolving like a browser', () => {
  test.each(KNOWN_BYPASSES)('%j falls back', (value) => {
    expect(safeReturnTo(value, '/home')).toBe('/home');
  });

  test.each([
    ['/dashboard?tab=2#top', '/dashboard?tab=2#top'],
    ['/a/./b/../c', '/a/c'],
    ['/%2e%2e/settings', '/settings'],
    ['/a//b', '/a//b'],
    ['/caf\u00e9?q=\u00e9', '/caf%C3%A9?q=%C3%A9'],
  ])('%j becomes %j', (value, expected) => {
    expect(safeReturnTo(value, '/')).toBe(expected);
  });

  test('property: every result resolves to the app and is stable', () => {
    fc.assert(
      fc.property(payload, (value) => {
        const result = safeReturnTo(value, '/fallback');
        if (!staysOnApp(result)) return false;
        // What we send is what the browser reaches: resolving it again changes nothing.
        const url = new URL(result, APP);
        return `${url.pathname}${url.search}${url.hash}` === result && safeReturnTo(result, '/fallback') === result;
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('the paths the library redirects to by configuration', () => {
  const base = { secret: TEST_SECRET, users: { find: async () => null }, development: true };

  test.each(['/\\evil.test', '/.//evil.test', '/%2e%2e//evil.test', 'https://evil.test/'])(
    'loginPath %j is refused at start-up',
    (value) => {
      expect(() => parseOptions({ ...base, loginPath: value })).toThrow(ConfigurationError);
    },
  );

  test('property: loginPath, defaultReturnTo and mountPath are refused or resolve to the app', () => {
    fc.assert(
      fc.property(payload, fc.constantFrom('loginPath', 'defaultReturnTo', 'mountPath'), (value, option) => {
        let config: Configuration;
        try {
          config = parseOptions({ ...base, [option]: value });
        } catch (error) {
          return error instanceof ConfigurationError;
        }
        return staysOnApp(config[option as 'loginPath' | 'defaultReturnTo' | 'mountPath']);
      }),
      { numRuns: 5_000 },
    );
  });
});

describe.each(EXPRESS_VERSIONS)('every Location sent after sign-in stays on the app, on %s', (_name, expressVersion) => {
  let smtp: TestSmtpServer;
  let host: TestApp;
  let store: MemoryStore;

  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(() => smtp.stop());
  beforeEach(async () => {
    store = new MemoryStore();
    host = createTestApp({ express: expressVersion, smtpUrl: smtp.url, options: { store } });
    await host.twoFactor.enforceAccount('acme');
  });
  afterEach(async () => {
    await host.twoFactor.close();
    await store.close();
  });

  test('sign-in without a code (dan): generated returnTo values', async () => {
    const samples = [...KNOWN_BYPASSES, ...fc.sample(payload, { numRuns: 60, seed: 9 })];
    for (const returnTo of samples) {
      const res = await request(host.app).post('/login').type('form').send({ email: 'dan@globex.test', password: 'right', returnTo });
      expect(res.status).toBe(303);
      expectSameOrigin(res.headers.location as string);
    }
  });

  test.each(['/.//evil.test', '/%2e%2e//evil.test'])(
    'sign-in with a code (alice), returnTo %j: the path kept for after the code is the judged one',
    async (returnTo) => {
      const agent = request.agent(host.app);
      expect(
        (await agent.post('/login').type('form').send({ email: 'alice@acme.test', password: 'right', returnTo })).headers.location,
      ).toBe('/2fa');
      const code = await smtp.nextCode('alice@acme.test');
      const csrf = csrfFrom((await agent.get('/2fa')).text);
      const done = await agent.post('/2fa/verify').type('form').send({ code, _csrf: csrf });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/');
    },
  );
});
