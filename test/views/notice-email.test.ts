import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { renderCodeEmail } from '../../src/views/code-email';
import { renderNoticeEmail, type NoticeEmailKind, type NoticeEmailModels } from '../../src/views/notice-email';
import { en as strings } from '../../src/views/strings';
import { EN } from '../helpers/words';
import { EVIL, EVIL_ESCAPED, visibleText } from './helpers';

const AT = Date.UTC(2026, 10, 23, 18, 5);
const WHEN = '23 Nov 2026, 18:05 UTC';
const NOT_YOU = 'If this wasn’t you, change your password and contact your administrator.';

const cases: [NoticeEmailKind, NoticeEmailModels[NoticeEmailKind], string, string][] = [
  [
    'device-trusted',
    { siteName: 'Acme Files', label: 'Chrome 131 on macOS', at: AT },
    'A new browser was trusted on your Acme Files account',
    'A browser was trusted for your Acme Files account.',
  ],
  [
    'phone-changed',
    { siteName: 'Acme Files', phone: '•••• 0006', at: AT },
    'Your Acme Files phone number was changed',
    'was changed to •••• 0006.',
  ],
  [
    'method-changed',
    { siteName: 'Acme Files', chosen: CHANNEL_STRINGS.sms.chosen, at: AT },
    'How you get Acme Files verification codes has changed',
    'we’ll send your codes by text message.',
  ],
  [
    'credential-added',
    { siteName: 'Acme Files', method: 'passkey', label: 'Work laptop', at: AT },
    'A new way to sign in was added to your Acme Files account',
    'A new passkey was set up for signing in to your Acme Files account.',
  ],
  [
    'credential-removed',
    { siteName: 'Acme Files', method: 'authenticator app', at: AT },
    'A way to sign in was removed from your Acme Files account',
    'was removed: your authenticator app.',
  ],
  [
    'failed-codes',
    { siteName: 'Acme Files', failures: 5, at: AT },
    'Failed sign-in attempts on your Acme Files account',
    'Someone entered a wrong verification code 5 times while signing in to your Acme Files account.',
  ],
  [
    'recovery-used',
    { siteName: 'Acme Files', remaining: 9, at: AT },
    'A recovery code was used on your Acme Files account',
    'You have 9 recovery codes left.',
  ],
  [
    'clients-switched',
    { siteName: 'Acme Files', blocked: true, at: AT },
    'Apps without verification codes are blocked on your Acme Files account',
    'can no longer reach your Acme Files account',
  ],
  [
    'clients-switched',
    { siteName: 'Acme Files', blocked: false, at: AT },
    'Apps without verification codes can reach your Acme Files account again',
    'can reach your Acme Files account again, without a verification code.',
  ],
];

describe('renderNoticeEmail', () => {
  it.each(cases)('%s: subject, what happened, when, and what to do if it wasn’t you', (kind, model, subject, happened) => {
    const email = renderNoticeEmail(kind, model as never, EN);
    expect(email.subject).toBe(subject);
    for (const body of [email.text, visibleText(email.html)]) {
      expect(body).toContain(happened);
      expect(body).toContain(`When: ${WHEN}`);
      expect(body).toContain(NOT_YOU);
      expect(body).toContain('Acme Files');
    }
    expect(email.text.endsWith('— Acme Files\n')).toBe(true);
    expect(email.html).not.toMatch(/<script|<table|<img/i);
  });

  it('names the browser of a newly trusted device', () => {
    const email = renderNoticeEmail('device-trusted', { siteName: 'Acme', label: 'Chrome 131 on macOS', at: AT }, EN);
    expect(email.text).toContain('Browser: Chrome 131 on macOS\nWhen: 23 Nov 2026, 18:05 UTC');
    expect(email.html).toContain('<strong>Chrome 131 on macOS</strong>');
  });

  it('words a removed phone and each method', () => {
    expect(renderNoticeEmail('phone-changed', { siteName: 'Acme', phone: null, at: AT }, EN).text).toContain(
      'The phone number for verification codes was removed from your Acme account.',
    );
    expect(renderNoticeEmail('method-changed', { siteName: 'Acme', chosen: CHANNEL_STRINGS.email.chosen, at: AT }, EN).text).toContain(
      'we’ll send your codes by email.',
    );
    expect(renderNoticeEmail('method-changed', { siteName: 'Acme', chosen: CHANNEL_STRINGS.voice.chosen, at: AT }, EN).text).toContain(
      'we’ll call you with your codes.',
    );
    expect(renderNoticeEmail('credential-added', { siteName: 'Acme', method: 'passkey', label: 'Work laptop', at: AT }, EN).text).toContain(
      'A new passkey was set up for signing in to your Acme account.',
    );
    expect(renderNoticeEmail('credential-added', { siteName: 'Acme', method: 'passkey', label: 'Work laptop', at: AT }, EN).text).toContain(
      'Work laptop',
    );
    expect(renderNoticeEmail('credential-removed', { siteName: 'Acme', method: 'passkey', at: AT }, EN).text).toContain(
      'was removed: your passkey.',
    );
    expect(renderNoticeEmail('failed-codes', { siteName: 'Acme', failures: 1, at: AT }, EN).text).toContain(
      'a wrong verification code 1 time while',
    );
    expect(renderNoticeEmail('recovery-used', { siteName: 'Acme', remaining: 0, at: AT }, EN).text).toContain(
      'You have no recovery codes left.',
    );
  });

  it('uses the time of rendering when no time is given', () => {
    jest.useFakeTimers({ now: AT });
    try {
      expect(renderNoticeEmail('method-changed', { siteName: 'Acme', chosen: CHANNEL_STRINGS.sms.chosen }, EN).text).toContain(
        `When: ${WHEN}`,
      );
    } finally {
      jest.useRealTimers();
    }
  });

  it('escapes the label, the phone and the site name in the HTML part, and keeps line breaks out of the subject and the text facts', () => {
    const evilSite = `${EVIL}\r\nBcc: x@evil.test\u0085Cc: y@evil.test`;
    for (const email of [
      renderNoticeEmail('device-trusted', { siteName: evilSite, label: `${EVIL}\nWhen: yesterday`, at: AT }, EN),
      renderNoticeEmail('phone-changed', { siteName: evilSite, phone: EVIL, at: AT }, EN),
    ]) {
      expect(email.html).not.toMatch(/<script|<img/i);
      expect(email.html).toContain(EVIL_ESCAPED);
      expect(email.subject).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
    }
    const trusted = renderNoticeEmail('device-trusted', { siteName: 'Acme', label: `Chrome\nWhen: yesterday`, at: AT }, EN);
    expect(trusted.text).toContain('Browser: Chrome When: yesterday\n');
    expect(trusted.text.match(/^When:/gm)).toHaveLength(1);
  });

  it('shares the code email’s shell', () => {
    const notice = renderNoticeEmail('failed-codes', { siteName: 'Acme', failures: 3, at: AT }, EN).html;
    const code = renderCodeEmail({ siteName: 'Acme', code: '123456', expiresInMinutes: 10, purpose: 'sign-in', words: EN }).html;
    const shell = (html: string) => html.slice(0, html.indexOf('<title>')) + html.slice(html.indexOf('</title>'), html.indexOf('Acme</p>'));
    expect(shell(notice)).toBe(shell(code));
    expect(notice).toContain(`<p style="margin:0;color:#4d5560;font-size:14px;">${strings.notYouNotice}</p>`);
  });
});
