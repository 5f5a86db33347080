/**
 * Checks every page of the library against the same rules, with typical models: the CSP ones
 * (expectSafePage), every class it uses styled by STYLESHEET, unique ids, and every id reference
 * (label for, aria-describedby, aria-labelledby) pointing at an element of the page.
 */
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { allTags, expectSafePage, withoutStyle } from './helpers';
import { CSRF, libraryPages, LOCALES, LOGO } from './page-catalogue';

/** The set-up page's QR code is the one inline <svg>, checked by the authenticator app's view test. */
const withoutQrCode = (page: string) => page.replace(/<svg\b[\s\S]*?<\/svg>/, '');

const PAGES = Object.fromEntries(
  LOCALES.flatMap((locale) => Object.entries(libraryPages(locale)).map(([name, page]) => [`${locale}, ${name}`, page])),
);

describe.each(Object.entries(PAGES))('%s', (_name, page) => {
  const body = withoutStyle(page);
  const tags = allTags(body);
  const ids = tags.map((t) => t.attrs.get('id')).filter((id): id is string => id !== undefined);

  it('passes the CSP rules', () => {
    expectSafePage(withoutQrCode(page), CSRF, STYLESHEET, STYLESHEET_HASH, { logoSrc: LOGO.src });
  });

  it('uses only classes the stylesheet styles', () => {
    const classes = new Set(tags.flatMap((t) => (t.attrs.get('class') ?? '').split(/\s+/).filter(Boolean)));
    for (const name of classes) expect(STYLESHEET).toMatch(new RegExp(`\\.${name}(?![-\\w])`));
  });

  it('has unique ids, and every reference points at one', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of tags) {
      const refs = [t.attrs.get('for'), t.attrs.get('aria-describedby'), t.attrs.get('aria-labelledby')].flatMap((v) =>
        (v ?? '').split(/\s+/).filter(Boolean),
      );
      for (const ref of refs) expect(ids).toContain(ref);
    }
  });

  it('labels every visible form control', () => {
    for (const input of tags.filter((t) => t.name === 'input' && t.attrs.get('type') !== 'hidden')) {
      const id = input.attrs.get('id');
      expect(id).toBeDefined();
      expect(tags.some((t) => t.name === 'label' && t.attrs.get('for') === id)).toBe(true);
    }
  });
});

describe('the checks themselves', () => {
  const good = PAGES['en, verify: a code by email'] ?? '';
  it.each([
    ['a style attribute', good.replace('<h1>', '<h1 style="color:red">')],
    ['an inline handler', good.replace('<h1>', '<h1 onclick="x()">')],
    ['a script', good.replace('</main>', '<script>x()</script></main>')],
    ['a script from elsewhere', good.replace('</main>', '<script src="https://cdn.example/x.js" defer></script></main>')],
    ['a script by src with code in it', good.replace('</main>', '<script src="/2fa/assets/x.js" defer>x()</script></main>')],
    ['an image but the logo', good.replace('</main>', '<img alt="" src="data:,">x</main>')],
    ['a second style element', good.replace('</main>', '<style>p{}</style></main>')],
    ['a form without _csrf', good.replace('</main>', '<form method="post" action="/x"><button>x</button></form></main>')],
    ['a GET form', good.replace('</main>', `<form action="/x"><input type="hidden" name="_csrf" value="${CSRF}"></form></main>`)],
  ])('reject %s', (_what, bad) => {
    expect(() => expectSafePage(bad, CSRF, STYLESHEET, STYLESHEET_HASH)).toThrow();
  });
});
