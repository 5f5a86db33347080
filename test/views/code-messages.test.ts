import { renderCodeEmail, renderCodeSms, renderCodeSpeech } from '../../src/views/code-email';
import { EN } from '../helpers/words';
import { EVIL, visibleText } from './helpers';

describe('renderCodeEmail', () => {
  const email = renderCodeEmail({ siteName: 'Acme Files', code: '123456', expiresInMinutes: 10, purpose: 'sign-in', words: EN });

  it('puts the code first in the subject', () => {
    expect(email.subject).toBe('123456 is your Acme Files verification code');
  });

  it.each(['text', 'html'] as const)('the %s part has the code, the site, the expiry and the "not you" warning', (part) => {
    const body = part === 'html' ? visibleText(email.html) : email.text;
    expect(body).toContain('123456');
    expect(body).toContain('Acme Files');
    expect(body).toContain('This code expires in 10 minutes.');
    expect(body).toMatch(/If you didn’t try to sign in, someone may know your password: change it now/);
    expect(body).toMatch(/don’t share this code/);
  });

  it('shows the code in large monospace in the HTML part, without tables or scripts', () => {
    expect(email.html).toMatch(/<p style="[^"]*font-family:ui-monospace[^"]*font-size:34px[^"]*">123456<\/p>/);
    expect(email.html).not.toMatch(/<table|<script/i);
  });

  it('says "minute" for one minute and words the enrol-phone purpose differently', () => {
    const one = renderCodeEmail({ siteName: 'Acme', code: '000111', expiresInMinutes: 1, purpose: 'enroll-phone', words: EN });
    expect(one.text).toContain('This code expires in 1 minute.');
    expect(one.text).toContain('confirm your phone number for Acme');
    expect(one.text).toContain('If you didn’t ask for this code');
    expect(one.subject.startsWith('000111 ')).toBe(true);
  });

  it('escapes the site name in the HTML part and keeps header line breaks out of the subject', () => {
    const evil = renderCodeEmail({
      siteName: `${EVIL}\r\nBcc: x@evil.test`,
      code: '123456',
      expiresInMinutes: 10,
      purpose: 'sign-in',
      words: EN,
    });
    expect(evil.html).not.toMatch(/<script|<img/i);
    expect(evil.html).toContain('&lt;script&gt;');
    expect(evil.subject).not.toMatch(/[\r\n]/);
    expect(evil.subject.startsWith('123456 is your ')).toBe(true);
  });
});

describe('renderCodeSms', () => {
  it('is short, starts with the code and says not to share it', () => {
    const sms = renderCodeSms({ siteName: 'Acme Files', code: '123456', expiresInMinutes: 10, words: EN });
    expect(sms).toBe("123456 is your Acme Files verification code. It expires in 10 minutes. Don't share it.");
    expect(sms.length).toBeLessThanOrEqual(160);
    // GSM-7 friendly: no curly quotes that would force UCS-2.
    expect(sms).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe('renderCodeSpeech', () => {
  it('speaks the digits one by one, twice, with pauses', () => {
    const speech = renderCodeSpeech({ siteName: 'Acme Files', code: '123456', expiresInMinutes: 10, words: EN });
    expect(speech).toContain('Your Acme Files verification code is: 1, 2, 3, 4, 5, 6. Again: 1, 2, 3, 4, 5, 6.');
    expect(speech.match(/1, 2, 3, 4, 5, 6/g)).toHaveLength(2);
    expect(speech).not.toContain('123456');
    expect(speech).not.toMatch(/</);
  });

  it('keeps leading zeros', () => {
    expect(renderCodeSpeech({ siteName: 'Acme', code: '007001', expiresInMinutes: 5, words: EN })).toContain('0, 0, 7, 0, 0, 1.');
  });
});
