/**
 * Checks every page of the library against the same rules, with typical models: the CSP ones
 * (expectSafePage), every class it uses styled by STYLESHEET, unique ids, and every id reference
 * (label for, aria-describedby, aria-labelledby) pointing at an element of the page.
 */
import { renderCodePage } from '../../src/views/code-page';
import { renderMessagePage } from '../../src/views/message-page';
import { renderOutboxPage } from '../../src/views/outbox-page';
import { renderPhoneEntryPage } from '../../src/views/phone-page';
import { renderRecoveryCodesPage } from '../../src/views/recovery-codes-page';
import { renderSettingsPage } from '../../src/views/settings-page';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { strings } from '../../src/views/strings';
import { renderVerifyPage } from '../../src/views/verify-page';
import { CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { allTags, channelChoices, channelMethod, expectSafePage, withoutStyle } from './helpers';

const NOW = Date.UTC(2026, 10, 23, 18, 5);
const CSRF = 'csrf-token-123';
const error = { kind: 'error' as const, text: 'Something is wrong.' };

const verifyModel = {
  siteName: 'Acme',
  mountPath: '/2fa',
  csrfToken: CSRF,
  method: channelMethod('email'),
  maskedDestination: 'a•••e@acme.test',
  offerTrust: true,
  trustChecked: true,
  trustDays: 30,
  otherMethods: [channelMethod('sms'), channelMethod('voice')],
  codeDisabled: false,
  recoveryAction: '/2fa/recovery',
};

const PAGES: Record<string, string> = {
  verify: renderVerifyPage(verifyModel),
  'verify, locked, with an error': renderVerifyPage({ ...verifyModel, codeDisabled: true, notice: error }),
  'verify, recovery open': renderVerifyPage({ ...verifyModel, recoveryOpen: true, notice: error }),
  'code page (enrolment)': renderCodePage({
    siteName: 'Acme',
    csrfToken: CSRF,
    title: strings.enrolTitle,
    heading: CHANNEL_STRINGS.sms.heading,
    intro: `${CHANNEL_STRINGS.sms.intro('•••• 0006')} ${strings.confirmNumber}`,
    introStrong: '•••• 0006',
    verifyAction: '/2fa/verify',
    offerTrust: false,
    trustChecked: false,
    trustDays: 0,
    codeDisabled: false,
    actions: [{ actions: [{ action: '/2fa/resend', label: strings.resendButton }] }, { actions: [{ action: '/2fa/sign-out', label: strings.signOutButton }] }],
  }),
  'phone entry': renderPhoneEntryPage({ siteName: 'Acme', csrfToken: CSRF, context: 'sign-in', action: '/2fa/phone', method: 'sms', notice: error, cancel: { action: '/2fa/sign-out', label: strings.signOutButton } }),
  settings: renderSettingsPage({
    siteName: 'Acme',
    mountPath: '/2fa',
    csrfToken: CSRF,
    notice: { kind: 'info', text: 'Saved.' },
    backHref: '/',
    email: 'a•••e@acme.test',
    required: true,
    enabled: true,
    emailCodes: true,
    blockClients: false,
    clientsBlockedByAccount: true,
    enforcedByAccount: true,
    method: 'email',
    methods: channelChoices(['email'], { email: 'a•••e@acme.test', phone: null }),
    enrolments: [],
    phone: null,
    devices: [
      { id: 'd1', label: 'Chrome 131 on macOS', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: true, placeHint: '203.0.113.x' },
      { id: 'd2', label: 'Firefox 133 on Windows', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: false },
    ],
    recoveryCodesLeft: 4,
    sessions: [
      { id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131 on macOS', current: true },
      { id: 'h2', signedInAt: NOW, lastActiveAt: NOW, label: 'Firefox 133 on Windows', placeHint: '203.0.113.x', current: false },
    ],
  }),
  'settings, 2FA off': renderSettingsPage({
    siteName: 'Acme',
    mountPath: '/2fa',
    csrfToken: CSRF,
    backHref: '/',
    email: 'a•••e@acme.test',
    required: false,
    enabled: false,
    emailCodes: true,
    blockClients: true,
    clientsBlockedByAccount: false,
    enforcedByAccount: false,
    method: 'sms',
    methods: channelChoices(['email', 'sms', 'voice']),
    enrolments: [{ method: 'totp', strings: { heading: 'Authenticator app', add: 'Set up', none: 'None yet.' }, credentials: [{ id: 'c1', label: 'Phone app', createdAt: NOW, lastUsedAt: null }] }],
    phone: '•••• 0006',
    devices: [],
    recoveryCodesLeft: 0,
    sessions: [{ id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131 on macOS', current: true }],
  }),
  'recovery codes': renderRecoveryCodesPage({ siteName: 'Acme', mountPath: '/2fa', codes: ['aaaa-bbbb', 'cccc-dddd'], backHref: '/2fa/settings' }),
  message: renderMessagePage({ siteName: 'Acme', title: 't', text: 'x', link: { href: '/login', label: 'Sign in' } }),
  outbox: renderOutboxPage({ siteName: 'Acme', messages: [{ at: NOW, method: 'sms', to: '+15005550006', code: '123456', purpose: 'sign-in' }] }),
};

describe.each(Object.entries(PAGES))('%s', (_name, page) => {
  const body = withoutStyle(page);
  const tags = allTags(body);
  const ids = tags.map((t) => t.attrs.get('id')).filter((id): id is string => id !== undefined);

  it('passes the CSP rules', () => {
    expectSafePage(page, CSRF, STYLESHEET, STYLESHEET_HASH);
  });

  it('uses only classes the stylesheet styles', () => {
    const classes = new Set(tags.flatMap((t) => (t.attrs.get('class') ?? '').split(/\s+/).filter(Boolean)));
    for (const name of classes) expect(STYLESHEET).toMatch(new RegExp(`\\.${name}(?![-\\w])`));
  });

  it('has unique ids, and every reference points at one', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of tags) {
      const refs = [t.attrs.get('for'), t.attrs.get('aria-describedby'), t.attrs.get('aria-labelledby')].flatMap((v) => (v ?? '').split(/\s+/).filter(Boolean));
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
  const good = PAGES.verify ?? '';
  it.each([
    ['a style attribute', good.replace('<h1>', '<h1 style="color:red">')],
    ['an inline handler', good.replace('<h1>', '<h1 onclick="x()">')],
    ['a script', good.replace('</main>', '<script>x()</script></main>')],
    ['a script from elsewhere', good.replace('</main>', '<script src="https://cdn.example/x.js" defer></script></main>')],
    ['a script by src with code in it', good.replace('</main>', '<script src="/2fa/assets/x.js" defer>x()</script></main>')],
    ['an image', good.replace('</main>', '<img alt="" src="data:,">x</main>')],
    ['a second style element', good.replace('</main>', '<style>p{}</style></main>')],
    ['a form without _csrf', good.replace('</main>', '<form method="post" action="/x"><button>x</button></form></main>')],
    ['a GET form', good.replace('</main>', `<form action="/x"><input type="hidden" name="_csrf" value="${CSRF}"></form></main>`)],
  ])('reject %s', (_what, bad) => {
    expect(() => expectSafePage(bad, CSRF, STYLESHEET, STYLESHEET_HASH)).toThrow();
  });
});
