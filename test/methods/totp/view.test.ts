/**
 * The authenticator app's set-up page body, inside the library's layout, against the rules every page
 * follows (CSP, styled classes, labels, ids); the one exception, the QR code's inline <svg>, is
 * exactly what the qrcode package writes and nothing else gets through.
 */
import QRCode from 'qrcode';
import type { Json } from '../../../src/core/method';
import { groupKey, newSecret, otpauthUri } from '../../../src/methods/totp/method';
import { en as TOTP_STRINGS } from '../../../src/methods/totp/strings';
import { EN } from '../../helpers/words';

const SETUP_STRINGS = TOTP_STRINGS.setup;
import { totpView } from '../../../src/methods/totp/view';
import { renderLayout } from '../../../src/views/layout';
import { STYLESHEET, STYLESHEET_HASH } from '../../../src/views/styles';
import { allTags, EVIL, expectSafePage, forms, only, tags, visibleText, withoutStyle } from '../../views/helpers';

const CSRF = 'csrf-token-123';
const SECRET = newSecret();
let qrSvg = '';

beforeAll(async () => {
  qrSvg = await QRCode.toString(otpauthUri(SECRET, 'Acme', 'alice@example.com'), { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
});

function page(shown: Json, { disabled = false } = {}): string {
  const enrol = totpView.enrol;
  if (!enrol) throw new Error('the view has no enrol()');
  const body = enrol({
    csrfToken: CSRF,
    action: '/2fa/settings/totp',
    disabled,
    mountPath: '/2fa',
    shown,
    cancel: { action: '/2fa/settings/cancel', label: 'Cancel' },
    words: TOTP_STRINGS,
    page: EN,
  });
  return renderLayout({ title: 'Set up an authenticator app', siteName: 'Acme', body, lang: 'en' });
}

function setup(overrides: Record<string, Json> = {}): Json {
  return { qrSvg, key: groupKey(SECRET), replaces: false, ...overrides };
}

/** The page with the QR code's <svg> taken out, and that <svg>. */
function splitQr(markup: string): { rest: string; svg: string | undefined } {
  const match = /<svg\b[\s\S]*?<\/svg>/.exec(markup);
  return { rest: match ? markup.replace(match[0], '') : markup, svg: match?.[0] };
}

describe('the set-up page', () => {
  it('passes the CSP rules once its QR code is set aside, and the QR code is paths only', () => {
    const { rest, svg } = splitQr(page(setup()));
    expectSafePage(rest, CSRF, STYLESHEET, STYLESHEET_HASH);
    expect(svg).toBe(qrSvg.trim());
    const inside = allTags(svg ?? '').map((t) => t.name);
    expect(new Set(inside)).toEqual(new Set(['svg', 'path']));
    for (const tag of allTags(svg ?? ''))
      for (const attr of tag.attrs.keys()) expect(['xmlns', 'viewbox', 'shape-rendering', 'fill', 'stroke', 'd']).toContain(attr);
  });

  it('gives the QR code an accessible name (an image) and shows the key as text', () => {
    const markup = page(setup());
    const qr = only(tags(markup, 'div'), (t) => t.attrs.get('class') === 'qr');
    expect(qr.attrs.get('role')).toBe('img');
    expect(qr.attrs.get('aria-label')).toBe(SETUP_STRINGS.qrLabel);
    const key = only(tags(markup, 'p'), (t) => t.attrs.get('class') === 'secret-key');
    expect(key.attrs.get('translate')).toBe('no');
    expect(visibleText(markup)).toContain(`${SETUP_STRINGS.keyLabel} ${groupKey(SECRET)}`);
  });

  it('has one form posting the code and an optional name (at most 64 characters) with _csrf, and a cancel form', () => {
    const markup = page(setup());
    const all = forms(markup);
    expect(all.map((f) => only(tags(f, 'form')).attrs.get('action'))).toEqual(['/2fa/settings/totp', '/2fa/settings/cancel']);
    const [answer] = all;
    const code = only(tags(answer ?? '', 'input'), (t) => t.attrs.get('name') === 'code');
    expect(code.attrs.get('inputmode')).toBe('numeric');
    expect(code.attrs.has('required')).toBe(true);
    // Not focused: that would scroll the QR code out of sight on a phone.
    expect(code.attrs.has('autofocus')).toBe(false);
    const name = only(tags(answer ?? '', 'input'), (t) => t.attrs.get('name') === 'label');
    expect(name.attrs.get('maxlength')).toBe('64');
    expect(name.attrs.has('required')).toBe(false);
    expect(visibleText(markup)).toContain('Cancel');
  });

  it('uses only styled classes, unique ids, references that resolve, a label for every field', () => {
    const body = withoutStyle(page(setup({ replaces: true })));
    const all = allTags(body);
    const ids = all.map((t) => t.attrs.get('id')).filter((id): id is string => id !== undefined);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of all) {
      for (const name of (t.attrs.get('class') ?? '').split(/\s+/).filter(Boolean))
        expect(STYLESHEET).toMatch(new RegExp(`\\.${name}(?![-\\w])`));
      for (const ref of [t.attrs.get('for'), t.attrs.get('aria-describedby'), t.attrs.get('aria-labelledby')].flatMap((v) =>
        (v ?? '').split(/\s+/).filter(Boolean),
      ))
        expect(ids).toContain(ref);
    }
    for (const input of all.filter((t) => t.name === 'input' && t.attrs.get('type') !== 'hidden')) {
      expect(all.some((t) => t.name === 'label' && t.attrs.get('for') === input.attrs.get('id'))).toBe(true);
    }
  });

  it('says when it replaces the authenticator app set up before, and only then', () => {
    expect(visibleText(page(setup({ replaces: true })))).toContain(SETUP_STRINGS.replaces);
    expect(visibleText(page(setup()))).not.toContain(SETUP_STRINGS.replaces);
  });

  it('while locked out: the fields and the button are disabled, cancel is not', () => {
    const markup = page(setup(), { disabled: true });
    const [answer, cancel] = forms(markup);
    for (const t of [...tags(answer ?? '', 'input'), ...tags(answer ?? '', 'button')].filter((t) => t.attrs.get('type') !== 'hidden'))
      expect(t.attrs.has('disabled')).toBe(true);
    expect(only(tags(cancel ?? '', 'button')).attrs.has('disabled')).toBe(false);
  });
});

describe('anything but a set-up made by the method', () => {
  const injected = [
    ['a script in the svg', qrSvgWith('<script>alert(1)</script>')],
    ['an svg with an event handler', () => qrSvg.replace('<svg ', '<svg onload="alert(1)" ')],
    ['a foreignObject', qrSvgWith('<foreignObject><img src=x onerror=alert(1)></foreignObject>')],
    ['a path with a style', () => qrSvg.replace('<path ', '<path style="x" ')],
    ['an image in the path data', () => qrSvg.replace(/d="M0 0/, 'd="M0 0"/><image href="x')],
    ['plain markup', () => EVIL],
  ] as const;

  it.each(injected)('%s: nothing of it is written unescaped; the page says the set-up expired', (_what, make) => {
    const markup = page(setup({ qrSvg: make() }));
    expect(markup).not.toMatch(/<svg|<script|<img|<image|<foreignObject|onload|onerror/i);
    expect(visibleText(markup)).toContain(SETUP_STRINGS.expired);
    expect(forms(markup)).toHaveLength(1);
  });

  it.each([
    ['null (present found no set-up)', null],
    ['a string', 'x'],
    ['an array', [qrSvg]],
    ['a key that is not base32', { qrSvg: '', key: EVIL, replaces: false }],
    ['no key', { qrSvg: '', replaces: false }],
  ] as [string, Json][])('%s: the page says the set-up expired and offers only Cancel', (_what, shown) => {
    const markup = page(shown === null || typeof shown !== 'object' || Array.isArray(shown) ? shown : { ...shown, qrSvg });
    expect(visibleText(markup)).toContain(SETUP_STRINGS.expired);
    expect(markup).not.toMatch(/<svg|<script/i);
    expect(forms(markup)).toHaveLength(1);
    expectSafePage(markup, CSRF, STYLESHEET, STYLESHEET_HASH);
  });
});

function qrSvgWith(inner: string): () => string {
  return () => qrSvg.replace('</svg>', `${inner}</svg>`);
}
