/**
 * Every page of the library, in each state worth telling apart, rendered by the library's own views
 * with typical models: the one list that the page rules (all-pages.test.ts) and the accessibility
 * check in Chromium (test/browser/accessibility.browser.test.ts) go through.
 *
 * `LOCALES` is the one place that says in which languages: each page in each, in its shipped words.
 */
import QRCode from 'qrcode';
import { otpauthUri } from '../../src/methods/totp/method';
import type { ChannelWords } from '../../src/methods/code-over-channel/strings';
import type { PasskeyWords } from '../../src/methods/passkey/strings';
import { passkeyView } from '../../src/methods/passkey/view';
import type { TotpWords } from '../../src/methods/totp/strings';
import { totpView } from '../../src/methods/totp/view';
import type { LogoOptions } from '../../src/types';
import { renderCodePage } from '../../src/views/code-page';
import { renderEnrolPage } from '../../src/views/enrol-page';
import type { SafeHtml } from '../../src/views/html';
import { renderMessagePage } from '../../src/views/message-page';
import { renderOutboxPage } from '../../src/views/outbox-page';
import { renderPhoneEntryPage } from '../../src/views/phone-page';
import { renderRecoveryCodesPage } from '../../src/views/recovery-codes-page';
import { renderSettingsPage, type SettingsPageModel } from '../../src/views/settings-page';
import { renderVerifyPage, type MethodDisplay, type VerifyPageModel } from '../../src/views/verify-page';
import type { EnrolmentStrings } from '../../src/views/method-view';
import { wordsOf } from '../helpers/words';
import { channelChoices, channelMethod as channelIn } from './helpers';

/** The languages every page is checked in. */
export const LOCALES = ['en', 'de', 'es'] as const;
export type Locale = (typeof LOCALES)[number];

export const CSRF = 'csrf-token-123';
export const NOW = Date.UTC(2026, 10, 23, 18, 5);
/** The logo some pages carry (the catalogue's server serves it). */
export const LOGO: LogoOptions = { src: '/static/logo.svg', alt: 'Acme', width: 120, height: 32 };

const error = (text: string) => ({ kind: 'error' as const, text });
const PROMPT_STATE = {
  options: { challenge: 'c2lnbi1pbi1jaGFsbGVuZ2U', rpId: 'localhost', allowCredentials: [], userVerification: 'required', timeout: 60_000 },
};

/**
 * The QR code as the set-up page shows it, made as the method makes it. Synchronous, so the tests can
 * list the pages when they are collected: qrcode's SVG renderer answers its callback at once.
 */
function qrSvgOf(text: string): string {
  let svg = '';
  QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }, (failure, out) => {
    if (failure) throw failure;
    svg = out;
  });
  if (svg === '') throw new Error('qrcode no longer renders an SVG synchronously: make libraryPages async');
  return svg;
}

/** Every page by name, as HTML, in `locale`. */
export function libraryPages(locale: Locale): Record<string, string> {
  const words = wordsOf(locale);
  const strings = words.t;
  const TOTP_STRINGS = words.method('totp') as TotpWords;
  const PASSKEY_METHOD = words.method('passkey') as PasskeyWords;
  const TOTP_ENROLMENT = TOTP_STRINGS.enrolment;
  const PASSKEY_ENROLMENT = PASSKEY_METHOD.enrolment as EnrolmentStrings;
  const CHANNEL_STRINGS = { email: words.method('email') as ChannelWords, sms: words.method('sms') as ChannelWords };
  const channelMethod = (id: 'email' | 'sms' | 'voice') => channelIn(id, words);
  const TOTP: MethodDisplay = { id: 'totp', strings: TOTP_STRINGS, resendable: false };
  const PASSKEY: MethodDisplay = { id: 'passkey', strings: PASSKEY_METHOD, resendable: false };
  const qrSvg = qrSvgOf(otpauthUri('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'Acme', 'alice@acme.test'));

  const verify: VerifyPageModel = {
    siteName: 'Acme',
    words,
    logo: LOGO,
    mountPath: '/2fa',
    csrfToken: CSRF,
    method: channelMethod('email'),
    maskedDestination: 'a•••e@acme.test',
    offerTrust: true,
    trustChecked: true,
    trustDays: 30,
    otherMethods: [channelMethod('sms'), channelMethod('voice'), TOTP, PASSKEY],
    codeDisabled: false,
    codeTimes: { now: NOW, codeExpiresAt: NOW + 10 * 60_000, resendAt: NOW + 30_000 },
    recoveryAction: '/2fa/recovery',
  };
  const settings: SettingsPageModel = {
    siteName: 'Acme',
    words,
    logo: LOGO,
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
    methods: [
      ...channelChoices(['email', 'sms', 'voice'], undefined, words),
      { id: 'totp', label: TOTP_STRINGS.label, usable: true, hint: null },
      { id: 'passkey', label: PASSKEY_METHOD.label, usable: false, hint: PASSKEY_METHOD.unavailable },
    ],
    enrolments: [
      { method: 'totp', strings: TOTP_ENROLMENT, credentials: [{ id: 'c1', label: 'Phone app', createdAt: NOW, lastUsedAt: NOW }] },
      {
        method: 'passkey',
        strings: PASSKEY_ENROLMENT,
        credentials: [
          { id: 'c2', label: 'Work laptop', createdAt: NOW, lastUsedAt: null },
          { id: 'c3', label: 'Security key', createdAt: NOW, lastUsedAt: NOW },
        ],
      },
    ],
    phone: '•••• 0006',
    devices: [
      { id: 'd1', label: 'Chrome 131 on macOS', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: true, placeHint: '203.0.113.x' },
      { id: 'd2', label: 'Firefox 133 on Windows', createdAt: NOW, lastUsedAt: NOW, expiresAt: NOW, current: false },
    ],
    recoveryCodesLeft: 4,
    sessions: [
      { id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131 on macOS', current: true },
      { id: 'h2', signedInAt: NOW, lastActiveAt: NOW, label: 'Firefox 133 on Windows', placeHint: '203.0.113.x', current: false },
    ],
  };
  /** A method's form on the set-up page, as the enrol step hands it its words. */
  const formModel = (invalid: boolean) => ({
    csrfToken: CSRF,
    action: '/2fa/settings/enrol',
    disabled: false,
    mountPath: '/2fa',
    page: words,
    cancel: { action: '/2fa/settings/cancel', label: strings.cancel },
    invalid,
    answer: (invalid ? { label: 'Phone' } : {}) as Record<string, string>,
  });
  const enrol = (heading: string, form: SafeHtml, invalid = false) =>
    renderEnrolPage({
      siteName: 'Acme',
      words,
      heading,
      ...(invalid ? { notice: error(TOTP_STRINGS.enrolment.refused.wrong) } : {}),
      form,
    });
  const message = (title: string, text: string, link?: { href: string; label: string }) =>
    renderMessagePage({ siteName: 'Acme', words, title, text, ...(link ? { link } : {}) });

  return {
    'verify: a code by email': renderVerifyPage(verify),
    'verify: the code expired': renderVerifyPage({
      ...verify,
      notice: error(strings.codeExpired),
      answerRefused: true,
      codeTimes: { now: NOW, codeExpiresAt: NOW - 60_000 },
    }),
    'verify: a wrong code': renderVerifyPage({ ...verify, notice: error(strings.wrongCode(3)), answerRefused: true }),
    'verify: a new code must wait': renderVerifyPage({ ...verify, notice: error(strings.resendIn(20)) }),
    'verify: locked, with an error': renderVerifyPage({
      ...verify,
      codeDisabled: true,
      notice: error(strings.lockedFor(4)),
      answerRefused: true,
    }),
    'verify: locked out, the recovery code open': renderVerifyPage({
      ...verify,
      codeDisabled: true,
      recoveryOpen: true,
      notice: error(strings.lockedOut),
    }),
    'verify: a wrong recovery code': renderVerifyPage({
      ...verify,
      recoveryOpen: true,
      notice: error(strings.recoveryInvalid),
      answerRefused: true,
    }),
    'verify: an authenticator app': renderVerifyPage({
      ...verify,
      method: TOTP,
      maskedDestination: 'Acme',
      otherMethods: [channelMethod('email'), PASSKEY],
      codeTimes: undefined,
    }),
    'verify: the passkey prompt': renderVerifyPage({
      ...verify,
      method: PASSKEY,
      maskedDestination: '',
      otherMethods: [channelMethod('email'), TOTP],
      codeTimes: undefined,
      answer: passkeyView.prompt?.({
        csrfToken: CSRF,
        action: '/2fa/verify',
        disabled: false,
        mountPath: '/2fa',
        state: PROMPT_STATE,
        words: PASSKEY_METHOD,
        page: words,
      }),
    }),
    'verify: the passkey prompt, locked': renderVerifyPage({
      ...verify,
      method: PASSKEY,
      maskedDestination: '',
      otherMethods: [channelMethod('email')],
      codeTimes: undefined,
      codeDisabled: true,
      notice: error(strings.lockedFor(2)),
      answer: passkeyView.prompt?.({
        csrfToken: CSRF,
        action: '/2fa/verify',
        disabled: true,
        mountPath: '/2fa',
        state: PROMPT_STATE,
        words: PASSKEY_METHOD,
        page: words,
      }),
    }),
    'phone entry: a first phone at sign-in, with an error': renderPhoneEntryPage({
      siteName: 'Acme',
      words,
      csrfToken: CSRF,
      context: 'sign-in',
      action: '/2fa/phone',
      method: 'sms',
      phone: '+1 415',
      notice: error(strings.phoneNotPossible),
      cancel: { action: '/2fa/sign-out', label: strings.signOutButton },
    }),
    'phone entry: a change from settings': renderPhoneEntryPage({
      siteName: 'Acme',
      words,
      csrfToken: CSRF,
      context: 'settings',
      action: '/2fa/settings/phone',
      method: 'voice',
      hasPhone: true,
      cancel: { action: '/2fa/settings/cancel', label: strings.cancel },
    }),
    'phone code: the number being proved': renderCodePage({
      siteName: 'Acme',
      words,
      csrfToken: CSRF,
      title: strings.verifyTitle,
      heading: CHANNEL_STRINGS.sms.heading,
      intro: `${CHANNEL_STRINGS.sms.intro('•••• 0100')} ${strings.confirmNumber}`,
      introStrong: '•••• 0100',
      verifyAction: '/2fa/verify',
      offerTrust: true,
      trustChecked: true,
      trustDays: 30,
      codeDisabled: false,
      codeTimes: { now: NOW, codeExpiresAt: NOW + 10 * 60_000, resendAt: NOW + 30_000 },
      actions: [
        {
          actions: [
            { action: '/2fa/resend', label: strings.resendButton },
            { action: '/2fa/phone/change', label: strings.useDifferentNumber },
          ],
        },
        { actions: [{ action: '/2fa/sign-out', label: strings.signOutButton }] },
      ],
    }),
    're-authentication before a change': renderCodePage({
      siteName: 'Acme',
      words,
      logo: LOGO,
      csrfToken: CSRF,
      title: strings.verifyTitle,
      heading: CHANNEL_STRINGS.email.heading,
      intro: CHANNEL_STRINGS.email.reauthIntro('a•••e@acme.test'),
      introStrong: 'a•••e@acme.test',
      notice: { kind: 'info', text: CHANNEL_STRINGS.email.newCodeSent },
      verifyAction: '/2fa/settings/verify',
      offerTrust: false,
      offerEndOthers: true,
      trustChecked: false,
      trustDays: 30,
      codeDisabled: false,
      codeTimes: { now: NOW, codeExpiresAt: NOW + 10 * 60_000, resendAt: NOW + 30_000 },
      actions: [
        {
          actions: [
            { action: '/2fa/settings/resend', label: strings.resendButton },
            { action: '/2fa/settings/resend', label: CHANNEL_STRINGS.sms.switchTo, name: 'method', value: 'sms' },
            { action: '/2fa/settings/cancel', label: strings.cancel },
          ],
        },
      ],
    }),
    'settings: devices, sessions and credentials': renderSettingsPage(settings),
    'settings: 2FA off, nothing set up': renderSettingsPage({
      ...settings,
      notice: error(strings.cannotSwitchOff),
      required: false,
      enabled: false,
      enforcedByAccount: false,
      clientsBlockedByAccount: false,
      blockClients: true,
      method: 'sms',
      methods: channelChoices(['email'], undefined, words),
      enrolments: [{ method: 'totp', strings: TOTP_ENROLMENT, credentials: [] }],
      phone: null,
      devices: [],
      recoveryCodesLeft: 0,
      sessions: [{ id: 'h1', signedInAt: NOW, lastActiveAt: NOW, label: 'Chrome 131 on macOS', current: true }],
    }),
    'authenticator app set-up': enrol(
      TOTP_ENROLMENT.heading,
      totpView.enrol!({
        ...formModel(false),
        words: TOTP_STRINGS,
        shown: { qrSvg, key: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP', replaces: false },
      }),
    ),
    'authenticator app set-up: a wrong code, replacing the app': enrol(
      TOTP_ENROLMENT.heading,
      totpView.enrol!({
        ...formModel(true),
        words: TOTP_STRINGS,
        shown: { qrSvg, key: 'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP', replaces: true },
      }),
      true,
    ),
    'passkey set-up': enrol(
      PASSKEY_ENROLMENT.heading,
      passkeyView.enrol!({
        ...formModel(false),
        words: PASSKEY_METHOD,
        shown: {
          options: {
            challenge: 'ZW5yb2w',
            rp: { id: 'localhost', name: 'Acme' },
            user: { id: 'dQ', name: 'alice@acme.test', displayName: 'alice@acme.test' },
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          },
        },
      }),
    ),
    'recovery codes': renderRecoveryCodesPage({
      siteName: 'Acme',
      words,
      logo: LOGO,
      mountPath: '/2fa',
      codes: [
        '4f7k2-m9qx8',
        'c3p1t-zh6w2',
        'rb4nq-9d5ke',
        '7sm3v-8jy2a',
        'z1g6t-c5wb7',
        'n4uf8-rk2s9',
        'ex3mr-5h1wd',
        '6py4q-7na2g',
        'a8c2e-k4m6p',
        'q3w5r-t7y9u',
      ],
      backHref: '/2fa/settings',
    }),
    'message: 400 bad address': message(strings.badAddressTitle, strings.badAddress),
    'message: 401 sign-in expired': message(strings.sessionExpiredTitle, strings.sessionExpired, {
      href: '/login',
      label: strings.signInAgain,
    }),
    'message: 403 cross-site': message(strings.crossSiteTitle, strings.crossSite),
    'message: 403 form expired': message(strings.formExpiredTitle, strings.formExpired, { href: '/2fa', label: strings.backToVerify }),
    'message: 403 client blocked': message(strings.clientBlockedTitle, strings.clientBlockedByUser, {
      href: '/2fa/settings',
      label: strings.openSettings,
    }),
    'message: 404': message(strings.notFoundTitle, strings.notFound),
    'message: 413': message(strings.tooLargeTitle, strings.tooLarge),
    'message: 503': message(strings.unavailableTitle, strings.unavailable),
    outbox: renderOutboxPage({
      siteName: 'Acme',
      words,
      messages: [
        { at: NOW, method: 'sms', to: '+15005550006', code: '123456', purpose: 'sign-in' },
        { at: NOW - 60_000, method: 'email', to: 'alice@acme.test', code: '654321', purpose: 'reauth' },
      ],
    }),
    'outbox: empty': renderOutboxPage({ siteName: 'Acme', words, messages: [] }),
  };
}
