import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import { EN } from '../helpers/words';
import { renderPhoneEntryPage, type PhoneEntryPageModel } from '../../src/views/phone-page';
import { STYLESHEET, STYLESHEET_HASH } from '../../src/views/styles';
import { en as strings } from '../../src/views/strings';
import { EVIL, EVIL_ESCAPED, expectSafePage, forms, only, tags, visibleText } from './helpers';

function model(overrides: Partial<PhoneEntryPageModel> = {}): PhoneEntryPageModel {
  return {
    siteName: 'Acme Files',
    words: EN,
    csrfToken: 'csrf-token-123',
    context: 'sign-in',
    action: '/2fa/phone',
    method: 'sms',
    cancel: { action: '/2fa/sign-out', label: strings.signOutButton },
    ...overrides,
  };
}

const phoneInput = (page: string) => only(tags(page, 'input'), (t) => t.attrs.get('name') === 'phone');
const radios = (page: string) => tags(page, 'input').filter((t) => t.attrs.get('name') === 'method');

describe('renderPhoneEntryPage', () => {
  it('is a safe page with _csrf in both forms', () => {
    const page = renderPhoneEntryPage(model());
    expectSafePage(page, 'csrf-token-123', STYLESHEET, STYLESHEET_HASH);
    expect(tags(page, 'form').map((t) => t.attrs.get('action'))).toEqual(['/2fa/phone', '/2fa/sign-out']);
  });

  it('asks to add a number at sign-in, and says why', () => {
    const page = renderPhoneEntryPage(model());
    expect(page).toContain('<h1>Add your phone number</h1>');
    expect(visibleText(page)).toContain('Your account needs a phone number for verification codes. We’ll send a code to confirm it.');
  });

  it('asks to change the number in settings, or to add one when there is none', () => {
    const change = renderPhoneEntryPage(model({ context: 'settings', cancel: { action: '/2fa/settings/cancel', label: strings.cancel } }));
    expect(change).toContain('<h1>Change your phone number</h1>');
    expect(visibleText(change)).not.toContain('Your account needs a phone number');
    const add = renderPhoneEntryPage(model({ context: 'settings', hasPhone: false }));
    expect(add).toContain('<h1>Add your phone number</h1>');
  });

  it('has a labelled tel input with the phone autofill attributes and the country-code hint', () => {
    const page = renderPhoneEntryPage(model());
    const input = phoneInput(page);
    expect(input.attrs.get('type')).toBe('tel');
    expect(input.attrs.get('autocomplete')).toBe('tel');
    expect(input.attrs.get('inputmode')).toBe('tel');
    expect(input.attrs.get('maxlength')).toBe('32');
    expect(input.attrs.has('required')).toBe(true);
    expect(input.attrs.has('value')).toBe(false);
    expect(page).toContain(`<label for="${input.attrs.get('id')}">Phone number</label>`);
    const hintId = input.attrs.get('aria-describedby');
    expect(page).toContain(`<p class="hint" id="${hintId}">Include the country code, e.g. +1 415 555 0100</p>`);
    expect(forms(page)[0]).toContain('name="phone"');
  });

  it('offers text message and phone call as a radio group named "method", preselecting the model’s', () => {
    const sms = renderPhoneEntryPage(model());
    expect(radios(sms).map((r) => [r.attrs.get('type'), r.attrs.get('value'), r.attrs.has('checked')])).toEqual([
      ['radio', 'sms', true],
      ['radio', 'voice', false],
    ]);
    expect(sms).toMatch(/<fieldset class="choices">\s*<legend>How should we send the code\?<\/legend>/);
    expect(sms).toContain('<label for="method-sms">Text message</label>');
    expect(sms).toContain('<label for="method-voice">Phone call</label>');
    const voice = renderPhoneEntryPage(model({ method: 'voice' }));
    expect(
      radios(voice)
        .filter((r) => r.attrs.has('checked'))
        .map((r) => r.attrs.get('value')),
    ).toEqual(['voice']);
    expect(forms(sms)[0]).toContain('<button type="submit" class="btn-primary">Send code</button>');
  });

  it('shows the cancel action as its own form', () => {
    const page = renderPhoneEntryPage(model());
    const cancel = forms(page)[1] ?? '';
    expect(cancel).toContain('action="/2fa/sign-out"');
    expect(visibleText(cancel)).toBe('Cancel and sign out');
    expect(cancel).not.toContain('name="phone"');
  });

  it('shows an error, points the input at it and keeps what was typed', () => {
    const page = renderPhoneEntryPage(model({ phone: '+1 900 555 0100', notice: { kind: 'error', text: strings.phoneNotMobileOrFixed } }));
    const input = phoneInput(page);
    expect(input.attrs.get('value')).toBe('+1 900 555 0100');
    expect(input.attrs.get('aria-invalid')).toBe('true');
    expect(input.attrs.get('aria-describedby')).toBe('phone-hint notice');
    expect(only(tags(page, 'div'), (t) => t.attrs.get('role') === 'alert').attrs.get('id')).toBe('notice');
    expect(visibleText(page)).toContain(
      'That number can’t receive verification codes (premium-rate, toll-free and similar numbers are not supported).',
    );
  });

  it('escapes the typed number, the site name, the notice and the cancel action', () => {
    const page = renderPhoneEntryPage(
      model({
        siteName: EVIL,
        words: EN,
        phone: EVIL,
        csrfToken: EVIL,
        action: `/p${EVIL}`,
        notice: { kind: 'error', text: EVIL },
        cancel: { action: `/c${EVIL}`, label: EVIL },
      }),
    );
    expect(page).not.toMatch(/<script|<img/i);
    expect(phoneInput(page).attrs.get('value')).toBe(EVIL_ESCAPED);
    expect(page).toContain(`<header class="site">${EVIL_ESCAPED}</header>`);
    expectSafePage(page, EVIL_ESCAPED, STYLESHEET, STYLESHEET_HASH);
  });
});

describe('phone strings', () => {
  it('words the enrolment errors and confirmations', () => {
    expect(strings.phoneInvalid).toBe('That doesn’t look like a phone number. Include the country code, e.g. +1 415 555 0100.');
    expect(strings.phoneCountryNotAllowed).toBe('We can’t send codes to numbers in that country.');
    expect(strings.phoneCantReceive('sms')).toBe('That number can’t receive text messages.');
    expect(strings.phoneCantReceive('voice')).toBe('That number can’t receive calls.');
    expect(strings.phoneSendLimited).toBe('Too many codes were sent to that number or from your network. Try again later.');
    expect(CHANNEL_STRINGS.email.reauthIntro('a•••e@acme.test')).toBe('First, confirm it’s you: we sent a code to a•••e@acme.test.');
    expect(CHANNEL_STRINGS.voice.reauthIntro('•••• 0006')).toBe('First, confirm it’s you: we’re calling •••• 0006 with a code.');
    expect(`${CHANNEL_STRINGS.voice.intro('•••• 0006')} ${strings.confirmNumber}`).toBe(
      'We’re calling •••• 0006 to read you a 6-digit code. Enter it to confirm the number.',
    );
    expect(CHANNEL_STRINGS.sms.chosen).toBe('From now on, we’ll send your codes by text message.');
    expect(strings.useDifferentNumber).toBe('Use a different number');
  });
});
