/**
 * The `logo` option: a logo in the header of every page of the library, from a path on the site or
 * an https URL, and the pages' CSP allows images from exactly that origin. A `src` that would widen
 * the CSP (another directive smuggled into the origin, a wildcard, plain http) is refused at start-up.
 */
import request from 'supertest';
import { ConfigurationError, deviceTwoFactor, type DeviceTwoFactorOptions } from '../../src';
import { parseOptions } from '../../src/options';
import { renderLayout } from '../../src/views/layout';
import { html } from '../../src/views/html';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { EVIL, EVIL_ESCAPED, expectSafePage, only, tags } from '../views/helpers';
import { createTestApp, EXPRESS_VERSIONS, TEST_SECRET } from '../helpers/test-app';

const users = { find: async () => ({ id: 'u1', email: 'u1@example.test' }) };
const email = { transport: 'smtp://127.0.0.1:9', from: 'security@example.test' };
const base: DeviceTwoFactorOptions = { secret: TEST_SECRET, users, email };

describe('the option', () => {
  test.each([
    ['a path on the site', { src: '/static/logo.svg', alt: 'Acme' }, { src: '/static/logo.svg', alt: 'Acme', imgSource: "'self'" }],
    [
      'a path, resolved as a browser does',
      { src: '/static/./img/../logo.svg', alt: '' },
      { src: '/static/logo.svg', alt: '', imgSource: "'self'" },
    ],
    [
      'an https URL',
      { src: 'https://cdn.example.com/brand/logo.png?v=2', alt: 'Acme', width: 160, height: 40 },
      { src: 'https://cdn.example.com/brand/logo.png?v=2', alt: 'Acme', width: 160, height: 40, imgSource: 'https://cdn.example.com' },
    ],
    [
      'an https URL with a port',
      { src: 'https://cdn.example.com:8443/logo.svg', alt: 'Acme' },
      { src: 'https://cdn.example.com:8443/logo.svg', alt: 'Acme', imgSource: 'https://cdn.example.com:8443' },
    ],
    [
      'an international domain',
      { src: 'https://münchen.example/logo.svg', alt: 'M' },
      { src: 'https://xn--mnchen-3ya.example/logo.svg', alt: 'M', imgSource: 'https://xn--mnchen-3ya.example' },
    ],
  ])('%s', (_label, logo, resolved) => {
    expect(parseOptions({ ...base, logo }).logo).toEqual(resolved);
  });

  test('absent: no logo, and the CSP allows data: images only', async () => {
    expect(parseOptions(base).logo).toBeUndefined();
  });

  test.each([
    ['not an object', '/logo.svg', /`logo` must be `\{ src, alt, width\?, height\? \}`/],
    ['a typo', { src: '/logo.svg', alt: 'A', widht: 10 }, /Unknown option `logo.widht`. Did you mean `logo.width`\?/],
    ['no alt', { src: '/logo.svg' }, /`logo.alt` must be a string/],
    ['plain http', { src: 'http://cdn.example.com/logo.svg', alt: 'A' }, /`logo.src` must be an https URL/],
    ['a protocol-relative URL', { src: '//cdn.example.com/logo.svg', alt: 'A' }, /`logo.src` must be an https URL/],
    ['a relative path', { src: 'logo.svg', alt: 'A' }, /`logo.src`/],
    ['a data: URL', { src: 'data:image/svg+xml,<svg/>', alt: 'A' }, /`logo.src`/],
    ['a javascript: URL', { src: 'javascript:alert(1)', alt: 'A' }, /`logo.src`/],
    ['credentials in the URL', { src: 'https://user:pw@cdn.example.com/logo.svg', alt: 'A' }, /`logo.src`/],
    // Each would put more than one origin into the CSP's img-src, or another directive after it.
    ['another directive smuggled into the host', { src: 'https://cdn.example.com;script-src/logo.svg', alt: 'A' }, /`logo.src`/],
    ['a second source smuggled into the host', { src: "https://cdn.example.com,'unsafe-inline'/x", alt: 'A' }, /`logo.src`/],
    ['a wildcard host', { src: 'https://*.example.com/logo.svg', alt: 'A' }, /`logo.src`/],
    ['a quote in the host', { src: "https://cdn.example.com'/logo.svg", alt: 'A' }, /`logo.src`/],
    ['a zero width', { src: '/logo.svg', alt: 'A', width: 0 }, /`logo.width` must be a whole number of CSS pixels/],
    ['a height as a string', { src: '/logo.svg', alt: 'A', height: '40' }, /`logo.height` must be a whole number/],
  ])('refused: %s', (_label, logo, message) => {
    const build = () => deviceTwoFactor({ ...base, logo } as DeviceTwoFactorOptions);
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(message);
  });
});

describe('the page template', () => {
  const page = (logo?: Parameters<typeof renderLayout>[0]['logo']) =>
    renderLayout({ title: 'T', siteName: 'Acme', body: html`<h1>T</h1>`, lang: 'en', logo });

  test('puts the logo above the site’s name in the header, with its size', () => {
    const out = page({ src: '/static/logo.svg', alt: 'Acme logo', width: 160, height: 40 });
    expect(out).toContain(
      '<header class="site"><img class="site-logo" src="/static/logo.svg" alt="Acme logo" width="160" height="40">Acme</header>',
    );
    expectSafePage(out, '', STYLESHEET, STYLESHEET_HASH, { logoSrc: '/static/logo.svg' });
  });

  test('an empty alt stays (a decorative image), no size is no attribute, and without a logo there is no image', () => {
    expect(only(tags(page({ src: '/l.svg', alt: '' }), 'img')).source).toBe('<img class="site-logo" src="/l.svg" alt="">');
    expect(tags(page(), 'img')).toEqual([]);
  });

  test('escapes what it is given', () => {
    const out = page({ src: `/l.svg?${EVIL}`, alt: EVIL });
    expect(out).toContain(`alt="${EVIL_ESCAPED}"`);
    expect(tags(out, 'img')).toHaveLength(1);
    expect(out).not.toMatch(/<script/);
  });
});

describe.each(EXPRESS_VERSIONS)('on %s', (_name, express) => {
  const pathLogo = createTestApp({ express, smtpUrl: 'smtp://127.0.0.1:9', options: { logo: { src: '/static/logo.svg', alt: '' } } }).app;
  const cdnLogo = createTestApp({
    express,
    smtpUrl: 'smtp://127.0.0.1:9',
    options: { logo: { src: 'https://cdn.example.com/logo.svg', alt: 'Test Site' } },
  }).app;
  const noLogo = createTestApp({ express, smtpUrl: 'smtp://127.0.0.1:9' }).app;
  const imgSrc = (csp: string | undefined) => /(?:^|;)\s*img-src ([^;]*)/.exec(csp ?? '')?.[1];

  test('every page carries it and its CSP allows images from exactly its origin', async () => {
    for (const path of ['/2fa/nope', '/2fa/settings/x']) {
      const res = await request(cdnLogo).get(path);
      expect(res.text).toContain('<img class="site-logo" src="https://cdn.example.com/logo.svg" alt="Test Site">');
      expect(imgSrc(res.headers['content-security-policy'])).toBe('data: https://cdn.example.com');
    }
    const own = await request(pathLogo).get('/2fa/nope');
    expect(own.text).toContain('<img class="site-logo" src="/static/logo.svg" alt="">');
    expect(imgSrc(own.headers['content-security-policy'])).toBe("data: 'self'");
    const none = await request(noLogo).get('/2fa/nope');
    expect(none.text).not.toContain('<img');
    expect(imgSrc(none.headers['content-security-policy'])).toBe('data:');
  });
});
