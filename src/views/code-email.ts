import type { CodePurpose } from '../core/channel';
import { oneLine, renderEmail, type RenderedEmail } from './email-layout';
import { strings } from './strings';

export interface CodeEmailModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
  purpose: CodePurpose;
}

export type { RenderedEmail };

export interface CodeTextModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
}

/**
 * The verification-code email. The subject starts with the code so it can be read from a
 * notification without opening the message.
 */
export function renderCodeEmail({ siteName, code, expiresInMinutes, purpose }: CodeEmailModel): RenderedEmail {
  const site = oneLine(siteName);
  return renderEmail({
    siteName: site,
    subject: strings.codeSubject(oneLine(code), site),
    blocks: [
      { kind: 'text', text: strings.codeIntro(site, purpose) },
      { kind: 'code', code },
      { kind: 'text', text: strings.codeExpires(expiresInMinutes) },
      { kind: 'fine', text: strings.notYou(purpose) },
    ],
  });
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
