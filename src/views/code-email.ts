import type { CodePurpose } from '../channels/channel';
import { html } from './html';
import { strings } from './strings';

export interface CodeEmailModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
  purpose: CodePurpose;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface CodeTextModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
}

/** Header-safe text: no line breaks or other control characters, runs of white space collapsed. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The verification-code email. The subject starts with the code so it can be read from a
 * notification without opening the message.
 */
export function renderCodeEmail({ siteName, code, expiresInMinutes, purpose }: CodeEmailModel): RenderedEmail {
  const site = oneLine(siteName);
  const subject = strings.codeSubject(oneLine(code), site);
  const intro = strings.codeIntro(site, purpose);
  const expires = strings.codeExpires(expiresInMinutes);
  const notYou = strings.notYou(purpose);

  const text = `${intro}\n\n    ${code}\n\n${expires}\n\n${notYou}\n\n— ${site}\n`;

  const body = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${subject}</title>
</head>
<body style="margin:0;padding:24px 16px;background:#f3f4f6;color:#1b1f24;font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;font-size:16px;line-height:1.5;">
<div style="max-width:480px;margin:0 auto;padding:32px 28px;background:#ffffff;border:1px solid #dde1e6;border-radius:12px;">
<p style="margin:0 0 16px;font-size:18px;font-weight:600;">${site}</p>
<p style="margin:0 0 16px;">${intro}</p>
<p style="margin:0 0 16px;padding:16px 16px 16px 24px;background:#f3f4f6;border-radius:8px;text-align:center;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;font-size:34px;font-weight:700;letter-spacing:8px;color:#1b1f24;">${code}</p>
<p style="margin:0 0 16px;">${expires}</p>
<p style="margin:0;color:#4d5560;font-size:14px;">${notYou}</p>
</div>
</body>
</html>
`.toString();

  return { subject, text, html: body };
}

/** The SMS body: short, code first. */
export function renderCodeSms({ siteName, code, expiresInMinutes }: CodeTextModel): string {
  return strings.codeSms(code, oneLine(siteName), expiresInMinutes);
}

/**
 * The words for a voice call: the code digit by digit, separated by commas so text-to-speech
 * pauses between them, said twice. Plain text; the caller builds (and escapes) the TwiML.
 */
export function renderCodeSpeech({ siteName, code, expiresInMinutes }: CodeTextModel): string {
  const digits = Array.from(code.replace(/\s+/g, '')).join(', ');
  return `${strings.codeSpeech(oneLine(siteName), digits)} ${strings.codeSpeechExpires(expiresInMinutes)}`;
}
