import { CODE_FIELD_PATTERN, MAX_TYPED_CODE } from '../../src/core/challenges';
import { renderVerifyPage, type VerifyPageModel } from '../../src/views/verify-page';
import { EN } from '../helpers/words';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { channelMethod, EVIL, forms, only, sha256Source, styleContents, tags, visibleText } from './helpers';

function model(overrides: Partial<VerifyPageModel> = {}): VerifyPageModel {
  return {
    siteName: 'Acme Files',
    words: EN,
    mountPath: '/2fa',
    csrfToken: 'csrf-token-123',
    method: channelMethod('email'),
    maskedDestination: 'a•••e@acme.test',
    offerTrust: true,
    trustChecked: true,
    trustDays: 30,
    otherMethods: [channelMethod('sms'), channelMethod('voice')],
    codeDisabled: false,
    ...overrides,
  };
}

const codeInput = (page: string) => only(tags(page, 'input'), (t) => t.attrs.get('name') === 'code');
const trustInput = (page: string) => tags(page, 'input').filter((t) => t.attrs.get('name') === 'trust');
const verifyButton = (page: string) => only(tags(page, 'button'), (t) => t.attrs.get('class') === 'btn-primary');

describe('renderVerifyPage: escaping', () => {
  const page = renderVerifyPage(
    model({
      siteName: EVIL,
      words: EN,
      maskedDestination: EVIL,
      csrfToken: EVIL,
      mountPath: `/2fa${EVIL}`,
      notice: { kind: 'error', text: EVIL },
    }),
  );

  it('never lets an attacker-controlled value open a tag', () => {
    expect(EVIL).toContain('<script>');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(tags(page, 'img')).toHaveLength(0);
  });

  it('shows the values escaped, quotes included', () => {
    const escaped = '&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';
    expect(page).toContain(`<header class="site">${escaped}</header>`);
    expect(page).toContain(`<title>${strings.verifyTitle} · ${escaped}</title>`);
    expect(page).toContain(`<strong>${escaped}</strong>`);
    expect(page).toContain(`name="_csrf" value="${escaped}"`);
    expect(page).toContain(`action="/2fa${escaped}/verify"`);
    // Every attribute still parses as one quoted value: the csrf field keeps its whole token.
    for (const t of tags(page, 'input').filter((t) => t.attrs.get('name') === '_csrf')) {
      expect(t.attrs.get('value')).toBe(escaped);
    }
  });
});

describe('renderVerifyPage: document', () => {
  const page = renderVerifyPage(model({ notice: { kind: 'info', text: 'hello' } }));

  it('is a complete HTML5 document with the required head', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).toMatch(/<main>[\s\S]*<h1>Check your email<\/h1>[\s\S]*<\/main>/);
  });

  it('has exactly one <style>, byte for byte STYLESHEET, matching STYLESHEET_HASH', () => {
    const styles = styleContents(page);
    expect(styles).toHaveLength(1);
    expect(styles[0]).toBe(STYLESHEET);
    expect(sha256Source(styles[0] ?? '')).toBe(STYLESHEET_HASH);
    expect(STYLESHEET_HASH).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  });

  it('has no script, no inline handlers, no style attributes and no external resources', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/\son[a-z]+=/i);
    expect(page).not.toMatch(/\sstyle=/i);
    expect(page).not.toMatch(/<link\b|<img\b|src=|https?:\/\//i);
  });
});

describe('renderVerifyPage: forms', () => {
  const page = renderVerifyPage(model());

  it('puts the _csrf hidden input in every form', () => {
    const all = forms(page);
    expect(all.length).toBe(6); // not you, verify, resend, text me, call me, sign out
    for (const form of all) {
      const csrf = only(tags(form, 'input'), (t) => t.attrs.get('name') === '_csrf');
      expect(csrf.attrs.get('type')).toBe('hidden');
      expect(csrf.attrs.get('value')).toBe('csrf-token-123');
      expect(only(tags(form, 'form')).attrs.get('method')).toBe('post');
    }
  });

  it('posts to the routes under mountPath', () => {
    const actions = tags(page, 'form').map((t) => t.attrs.get('action'));
    expect(actions).toEqual(['/2fa/sign-out', '/2fa/verify', '/2fa/resend', '/2fa/resend', '/2fa/resend', '/2fa/sign-out']);
    const trailing = renderVerifyPage(model({ mountPath: '/auth/2fa/' }));
    expect(tags(trailing, 'form').map((t) => t.attrs.get('action'))).toContain('/auth/2fa/verify');
  });

  it('has the code input with the right attributes and a label', () => {
    const input = codeInput(page);
    expect(input.attrs.get('type')).toBe('text');
    expect(input.attrs.get('inputmode')).toBe('numeric');
    expect(input.attrs.get('autocomplete')).toBe('one-time-code');
    // What the server accepts (test/views/code-field.test.ts holds the two together).
    expect(input.attrs.get('pattern')).toBe(CODE_FIELD_PATTERN);
    expect(input.attrs.get('maxlength')).toBe(String(MAX_TYPED_CODE));
    expect(input.attrs.has('autofocus')).toBe(true);
    expect(input.attrs.has('required')).toBe(true);
    expect(input.attrs.has('disabled')).toBe(false);
    const id = input.attrs.get('id');
    expect(only(tags(page, 'label'), (t) => t.attrs.get('for') === id)).toBeDefined();
    expect(page).toContain(`<label for="code">${strings.codeLabel}</label>`);
  });

  it('states where the code went, with the destination in <strong>', () => {
    expect(page).toContain('We sent a 6-digit code to <strong>a•••e@acme.test</strong>.');
  });

  it('has a Verify primary button inside the verify form', () => {
    const verifyForm = forms(page)[1] ?? '';
    expect(verifyForm).toContain('action="/2fa/verify"');
    expect(verifyForm).toMatch(/<button type="submit" class="btn-primary">Verify<\/button>/);
    expect(verifyForm).toContain('name="code"');
  });

  it('has the resend and sign-out forms', () => {
    const [, , resend, , , signOut] = forms(page);
    expect(resend).toContain('>Send a new code</button>');
    expect(resend).not.toContain('name="method"');
    expect(signOut).toContain('action="/2fa/sign-out"');
    expect(signOut).toContain('>Cancel and sign out</button>');
  });

  it('has one form per other method, its submit button named "method"', () => {
    const [sms = '', voice = ''] = forms(page).slice(3, 5);
    for (const [form, value, label] of [
      [sms, 'sms', 'Text me a code'],
      [voice, 'voice', 'Call me with a code'],
    ] as const) {
      const buttons = tags(form, 'button');
      expect(buttons.map((b) => [b.attrs.get('type'), b.attrs.get('name'), b.attrs.get('value')])).toEqual([['submit', 'method', value]]);
      expect(visibleText(form)).toBe(label);
    }
    expect(visibleText(page)).toContain(strings.otherMethodsHeading);
  });

  it('leaves out the other-methods group when there are none', () => {
    const none = renderVerifyPage(model({ otherMethods: [] }));
    expect(forms(none)).toHaveLength(4);
    expect(none).not.toContain('name="method"');
    expect(none).not.toContain(strings.otherMethodsHeading);
  });

  it('never offers the current method as "another way", nor one twice', () => {
    const dup = renderVerifyPage(
      model({ method: channelMethod('sms'), otherMethods: [channelMethod('sms'), channelMethod('email'), channelMethod('email')] }),
    );
    expect(
      tags(dup, 'button')
        .filter((b) => b.attrs.get('name') === 'method')
        .map((b) => b.attrs.get('value')),
    ).toEqual(['email']);
  });
});

describe('renderVerifyPage: trust checkbox', () => {
  it('is present and checked by default', () => {
    const page = renderVerifyPage(model({ trustDays: 30 }));
    const [trust, ...rest] = trustInput(page);
    expect(rest).toHaveLength(0);
    expect(trust?.attrs.get('type')).toBe('checkbox');
    expect(trust?.attrs.get('value')).toBe('1');
    expect(trust?.attrs.has('checked')).toBe(true);
    expect(page).toContain(`<label for="${trust?.attrs.get('id')}">Trust this browser for 30 days</label>`);
    // Inside the verify form, so it is submitted with the code.
    expect(forms(page)[1]).toContain('name="trust"');
  });

  it('is unchecked when trustChecked is false, and says "1 day" for one day', () => {
    const page = renderVerifyPage(model({ trustChecked: false, trustDays: 1 }));
    expect(trustInput(page)[0]?.attrs.has('checked')).toBe(false);
    expect(page).toContain('Trust this browser for 1 day<');
  });

  it('is absent when offerTrust is false', () => {
    const page = renderVerifyPage(model({ offerTrust: false, trustChecked: true }));
    expect(trustInput(page)).toHaveLength(0);
    expect(page).not.toContain('Trust this browser');
  });
});

describe('renderVerifyPage: locked out', () => {
  const page = renderVerifyPage(model({ codeDisabled: true, notice: { kind: 'error', text: strings.lockedFor(15) } }));

  it('disables the code input, the checkbox and the Verify button', () => {
    const input = codeInput(page);
    expect(input.attrs.has('disabled')).toBe(true);
    expect(input.attrs.has('autofocus')).toBe(false);
    expect(trustInput(page)[0]?.attrs.has('disabled')).toBe(true);
    expect(verifyButton(page).attrs.has('disabled')).toBe(true);
    expect(input.attrs.get('aria-describedby')).toBe('notice code-locked');
    expect(page).toContain('Too many failed attempts. Try again in 15 minutes.');
  });

  it('keeps resend and sign-out usable', () => {
    const enabled = tags(page, 'button').filter((b) => !b.attrs.has('disabled'));
    expect(enabled.map((b) => b.attrs.get('value') ?? 'plain')).toEqual(['plain', 'plain', 'sms', 'voice', 'plain']);
  });

  it('enables everything when not locked', () => {
    const open = renderVerifyPage(model());
    expect(tags(open, 'input').some((t) => t.attrs.has('disabled'))).toBe(false);
    expect(tags(open, 'button').some((t) => t.attrs.has('disabled'))).toBe(false);
  });
});

describe('renderVerifyPage: notices', () => {
  it('puts an error in role="alert" and points the input at it', () => {
    const page = renderVerifyPage(model({ notice: { kind: 'error', text: strings.wrongCode(2) }, answerRefused: true }));
    const region = only(tags(page, 'div'), (t) => t.attrs.get('role') === 'alert');
    expect(region.attrs.get('class')).toContain('notice-error');
    expect(codeInput(page).attrs.get('aria-describedby')).toBe(region.attrs.get('id'));
    expect(codeInput(page).attrs.get('aria-invalid')).toBe('true');
    expect(visibleText(page)).toContain('Error: That code isn’t right. You have 2 tries left.');
    expect(tags(page, 'div').some((t) => t.attrs.get('role') === 'status')).toBe(false);
  });

  it('says aria-invalid only when the answer was refused, not when a send failed or must wait', () => {
    const page = renderVerifyPage(model({ notice: { kind: 'error', text: strings.resendIn(20) } }));
    expect(codeInput(page).attrs.has('aria-invalid')).toBe(false);
    expect(codeInput(page).attrs.get('aria-describedby')).toBe('notice');
    const recovery = renderVerifyPage(
      model({
        notice: { kind: 'error', text: strings.recoveryInvalid },
        recoveryAction: '/2fa/recovery',
        recoveryOpen: true,
        answerRefused: true,
      }),
    );
    const field = only(tags(recovery, 'input'), (t) => t.attrs.get('name') === 'recoveryCode');
    expect(field.attrs.get('aria-invalid')).toBe('true');
    expect(codeInput(recovery).attrs.has('aria-invalid')).toBe(false);
  });

  it('puts information in role="status" without describing the input by it', () => {
    const page = renderVerifyPage(model({ notice: { kind: 'info', text: CHANNEL_STRINGS.email.newCodeSent } }));
    const region = only(tags(page, 'div'), (t) => t.attrs.get('role') === 'status');
    expect(region.attrs.get('class')).toContain('notice-info');
    expect(codeInput(page).attrs.has('aria-describedby')).toBe(false);
    expect(codeInput(page).attrs.has('aria-invalid')).toBe(false);
    expect(visibleText(page)).toContain('Note: We sent a new code.');
  });

  it('renders no notice region when there is none', () => {
    const page = renderVerifyPage(model());
    expect(page).not.toMatch(/role="(alert|status)"/);
    expect(page).not.toContain('class="notice');
  });
});

describe('renderVerifyPage: not you', () => {
  it('offers "Not you? Sign out" under the intro, posting to the sign-out route', () => {
    const page = renderVerifyPage(model());
    const [notYou = ''] = forms(page);
    expect(only(tags(notYou, 'form')).attrs.get('action')).toBe('/2fa/sign-out');
    expect(visibleText(notYou)).toBe('Not you? Sign out');
    expect(page.indexOf('class="not-you"')).toBeGreaterThan(page.indexOf('<p class="lead">'));
    expect(page.indexOf('class="not-you"')).toBeLessThan(page.indexOf('action="/2fa/verify"'));
  });
});

describe('renderVerifyPage: per method wording', () => {
  it.each([
    ['email', 'Check your email', 'We sent a 6-digit code to <strong>X</strong>.'],
    ['sms', 'Check your phone', 'We sent a 6-digit code by text message to <strong>X</strong>.'],
    ['voice', 'Answer your phone', 'We’re calling <strong>X</strong> to read you a 6-digit code.'],
  ] as const)('%s', (method, heading, line) => {
    const page = renderVerifyPage(model({ method: channelMethod(method), maskedDestination: 'X', otherMethods: [] }));
    expect(page).toContain(`<h1>${heading}</h1>`);
    expect(page).toContain(line);
  });
});
