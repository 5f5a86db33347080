import { recoveryCodesFileName, recoveryCodesText, renderRecoveryCodesPage } from '../../src/views/recovery-codes-page';
import { EN } from '../helpers/words';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { EVIL, EVIL_ESCAPED, expectSafePage, forms, only, tags, visibleText } from './helpers';

const CODES = [
  '4f7k-2m9q',
  'x8c3-p1tz',
  'h6w2-rb4n',
  'q9d5-ke7s',
  'm3v8-jy2a',
  'z1g6-tc5w',
  'b7n4-uf8r',
  'k2s9-ex3m',
  'r5h1-wd6p',
  'y4q7-na2g',
];
const model = { siteName: 'Acme Files', words: EN, mountPath: '/2fa', codes: CODES, backHref: '/2fa/settings' };

/** What a data: URL holds, from its attribute as written (HTML-escaped, as a browser reads it). */
function dataUrlText(attribute: string): string {
  const href = attribute
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  expect(href.startsWith('data:text/plain;charset=utf-8,')).toBe(true);
  return decodeURIComponent(href.slice(href.indexOf(',') + 1));
}

describe('renderRecoveryCodesPage', () => {
  const page = renderRecoveryCodesPage(model);

  it('is a safe page without forms; its one script comes by src from the library’s assets', () => {
    expectSafePage(page, '', STYLESHEET, STYLESHEET_HASH);
    expect(forms(page)).toHaveLength(0);
    expect(page.match(/<script[^>]*>/g)).toEqual(['<script src="/2fa/assets/recovery-codes.js" defer>']);
  });

  it('lists the ten codes in order, in the monospace grid; the download holds them too, and nothing else does', () => {
    const list = /<ol class="recovery-codes"[^>]*>([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? '';
    expect(Array.from(list.matchAll(/<li>([^<]*)<\/li>/g), (m) => m[1])).toEqual(CODES);
    // Once in the list, once (percent-encoded, so as written the same) in the download link.
    for (const code of CODES) expect(page.split(code)).toHaveLength(3);
    expect(only(tags(page, 'ol')).attrs.get('aria-label')).toBe(strings.recoveryCodesListLabel);
  });

  it('says how to keep them and that they are shown once', () => {
    expect(visibleText(page)).toContain('Save these somewhere safe. Each code works once. They won’t be shown again.');
  });

  it('downloads, without script, a text file of exactly the codes, one a line, named after the site', () => {
    const link = only(tags(page, 'a'), (t) => t.attrs.has('download'));
    expect(link.attrs.get('download')).toBe('acme-files-recovery-codes.txt');
    expect(dataUrlText(link.attrs.get('href') ?? '')).toBe(`${CODES.join('\n')}\n`);
    expect(recoveryCodesText(CODES)).toBe(`${CODES.join('\n')}\n`);
    expect(page).toContain(`>${strings.recoveryCodesDownload}</a>`);
  });

  it('has Copy and Print buttons hidden until the script runs, and an empty status line carrying its words', () => {
    const buttons = tags(page, 'button');
    expect(buttons.map((b) => [b.attrs.get('type'), b.attrs.has('hidden')])).toEqual([
      ['button', true],
      ['button', true],
    ]);
    expect(page).toContain(`data-recovery-copy hidden>${strings.recoveryCodesCopy}</button>`);
    expect(page).toContain(`data-recovery-print hidden>${strings.recoveryCodesPrint}</button>`);
    const status = only(tags(page, 'p'), (t) => t.attrs.get('role') === 'status');
    expect(status.attrs.get('data-copied')).toBe(strings.recoveryCodesCopied);
    expect(status.attrs.get('data-copy-failed')).toBe(strings.recoveryCodesCopyFailed);
    expect(page).toContain('data-copy-failed="The codes couldn’t be copied. Select them and copy them yourself, or download them."></p>');
  });

  it('has a Done link to backHref, and never a script URL', () => {
    const link = only(tags(page, 'a'), (t) => t.attrs.get('class') === 'btn-primary');
    expect(link.attrs.get('href')).toBe('/2fa/settings');
    expect(page).toContain('>Done</a>');
    const evil = renderRecoveryCodesPage({ ...model, backHref: 'javascript:alert(1)' });
    expect(only(tags(evil, 'a'), (t) => t.attrs.get('class') === 'btn-primary').attrs.get('href')).toBe('/');
  });

  it('escapes the codes and the site name, in the list, the file name and the download', () => {
    const evil = renderRecoveryCodesPage({ siteName: EVIL, words: EN, mountPath: '/2fa', codes: [EVIL], backHref: '/' });
    expect(evil).not.toMatch(/<img/i);
    expect(evil).toContain(`<li>${EVIL_ESCAPED}</li>`);
    const link = only(tags(evil, 'a'), (t) => t.attrs.has('download'));
    expect(link.attrs.get('download')).toBe('script-alert-1-script-img-src-x-onerror-alert-2-recovery-codes.txt');
    expect(dataUrlText(link.attrs.get('href') ?? '')).toBe(`${EVIL}\n`);
    expectSafePage(evil, '', STYLESHEET, STYLESHEET_HASH);
  });
});

describe('recoveryCodesFileName', () => {
  it.each([
    ['Acme', 'acme-recovery-codes.txt'],
    ['Müller & Söhne GmbH', 'muller-sohne-gmbh-recovery-codes.txt'],
    ['  ACME.io  ', 'acme-io-recovery-codes.txt'],
    ['東京', 'recovery-codes.txt'],
    ['a'.repeat(100), `${'a'.repeat(48)}-recovery-codes.txt`],
    ['../../etc/passwd', 'etc-passwd-recovery-codes.txt'],
  ])('%s → %s', (siteName, name) => {
    expect(recoveryCodesFileName(siteName)).toBe(name);
  });
});

describe('recovery strings', () => {
  it('words the recovery messages', () => {
    expect(strings.recoverySummary).toBe('Use a recovery code instead');
    expect(strings.recoveryInvalid).toBe('That recovery code isn’t valid.');
    expect(strings.recoveryUsed(3)).toBe('You signed in with a recovery code. You have 3 left; generate new ones in settings.');
    expect(strings.recoveryUsed(0)).toBe(
      'You signed in with a recovery code. You have no recovery codes left; generate new ones in settings.',
    );
  });
});
