import { renderRecoveryCodesPage } from '../../src/views/recovery-codes-page';
import { EN } from '../helpers/words';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { EVIL, EVIL_ESCAPED, expectSafePage, forms, only, tags, visibleText } from './helpers';

const CODES = ['4f7k-2m9q', 'x8c3-p1tz', 'h6w2-rb4n', 'q9d5-ke7s', 'm3v8-jy2a', 'z1g6-tc5w', 'b7n4-uf8r', 'k2s9-ex3m', 'r5h1-wd6p', 'y4q7-na2g'];

describe('renderRecoveryCodesPage', () => {
  const page = renderRecoveryCodesPage({ siteName: 'Acme Files', words: EN, codes: CODES, backHref: '/2fa/settings' });

  it('is a safe page without forms', () => {
    expectSafePage(page, '', STYLESHEET, STYLESHEET_HASH);
    expect(forms(page)).toHaveLength(0);
  });

  it('lists the ten codes in order, once each, in the monospace grid', () => {
    const list = /<ol class="recovery-codes"[^>]*>([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? '';
    expect(Array.from(list.matchAll(/<li>([^<]*)<\/li>/g), (m) => m[1])).toEqual(CODES);
    for (const code of CODES) expect(page.split(code)).toHaveLength(2);
    expect(only(tags(page, 'ol')).attrs.get('aria-label')).toBe(strings.recoveryCodesListLabel);
  });

  it('says how to keep them and that they are shown once', () => {
    expect(visibleText(page)).toContain('Save these somewhere safe. Each code works once. They won’t be shown again.');
  });

  it('has a Done link to backHref, and never a script URL', () => {
    const link = only(tags(page, 'a'));
    expect(link.attrs.get('href')).toBe('/2fa/settings');
    expect(page).toContain('>Done</a>');
    const evil = renderRecoveryCodesPage({ siteName: 'Acme', words: EN, codes: CODES, backHref: 'javascript:alert(1)' });
    expect(only(tags(evil, 'a')).attrs.get('href')).toBe('/');
  });

  it('escapes the codes and the site name', () => {
    const evil = renderRecoveryCodesPage({ siteName: EVIL, words: EN, codes: [EVIL], backHref: '/' });
    expect(evil).not.toMatch(/<script|<img/i);
    expect(evil).toContain(`<li>${EVIL_ESCAPED}</li>`);
    expectSafePage(evil, '', STYLESHEET, STYLESHEET_HASH);
  });
});

describe('recovery strings', () => {
  it('words the recovery messages', () => {
    expect(strings.recoverySummary).toBe('Use a recovery code instead');
    expect(strings.recoveryInvalid).toBe('That recovery code isn’t valid.');
    expect(strings.recoveryUsed(3)).toBe('You signed in with a recovery code. You have 3 left; generate new ones in settings.');
    expect(strings.recoveryUsed(0)).toBe('You signed in with a recovery code. You have no recovery codes left; generate new ones in settings.');
  });
});
