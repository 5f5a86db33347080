/**
 * Every table complete in every shipped language, and every page and message rendered from the
 * views' models in each: the page says its language, no key of it is missing or empty, and no
 * English shows on a German or Spanish page (beyond the names both languages use, listed here).
 */
import type { DeliveryMethod } from '../../src/types';
import type { SecurityNotice } from '../../src/core/notices';
import { renderCodeTwiml } from '../../src/channels/voice-channel';
import { passkeyView } from '../../src/methods/passkey/view';
import { groupKey, newSecret } from '../../src/methods/totp/method';
import { totpView } from '../../src/methods/totp/view';
import { METHODS } from '../../src/methods/registry';
import { SHIPPED_STRINGS } from '../../src/views/catalog';
import { renderCodeEmail, renderCodeSms, renderCodeSpeech } from '../../src/views/code-email';
import { renderCodePage } from '../../src/views/code-page';
import { renderNotice } from '../../src/views/components';
import { html } from '../../src/views/html';
import { renderLayout } from '../../src/views/layout';
import { renderMessagePage } from '../../src/views/message-page';
import type { MethodWords } from '../../src/views/method-view';
import { renderSecurityNotice } from '../../src/views/notice-email';
import { renderOutboxPage } from '../../src/views/outbox-page';
import { renderPhoneEntryPage } from '../../src/views/phone-page';
import { renderRecoveryCodesPage } from '../../src/views/recovery-codes-page';
import { renderSettingsPage } from '../../src/views/settings-page';
import type { Strings } from '../../src/views/strings';
import { renderVerifyPage, type MethodDisplay } from '../../src/views/verify-page';
import type { Words } from '../../src/views/words';
import { allSentences, allShapes, englishIn, GSM_7, sameAsEnglish } from '../helpers/languages';
import { wordsOf } from '../helpers/words';
import { visibleText } from './helpers';

const LANGUAGES = ['en', 'de', 'es'] as const;
const NOW = Date.UTC(2026, 10, 23, 18, 5);
const CSRF = 'csrf-token-123';
const SITE = 'Acme';

describe('the tables', () => {
  const english = allSentences('en');

  it.each(['de', 'es'])('%s has every key English has, of the same kind (every method’s too), and no empty sentence', (lang) => {
    expect([...allShapes(lang)]).toEqual([...allShapes('en')]);
    const table = allSentences(lang);
    expect([...table].filter(([, text]) => text.trim() === '').map(([path]) => path)).toEqual([]);
    // Every function says something for the arguments it takes (English tells which).
    const functions = (map: Map<string, string>) =>
      new Set([...map.keys()].filter((path) => path.includes('(')).map((path) => path.slice(0, path.indexOf('('))));
    expect(functions(table)).toEqual(functions(english));
  });

  it('the same text as English only where both languages use the word: names, “Browser”, “Code”, “Error:”', () => {
    expect(sameAsEnglish('de')).toEqual([
      'noticeBrowser',
      'noticeName',
      'outboxColumns.code',
      'methods.totp.setup.nameLabel',
      'methods.passkey.label',
      'methods.passkey.enrolment.heading',
      'methods.passkey.enrolment.defaultLabel',
    ]);
    expect(sameAsEnglish('es')).toEqual(['noticePrefix.error']);
  });

  it.each(LANGUAGES)('%s counts by its plural rules, not by "n === 1"', (lang) => {
    const { t } = wordsOf(lang);
    const one = t.trustLabel(1);
    const many = t.trustLabel(30);
    expect(one).not.toBe(many.replace('30', '1'));
    expect(
      { en: 'Trust this browser for 1 day', de: 'Diesem Browser 1 Tag lang vertrauen', es: 'Confiar en este navegador durante 1 día' }[
        lang
      ],
    ).toBe(one);
  });

  it('Spanish and German plurals follow Intl.PluralRules (Spanish "many" falls back to the plural)', () => {
    expect(wordsOf('es').t.recoveryLeft(1_000_000)).toBe('Tiene 1000000 códigos de recuperación sin usar.');
    expect(wordsOf('es').t.attemptsLeft(1)).toBe('Le queda 1 intento.');
    expect(wordsOf('de').t.sessionsEnded(1)).toBe('1 andere Sitzung wurde abgemeldet.');
    expect(wordsOf('de').t.sessionsEnded(3)).toBe('3 andere Sitzungen wurden abgemeldet.');
  });
});

/** A method as the pages show it, in a language. */
function shown(words: Words, id: string): MethodDisplay {
  const strings = words.method(id) as MethodWords;
  return { id, strings, resendable: ['email', 'sms', 'voice'].includes(id) };
}

/** Every page of the library, from the views' models, in one language; the words passed in come from the same tables, as the flow passes them. */
function pagesIn(words: Words): Record<string, string> {
  const { t } = words;
  const method = (id: string) => words.method(id) as MethodWords;
  const verify = {
    siteName: SITE,
    words,
    mountPath: '/2fa',
    csrfToken: CSRF,
    method: shown(words, 'email'),
    maskedDestination: 'a•••e@acme.test',
    offerTrust: true,
    trustChecked: true,
    trustDays: 30,
    otherMethods: ['sms', 'voice', 'totp', 'passkey'].map((id) => shown(words, id)),
    codeDisabled: false,
    recoveryAction: '/2fa/recovery',
  };
  const passkeyWords = words.method('passkey') as Parameters<NonNullable<typeof passkeyView.prompt>>[0]['words'];
  const totpWords = words.method('totp') as Parameters<NonNullable<typeof totpView.enrol>>[0]['words'];
  const form = { csrfToken: CSRF, action: '/2fa/settings/enrol', disabled: false, mountPath: '/2fa', page: words };
  const enrolPage = (id: string, body: ReturnType<typeof html>, notice?: string) =>
    renderLayout({
      title: method(id).enrolment?.heading ?? '',
      siteName: SITE,
      lang: words.lang,
      body: html`<h1>${method(id).enrolment?.heading}</h1>
${renderNotice(notice === undefined ? undefined : { kind: 'error', text: notice }, t)}
${body}`,
    });
  const cancel = { action: '/2fa/settings/cancel', label: t.cancel };
  const message = (title: string, text: string, link?: { href: string; label: string }) =>
    renderMessagePage({ siteName: SITE, words, title, text, ...(link ? { link } : {}) });
  const settings = {
    siteName: SITE,
    words,
    mountPath: '/2fa',
    csrfToken: CSRF,
    notice: { kind: 'info' as const, text: method('sms').chosen },
    backHref: '/',
    email: 'a•••e@acme.test',
    required: true,
    enabled: true,
    emailCodes: false,
    blockClients: true,
    clientsBlockedByAccount: false,
    enforcedByAccount: false,
    method: 'sms',
    methods: (['email', 'sms', 'voice', 'totp', 'passkey'] as const).map((id, i) => ({
      id,
      label: method(id).label,
      usable: i < 3,
      hint: i < 3 ? '•••• 0006' : method(id).unavailable,
    })),
    enrolments: (['totp', 'passkey'] as const).map((id) => ({
      method: id,
      strings: method(id).enrolment!,
      credentials: [
        { id: `${id}-1`, label: '', createdAt: NOW, lastUsedAt: null },
        { id: `${id}-2`, label: 'Pixel', createdAt: NOW, lastUsedAt: NOW },
      ],
    })),
    phone: '•••• 0006',
    devices: [
      { id: 'd1', label: 'Chrome 131', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: true, placeHint: '203.0.113.x' },
      { id: 'd2', label: 'Firefox 133', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: false },
      { id: 'd3', label: '', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: false },
    ],
    recoveryCodesLeft: 4,
    sessions: [
      { id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131', current: true },
      { id: 'h2', signedInAt: NOW, lastActiveAt: NOW, label: 'Firefox 133', placeHint: '203.0.113.x', current: false },
    ],
  };
  const setup = {
    qrSvg:
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 29 29" shape-rendering="crispEdges"><path fill="#ffffff" d="M0 0h29v29H0z"/></svg>',
    key: groupKey(newSecret()),
    replaces: true,
  };
  return {
    verify: renderVerifyPage(verify),
    'verify, wrong code': renderVerifyPage({ ...verify, notice: { kind: 'error', text: t.wrongCode(3) } }),
    'verify, locked': renderVerifyPage({ ...verify, codeDisabled: true, notice: { kind: 'error', text: t.lockedFor(15) } }),
    'verify, recovery code refused': renderVerifyPage({
      ...verify,
      recoveryOpen: true,
      notice: { kind: 'error', text: t.recoveryInvalid },
    }),
    'verify, proof before a first phone': renderVerifyPage({ ...verify, intro: t.proofIntro('a•••e@acme.test'), offerTrust: false }),
    'verify, a new code': renderVerifyPage({
      ...verify,
      method: shown(words, 'voice'),
      maskedDestination: '•••• 0006',
      notice: { kind: 'info', text: method('voice').newCodeSent ?? '' },
    }),
    'verify, authenticator app': renderVerifyPage({ ...verify, method: shown(words, 'totp'), maskedDestination: SITE }),
    'verify, passkey': renderVerifyPage({
      ...verify,
      method: shown(words, 'passkey'),
      maskedDestination: '',
      answer: passkeyView.prompt!({
        ...form,
        words: passkeyWords,
        action: '/2fa/verify',
        disabled: true,
        state: { options: { challenge: 'abc' } },
      }),
    }),
    're-authentication': renderCodePage({
      siteName: SITE,
      words,
      csrfToken: CSRF,
      title: t.verifyTitle,
      heading: method('sms').heading,
      intro: method('sms').reauthIntro('•••• 0006'),
      introStrong: '•••• 0006',
      verifyAction: '/2fa/settings/verify',
      offerTrust: false,
      offerEndOthers: true,
      trustChecked: false,
      trustDays: 30,
      codeDisabled: false,
      actions: [
        {
          actions: [
            { action: '/2fa/settings/resend', label: t.resendButton },
            { action: '/2fa/settings/resend', label: method('email').switchTo },
            { action: '/2fa/settings/cancel', label: t.cancel },
          ],
        },
      ],
    }),
    'phone code at sign-in': renderCodePage({
      siteName: SITE,
      words,
      csrfToken: CSRF,
      title: t.verifyTitle,
      heading: method('sms').heading,
      intro: `${method('sms').intro('•••• 0100')} ${t.confirmNumber}`,
      introStrong: '•••• 0100',
      notYouAction: '/2fa/sign-out',
      notice: { kind: 'error', text: t.adminPhoneFixed },
      verifyAction: '/2fa/verify',
      offerTrust: true,
      trustChecked: true,
      trustDays: 1,
      codeDisabled: false,
      actions: [
        {
          actions: [
            { action: '/2fa/resend', label: t.resendButton },
            { action: '/2fa/phone/change', label: t.useDifferentNumber },
          ],
        },
        { actions: [{ action: '/2fa/sign-out', label: t.signOutButton }] },
      ],
    }),
    'phone entry at sign-in': renderPhoneEntryPage({
      siteName: SITE,
      words,
      csrfToken: CSRF,
      context: 'sign-in',
      action: '/2fa/phone',
      method: 'sms',
      notice: { kind: 'error', text: t.phoneInvalid },
      cancel: { action: '/2fa/sign-out', label: t.signOutButton },
    }),
    'phone entry, adding': renderPhoneEntryPage({
      siteName: SITE,
      words,
      csrfToken: CSRF,
      context: 'settings',
      hasPhone: false,
      action: '/2fa/settings/phone',
      method: 'voice',
      cancel,
    }),
    'phone entry, changing': renderPhoneEntryPage({
      siteName: SITE,
      words,
      csrfToken: CSRF,
      context: 'settings',
      action: '/2fa/settings/phone',
      method: 'sms',
      notice: { kind: 'error', text: t.phoneCantReceive('sms') },
      cancel,
    }),
    settings: renderSettingsPage(settings),
    'settings, 2FA off, enforced elsewhere': renderSettingsPage({
      ...settings,
      notice: { kind: 'error', text: t.cannotSwitchOff },
      required: false,
      enabled: false,
      emailCodes: true,
      blockClients: false,
      clientsBlockedByAccount: true,
      devices: [],
      phone: null,
      recoveryCodesLeft: 0,
    }),
    'settings, enforced': renderSettingsPage({ ...settings, enforcedByAccount: true, notice: { kind: 'info', text: t.devicesRevoked(2) } }),
    'authenticator app set-up': enrolPage(
      'totp',
      totpView.enrol!({ ...form, words: totpWords, shown: setup, cancel, invalid: true, answer: { label: 'x' } }),
      totpWords.enrolment.refused.wrong,
    ),
    'authenticator app set-up, expired': enrolPage('totp', totpView.enrol!({ ...form, words: totpWords, shown: null, cancel })),
    'passkey enrolment': enrolPage(
      'passkey',
      passkeyView.enrol!({ ...form, words: passkeyWords, shown: { options: { challenge: 'abc' } }, cancel }),
      passkeyWords.enrolment.refused.tooMany(20),
    ),
    'recovery codes': renderRecoveryCodesPage({
      siteName: SITE,
      words,
      mountPath: '/2fa',
      codes: ['aaaa-bbbb', 'cccc-dddd'],
      backHref: '/2fa/settings',
    }),
    'message: unavailable': message(t.unavailableTitle, t.unavailable),
    'message: sign-in expired': message(t.sessionExpiredTitle, t.sessionExpired, { href: '/login', label: t.signInAgain }),
    'message: form expired': message(t.formExpiredTitle, t.formExpired, { href: '/2fa', label: t.backToVerify }),
    'message: not found': message(t.notFoundTitle, t.notFound),
    'message: too large': message(t.tooLargeTitle, t.tooLarge),
    'message: cross-site': message(t.crossSiteTitle, t.crossSite),
    'message: bad address': message(t.badAddressTitle, t.badAddress),
    'message: bad form': message(t.badFormTitle, t.badForm),
    'message: client blocked by the user': message(t.clientBlockedTitle, t.clientBlockedByUser, {
      href: '/2fa/settings',
      label: t.openSettings,
    }),
    'message: client blocked by the account': message(t.clientBlockedTitle, t.clientBlockedByAccount),
    outbox: renderOutboxPage({
      siteName: SITE,
      words,
      messages: (['email', 'sms', 'voice'] as DeliveryMethod[]).map((m, i) => ({
        at: NOW + i,
        method: m,
        to: 'x',
        code: '123456',
        purpose: 'sign-in',
      })),
    }),
    'outbox, empty': renderOutboxPage({ siteName: SITE, words, messages: [] }),
  };
}

const NOTICES: SecurityNotice[] = [
  { kind: 'device-trusted', label: 'Chrome 131', at: NOW },
  { kind: 'phone-changed', phone: '•••• 0006', at: NOW },
  { kind: 'phone-changed', phone: null, at: NOW },
  { kind: 'method-changed', method: 'voice', at: NOW },
  { kind: 'credential-added', method: 'passkey', label: '', at: NOW },
  { kind: 'credential-added', method: 'totp', label: 'Pixel', at: NOW },
  { kind: 'credential-removed', method: 'totp', at: NOW },
  { kind: 'failed-codes', failures: 5, at: NOW },
  { kind: 'recovery-used', remaining: 0, at: NOW },
  { kind: 'recovery-used', remaining: 1, at: NOW },
  { kind: 'recovery-generated', at: NOW },
  { kind: 'locked-out', at: NOW },
  { kind: 'two-factor-switched', enabled: true, at: NOW },
  { kind: 'two-factor-switched', enabled: false, at: NOW },
  { kind: 'email-codes-switched', allowed: false, at: NOW },
  { kind: 'phone-set-by-admin', phone: '•••• 0006', at: NOW },
  { kind: 'clients-switched', blocked: true, at: NOW },
  { kind: 'new-sign-in', label: 'Firefox 133', place: 'Berlin', at: NOW },
];

/** The emails, and the texts of an SMS and a call, in one language. */
function messagesIn(words: Words): Record<string, { html?: string; text: string }> {
  const out: Record<string, { html?: string; text: string }> = {};
  for (const purpose of ['sign-in', 'reauth', 'enroll-phone'] as const) {
    const email = renderCodeEmail({ siteName: SITE, code: '123456', expiresInMinutes: 10, purpose, words });
    out[`code email (${purpose})`] = { html: email.html, text: `${email.subject}\n${email.text}` };
  }
  NOTICES.forEach((notice, i) => {
    const email = renderSecurityNotice(notice, SITE, words);
    out[`notice ${i}: ${notice.kind}`] = { html: email.html, text: `${email.subject}\n${email.text}` };
  });
  out.sms = { text: renderCodeSms({ siteName: SITE, code: '123456', expiresInMinutes: 10, words }) };
  out.call = { text: renderCodeSpeech({ siteName: SITE, code: '123456', expiresInMinutes: 1, words }) };
  return out;
}

/** What a reader gets from a page: its text, and the words in its attributes (labels, the passkey script's words). */
function readable(page: string): string {
  const attributes = [...page.matchAll(/\s(?:aria-label|data-passkey-text)="([^"]*)"/g)].map((m) => visibleText(m[1] ?? ''));
  return `${visibleText(page)}\n${attributes.join('\n')}`;
}

describe.each(LANGUAGES)('every page in %s', (lang) => {
  const words = wordsOf(lang, 'Europe/Berlin');
  const pages = pagesIn(words);

  it.each(Object.keys(pages))('%s: says its language, misses no word, and shows no English', (name) => {
    const page = pages[name] ?? '';
    expect(page).toContain(`<html lang="${lang}">`);
    const text = readable(page);
    expect(text).not.toMatch(/undefined|NaN|\[object|null/);
    // An empty element where a word should be: a label, a button, a heading, a notice.
    expect(page).not.toMatch(/<(h1|h2|label|button|legend|summary|dt|p)\b(?![^>]*data-)[^>]*>\s*<\/\1>/);
    if (lang !== 'en') expect(englishIn(text, lang)).toEqual([]);
  });

  it('times in the reader’s language and time zone', () => {
    const settings = visibleText(pages.settings ?? '');
    expect(settings).toContain({ en: '23 Nov 2026, 19:05 CET', de: '23. Nov. 2026, 19:05 MEZ', es: '23 nov 2026, 19:05 CET' }[lang]);
  });

  it('an unnamed credential, and a browser its User-Agent did not name, are called by the reader’s word for one', () => {
    const t = words.method('totp')?.enrolment?.defaultLabel ?? '';
    expect(visibleText(pages.settings ?? '')).toContain(t);
    expect(visibleText(pages.settings ?? '')).toContain(words.t.unknownBrowser);
  });
});

describe.each(LANGUAGES)('every message in %s', (lang) => {
  const words = wordsOf(lang);
  const messages = messagesIn(words);

  it.each(Object.keys(messages))('%s: misses no word and shows no English', (name) => {
    const message = messages[name] ?? { text: '' };
    if (message.html !== undefined) expect(message.html).toContain(`<html lang="${lang}">`);
    const text = `${message.text}\n${visibleText(message.html ?? '')}`;
    expect(text).not.toMatch(/undefined|NaN|\[object|null/);
    if (lang !== 'en') expect(englishIn(text, lang)).toEqual([]);
  });

  it('the SMS stays in GSM-7 (no character that would switch it to UCS-2) and in one segment of 160, for a long site name too', () => {
    for (const siteName of [SITE, 'Acme Files & Sync Europe']) {
      for (const minutes of [1, 10, 60]) {
        const sms = renderCodeSms({ siteName, code: '123456', expiresInMinutes: minutes, words });
        expect([...sms].filter((c) => !GSM_7.has(c))).toEqual([]);
        expect(sms.length).toBeLessThanOrEqual(160);
        expect(sms.startsWith('123456 ')).toBe(true);
      }
    }
  });

  it('the call is read in the table’s voice language, the digits one by one', () => {
    const twiml = renderCodeTwiml({ siteName: SITE, code: '123456', expiresInMinutes: 10, words });
    const says = [...twiml.matchAll(/<Say voice="alice" language="([^"]+)">/g)].map((m) => m[1]);
    expect(new Set(says)).toEqual(new Set([{ en: 'en-US', de: 'de-DE', es: 'es-ES' }[lang]]));
    expect(twiml.match(/1, 2, 3, 4, 5, 6\./g)).toHaveLength(2);
  });
});

describe('the shipped tables', () => {
  it('each language is a table of the library and one in each method folder, all three for every registered method', () => {
    expect(Object.keys(SHIPPED_STRINGS)).toEqual(['en', 'de', 'es']);
    for (const plugin of METHODS) expect(Object.keys(plugin.strings).sort()).toEqual(['de', 'en', 'es']);
  });

  it('the English table is the one the others are typed by (a translation missing a key does not compile)', () => {
    const { verifyTitle: _gone, ...rest } = SHIPPED_STRINGS.en;
    // @ts-expect-error a table without `verifyTitle` is no `Strings`: `npm run typecheck` fails on it.
    const incomplete: Strings = rest;
    // @ts-expect-error a sentence where the English table has a function of the count is no `Strings` either.
    const wrongKind: Strings = { ...SHIPPED_STRINGS.en, trustLabel: 'Trust this browser' };
    expect([incomplete, wrongKind].every((table) => typeof table === 'object')).toBe(true);
    // Compile-time: `const de: Strings = { ... }`. At run time the keys match too.
    const keys = (table: Strings) => Object.keys(table).sort();
    expect(keys(SHIPPED_STRINGS.de as Strings)).toEqual(keys(SHIPPED_STRINGS.en));
    expect(keys(SHIPPED_STRINGS.es as Strings)).toEqual(keys(SHIPPED_STRINGS.en));
  });
});

describe('the English check itself', () => {
  const page = readable(pagesIn(wordsOf('de')).verify ?? '');

  it('finds an English sentence, a function’s too, slipped into a German page', () => {
    expect(englishIn(`${page} That code has expired. Send yourself a new one below.`, 'de')).toEqual([
      'That code has expired. Send yourself a new one below.',
    ]);
    expect(englishIn(`${page} Trust this browser for 30 days`, 'de')).toContain('Trust this browser for 30 days');
    expect(englishIn(`${page} Cancel`, 'de')).toEqual(['Cancel']);
  });

  it('leaves alone the words German shares with English, and English inside a word', () => {
    expect(englishIn(`${page} Browser Code Passkey Codes`, 'de')).toEqual([]);
  });
});
