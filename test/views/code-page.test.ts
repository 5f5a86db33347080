import { renderCodePage, type CodePageModel } from '../../src/views/code-page';
import { EN } from '../helpers/words';
import { renderVerifyPage } from '../../src/views/verify-page';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { html } from '../../src/views/html';
import { en as strings } from '../../src/views/strings';
import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { channelMethod, EVIL, EVIL_ESCAPED, expectSafePage, forms, only, tags, visibleText, withoutStyle } from './helpers';

function model(overrides: Partial<CodePageModel> = {}): CodePageModel {
  return {
    siteName: 'Acme Files',
    words: EN,
    csrfToken: 'csrf-token-123',
    title: strings.enrolTitle,
    heading: CHANNEL_STRINGS.sms.heading,
    intro: `${CHANNEL_STRINGS.sms.intro('•••• 0006')} ${strings.confirmNumber}`,
    introStrong: '•••• 0006',
    verifyAction: '/2fa/verify',
    offerTrust: true,
    trustChecked: true,
    trustDays: 30,
    codeDisabled: false,
    actions: [
      {
        actions: [
          { action: '/2fa/resend', label: strings.resendButton },
          { action: '/2fa/phone/change', label: strings.useDifferentNumber },
        ],
      },
      { actions: [{ action: '/2fa/sign-out', label: strings.signOutButton }] },
    ],
    ...overrides,
  };
}

describe('renderCodePage', () => {
  it('is a safe page: one hashed stylesheet, no script or style attributes, _csrf in every form', () => {
    expectSafePage(renderCodePage(model({ recoveryAction: '/2fa/recovery' })), 'csrf-token-123', STYLESHEET, STYLESHEET_HASH);
  });

  it('escapes every value that reaches it', () => {
    const page = renderCodePage(
      model({
        siteName: EVIL,
        words: EN,
        csrfToken: EVIL,
        title: EVIL,
        heading: EVIL,
        intro: `Sent to ${EVIL}.`,
        introStrong: EVIL,
        notice: { kind: 'error', text: EVIL },
        verifyAction: `/v${EVIL}`,
        recoveryAction: `/r${EVIL}`,
        actions: [{ heading: EVIL, actions: [{ action: `/a${EVIL}`, label: EVIL, name: EVIL, value: EVIL }] }],
      }),
    );
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain(`<strong>${EVIL_ESCAPED}</strong>`);
    expect(page).toContain(`action="/r${EVIL_ESCAPED}"`);
    expect(page).toContain(`name="${EVIL_ESCAPED}" value="${EVIL_ESCAPED}"`);
    expectSafePage(page, EVIL_ESCAPED, STYLESHEET, STYLESHEET_HASH);
  });

  it('wraps the first occurrence of introStrong in <strong>, or nothing when absent or not found', () => {
    expect(renderCodePage(model())).toContain(
      'We sent a 6-digit code by text message to <strong>•••• 0006</strong>. Enter it to confirm the number.',
    );
    const plain = renderCodePage(model({ intro: 'Plain intro.', introStrong: 'nowhere' }));
    expect(plain).toContain('<p class="lead">Plain intro.</p>');
    const { introStrong: _unused, ...rest } = model();
    expect(renderCodePage(rest)).not.toContain('<strong>');
  });

  it('posts the code and the trust checkbox to verifyAction', () => {
    const page = renderCodePage(model());
    const [verify = ''] = forms(page);
    expect(only(tags(verify, 'form')).attrs.get('action')).toBe('/2fa/verify');
    expect(verify).toContain('name="code"');
    expect(verify).toContain('name="trust"');
    expect(verify).toContain('<button type="submit" class="btn-primary">Verify</button>');
  });

  it('renders each action as its own form, with name/value only when both are given', () => {
    const page = renderCodePage(
      model({
        actions: [
          {
            heading: 'Options',
            actions: [
              { action: '/x', label: 'Plain' },
              { action: '/y', label: 'Named', name: 'method', value: 'voice' },
              { action: '/z', label: 'Half', name: 'method' },
              { action: '/s', label: 'Outlined', style: 'secondary' },
            ],
          },
        ],
      }),
    );
    const actionForms = forms(page).slice(1);
    expect(actionForms.map((f) => tags(f, 'form')[0]?.attrs.get('action'))).toEqual(['/x', '/y', '/z', '/s']);
    expect(actionForms.map((f) => tags(f, 'button')).map((b) => b.length)).toEqual([1, 1, 1, 1]);
    const [plain, named, half, outlined] = actionForms.map((f) => tags(f, 'button')[0]!);
    expect(plain!.attrs.has('name')).toBe(false);
    expect([named!.attrs.get('name'), named!.attrs.get('value')]).toEqual(['method', 'voice']);
    expect(half!.attrs.has('name')).toBe(false);
    expect(plain!.attrs.get('class')).toBe('btn-link');
    expect(outlined!.attrs.get('class')).toBe('btn-secondary');
    expect(page).toContain('<h2 id="actions-0">Options</h2>');
  });

  it('sets a trailing heading-less group apart as the footer, and keeps a lone group in the main section', () => {
    const page = withoutStyle(renderCodePage(model()));
    expect(page).toMatch(/<div class="section footer-actions">[\s\S]*action="\/2fa\/sign-out"[\s\S]*<\/div>/);
    expect(page).not.toMatch(/footer-actions[\s\S]*action="\/2fa\/resend"/);
    const lone = withoutStyle(
      renderCodePage(model({ actions: [{ actions: [{ action: '/2fa/settings/cancel', label: strings.cancel }] }] })),
    );
    expect(lone).not.toContain('footer-actions');
    expect(lone).toContain('action="/2fa/settings/cancel"');
    const none = withoutStyle(renderCodePage(model({ actions: [] })));
    expect(forms(none)).toHaveLength(1);
    expect(none).not.toContain('class="section');
  });

  it('offers no trust checkbox when offerTrust is false', () => {
    const page = renderCodePage(model({ offerTrust: false, recoveryAction: '/2fa/recovery' }));
    expect(page).not.toContain('name="trust"');
    expect(page).not.toContain('Trust this browser');
  });
});

describe('renderCodePage: recovery code form', () => {
  const page = renderCodePage(model({ recoveryAction: '/2fa/recovery' }));
  const form = forms(page).find((f) => f.includes('action="/2fa/recovery"')) ?? '';

  it('is a closed <details> with the summary "Use a recovery code instead"', () => {
    const details = only(tags(page, 'details'));
    expect(details.attrs.has('open')).toBe(false);
    expect(page).toMatch(
      /<details class="recovery">\s*<summary>Use a recovery code instead<\/summary>\s*<form method="post" action="\/2fa\/recovery">/,
    );
    expect(only(tags(page, 'form'), (t) => t.attrs.get('action') === '/2fa/recovery')).toBeDefined();
  });

  it('posts "recoveryCode" from a labelled text input that browsers do not autofill', () => {
    const input = only(tags(form, 'input'), (t) => t.attrs.get('name') === 'recoveryCode');
    expect(input.attrs.get('type')).toBe('text');
    expect(input.attrs.get('autocomplete')).toBe('off');
    expect(input.attrs.get('maxlength')).toBe('20');
    expect(input.attrs.has('required')).toBe(true);
    expect(input.attrs.has('autofocus')).toBe(false);
    expect(form).toContain(`<label for="${input.attrs.get('id')}">${strings.recoveryLabel}</label>`);
    expect(form).toContain(`>${strings.recoveryButton}</button>`);
  });

  it('carries its own trust checkbox (name "trust"), with an id of its own', () => {
    const trust = only(tags(form, 'input'), (t) => t.attrs.get('name') === 'trust');
    expect(trust.attrs.get('type')).toBe('checkbox');
    expect(trust.attrs.get('value')).toBe('1');
    expect(trust.attrs.has('checked')).toBe(true);
    const ids = tags(page, 'input')
      .map((t) => t.attrs.get('id'))
      .filter(Boolean);
    expect(new Set(ids).size).toBe(ids.length);
    expect(form).toContain(`<label for="${trust.attrs.get('id')}">Trust this browser for 30 days</label>`);
  });

  it('is absent without recoveryAction', () => {
    const none = renderCodePage(model());
    expect(none).not.toContain('<details');
    expect(none).not.toContain('recoveryCode');
  });

  it('opens, takes the focus and is described by the error when recoveryOpen', () => {
    const open = renderCodePage(
      model({ recoveryAction: '/2fa/recovery', recoveryOpen: true, notice: { kind: 'error', text: strings.recoveryInvalid } }),
    );
    expect(only(tags(open, 'details')).attrs.has('open')).toBe(true);
    const input = only(tags(open, 'input'), (t) => t.attrs.get('name') === 'recoveryCode');
    expect(input.attrs.has('autofocus')).toBe(true);
    expect(input.attrs.get('aria-describedby')).toBe('recovery-hint notice');
    const code = only(tags(open, 'input'), (t) => t.attrs.get('name') === 'code');
    expect(code.attrs.has('autofocus')).toBe(false);
    expect(code.attrs.has('aria-describedby')).toBe(false);
    expect(tags(open, 'input').filter((t) => t.attrs.has('autofocus'))).toHaveLength(1);
  });

  it('is disabled while locked out, like the code form: recovery codes never skip the attempt limits', () => {
    const locked = renderCodePage(model({ recoveryAction: '/2fa/recovery', codeDisabled: true }));
    const lockedForm = forms(locked).find((f) => f.includes('action="/2fa/recovery"')) ?? '';
    expect(
      tags(lockedForm, 'input')
        .filter((t) => t.attrs.get('type') !== 'hidden')
        .every((t) => t.attrs.has('disabled')),
    ).toBe(true);
    expect(only(tags(lockedForm, 'button')).attrs.has('disabled')).toBe(true);
  });
});

describe('renderVerifyPage on renderCodePage', () => {
  it('has exactly one code input and passes recoveryAction through', () => {
    const page = renderVerifyPage({
      siteName: 'Acme Files',
      words: EN,
      mountPath: '/2fa',
      csrfToken: 'c',
      method: channelMethod('email'),
      maskedDestination: 'a•••e@acme.test',
      offerTrust: true,
      trustChecked: true,
      trustDays: 30,
      otherMethods: [channelMethod('sms')],
      codeDisabled: false,
      recoveryAction: '/2fa/recovery',
    });
    expect(tags(page, 'input').filter((t) => t.attrs.get('name') === 'code')).toHaveLength(1);
    expect(page).toContain('<form method="post" action="/2fa/recovery">');
    expect(visibleText(page)).toContain(strings.recoverySummary);
    expectSafePage(page, 'c', STYLESHEET, STYLESHEET_HASH);
  });
});

describe('renderCodePage: when the code expires and a new one can be sent', () => {
  const now = Date.UTC(2026, 10, 23, 10, 32, 5);
  const note = (page: string) => /<p class="hint" id="code-note">([\s\S]*?)<\/p>/.exec(page)?.[1];
  const noteText = (page: string) => note(page)?.replace(/<[^>]+>/g, '');

  it('says both as clock times under the field, marked up as <time>, and the field is described by them', () => {
    const page = renderCodePage(model({ codeTimes: { now, codeExpiresAt: now + 600_000, resendAt: now + 30_000 } }));
    expect(note(page)).toBe(
      'The code expires at <time datetime="2026-11-23T10:42:05.000Z">10:42 UTC</time>. You can ask for a new code at <time datetime="2026-11-23T10:33:00.000Z">10:33 UTC</time>.',
    );
    expect(only(tags(page, 'input'), (t) => t.attrs.get('name') === 'code').attrs.get('aria-describedby')).toBe('code-note');
    expectSafePage(page, 'csrf-token-123', STYLESHEET, STYLESHEET_HASH);
  });

  it('rounds the resend time up to the minute (never a time the send is still refused) and leaves it out once passed', () => {
    const sharp = renderCodePage(model({ codeTimes: { now, codeExpiresAt: now + 600_000, resendAt: Date.UTC(2026, 10, 23, 10, 33) } }));
    expect(noteText(sharp)).toBe('The code expires at 10:42 UTC. You can ask for a new code at 10:33 UTC.');
    const passed = renderCodePage(model({ codeTimes: { now, codeExpiresAt: now + 600_000, resendAt: now } }));
    expect(note(passed)).toBe('The code expires at <time datetime="2026-11-23T10:42:05.000Z">10:42 UTC</time>.');
  });

  it('says "expired" once the code is past its time, beside the error that describes the field too', () => {
    const page = renderCodePage(
      model({
        notice: { kind: 'error', text: strings.codeExpired },
        answerRefused: true,
        codeTimes: { now, codeExpiresAt: now - 1, resendAt: now - 1 },
      }),
    );
    expect(noteText(page)).toBe('The code expired at 10:32 UTC.');
    const input = only(tags(page, 'input'), (t) => t.attrs.get('name') === 'code');
    expect(input.attrs.get('aria-describedby')).toBe('notice code-note');
    expect(input.attrs.get('aria-invalid')).toBe('true');
  });

  it('says nothing without times, with only a passed resend time, or for a method with its own control', () => {
    expect(renderCodePage(model())).not.toContain('code-note');
    expect(renderCodePage(model({ codeTimes: { now, resendAt: now - 1 } }))).not.toContain('code-note');
    const prompt = renderCodePage(
      model({ answer: html`<button type="button">Use a passkey</button>`, codeTimes: { now, codeExpiresAt: now + 1 } }),
    );
    expect(prompt).not.toContain('code-note');
  });

  it('goes through the verify page', () => {
    const page = renderVerifyPage({
      siteName: 'Acme',
      words: EN,
      mountPath: '/2fa',
      csrfToken: 'c',
      method: channelMethod('email'),
      maskedDestination: 'a•••e@acme.test',
      offerTrust: false,
      trustChecked: false,
      trustDays: 30,
      otherMethods: [],
      codeDisabled: false,
      codeTimes: { now, codeExpiresAt: now + 600_000 },
    });
    expect(noteText(page)).toBe('The code expires at 10:42 UTC.');
  });
});
