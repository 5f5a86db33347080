import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { EN } from '../helpers/words';
import { renderLayout } from '../../src/views/layout';
import { html } from '../../src/views/html';
import { renderMessagePage, safeHref } from '../../src/views/message-page';
import { renderOutboxPage } from '../../src/views/outbox-page';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { EVIL, sha256Source, styleContents, tags, visibleText } from './helpers';

describe('STYLESHEET', () => {
  it('hashes to STYLESHEET_HASH', () => {
    expect(sha256Source(STYLESHEET)).toBe(STYLESHEET_HASH);
  });

  it('survives HTML parsing unchanged: ASCII only, no CR, no "</", no backslash', () => {
    expect(STYLESHEET).toMatch(/^[\x20-\x7e\n]*$/);
    expect(STYLESHEET).not.toContain('</');
    expect(STYLESHEET).not.toContain('\\');
  });

  it('loads nothing from outside and covers dark mode, small screens and focus', () => {
    expect(STYLESHEET).not.toMatch(/@import|url\(/i);
    expect(STYLESHEET).toContain('@media (prefers-color-scheme: dark)');
    expect(STYLESHEET).toMatch(/@media \(max-width: \d+px\)/);
    expect(STYLESHEET).toMatch(/:focus-visible \{ outline: 3px solid/);
  });
});

describe('renderLayout', () => {
  it('escapes title, site name and lang, and embeds the body', () => {
    const page = renderLayout({ title: EVIL, siteName: EVIL, lang: EVIL, body: html`<p>${EVIL}</p>` });
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('<html lang="&quot;&#39;&gt;&lt;script&gt;');
    expect(styleContents(page)).toEqual([STYLESHEET]);
  });

  it('is narrow by default, and medium or wide on request (wide: true still works)', () => {
    const narrow = renderLayout({ title: 't', siteName: 's', lang: 'en', body: html`` });
    expect(narrow).toContain('<header class="site">s</header>\n<main>');
    expect(renderLayout({ title: 't', siteName: 's', lang: 'en', body: html``, width: 'medium' })).toContain(
      '<header class="site medium">s</header>\n<main class="medium">',
    );
    expect(renderLayout({ title: 't', siteName: 's', lang: 'en', body: html``, wide: true })).toContain(
      '<header class="site wide">s</header>\n<main class="wide">',
    );
  });

  it('uses the given language', () => {
    expect(renderLayout({ title: 't', siteName: 's', body: html``, lang: 'fr' })).toContain('<html lang="fr">');
  });
});

describe('renderMessagePage', () => {
  it('renders the 503 page', () => {
    const page = renderMessagePage({ siteName: 'Acme', words: EN, title: strings.unavailableTitle, text: strings.unavailable });
    expect(visibleText(page)).toContain('We can’t verify codes right now. Please try again in a few minutes.');
    expect(page).toContain(`<h1>${strings.unavailableTitle}</h1>`);
    expect(tags(page, 'a')).toHaveLength(0);
    expect(page).not.toMatch(/<script/i);
    expect(styleContents(page)).toEqual([STYLESHEET]);
  });

  it('renders an optional link', () => {
    const page = renderMessagePage({
      siteName: 'Acme',
      words: EN,
      title: 't',
      text: strings.sessionExpired,
      link: { href: '/login?x=1&y=2', label: strings.signInAgain },
    });
    const [a] = tags(page, 'a');
    expect(a?.attrs.get('href')).toBe('/login?x=1&amp;y=2');
    expect(page).toContain('>Sign in again</a>');
  });

  it('escapes every field', () => {
    const page = renderMessagePage({ siteName: EVIL, words: EN, title: EVIL, text: EVIL, link: { href: `/x${EVIL}`, label: EVIL } });
    expect(page).not.toMatch(/<script|<img/i);
    expect(tags(page, 'a')[0]?.attrs.get('href')).toBe(
      '/x&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it.each([
    ['javascript:alert(1)', '/'],
    [' JavaScript:alert(1)', '/'],
    ['data:text/html,x', '/'],
    ['//evil.test/', '/'],
    ['/\\evil.test', '/'],
    ['/login', '/login'],
    ['https://acme.test/help', 'https://acme.test/help'],
  ])('safeHref(%j) → %j', (input, expected) => {
    expect(safeHref(input)).toBe(expected);
  });
});

describe('strings', () => {
  it('names the methods', () => {
    expect([CHANNEL_STRINGS.email.name, CHANNEL_STRINGS.sms.name, CHANNEL_STRINGS.voice.name]).toEqual([
      'email',
      'text message',
      'phone call',
    ]);
  });

  it('words the parametrised messages', () => {
    expect(CHANNEL_STRINGS.email.intro('a•••e@acme.test')).toBe('We sent a 6-digit code to a•••e@acme.test.');
    expect(strings.lockedFor(1)).toBe('Too many failed attempts. Try again in 1 minute.');
    expect(strings.lockedFor(14.2)).toBe('Too many failed attempts. Try again in 15 minutes.');
    expect(strings.resendIn(30)).toBe('Please wait 30 seconds before asking for another code.');
    expect(strings.resendIn(1)).toBe('Please wait 1 second before asking for another code.');
    expect(strings.attemptsLeft(1)).toBe('You have 1 try left.');
    expect(strings.attemptsLeft(4)).toBe('You have 4 tries left.');
    expect(strings.wrongCode(0)).toBe('That code isn’t right. You have no tries left for this code.');
    expect(strings.formExpired).toBe('This form has expired. Reload the page and try again.');
    expect(strings.unavailable).toBe('We can’t verify codes right now. Please try again in a few minutes.');
  });
});

describe('renderOutboxPage', () => {
  const messages = [
    { at: Date.UTC(2024, 0, 1, 10, 0, 0), method: 'email' as const, to: 'alice@acme.test', code: '111111', purpose: 'sign-in' },
    { at: Date.UTC(2024, 0, 1, 10, 5, 0), method: 'sms' as const, to: '+15005550006', code: '222222', purpose: 'enroll-phone' },
    { at: Date.UTC(2024, 0, 1, 10, 2, 0), method: 'voice' as const, to: EVIL, code: '333333', purpose: EVIL },
  ];
  const page = renderOutboxPage({ siteName: 'Acme', words: EN, messages });

  it('shows the development banner', () => {
    expect(visibleText(page)).toContain('Development outbox — never enabled in production');
  });

  it('lists the codes newest first, unmasked', () => {
    const order = ['222222', '333333', '111111'].map((c) => page.indexOf(c));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(page).toContain('+15005550006');
    expect(page).toContain('<time datetime="2024-01-01T10:05:00.000Z">2024-01-01 10:05:00 UTC</time>');
    expect(page).toContain('<td>text message</td>');
  });

  it('escapes destinations and purposes, and has no script', () => {
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('&lt;script&gt;');
    expect(styleContents(page)).toEqual([STYLESHEET]);
  });

  it('does not reorder the caller’s array', () => {
    expect(messages.map((m) => m.code)).toEqual(['111111', '222222', '333333']);
  });

  it('says so when there is nothing yet', () => {
    const empty = renderOutboxPage({ siteName: 'Acme', words: EN, messages: [] });
    expect(empty).toContain(strings.outboxEmpty);
    expect(empty).not.toContain('<table');
  });
});
