import type { CodePurpose } from '../core/channel';
import { oneLine, renderEmail, type RenderedEmail } from './email-layout';
import type { Words } from './words';

export interface CodeEmailModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
  purpose: CodePurpose;
  /** The reader's language. */
  words: Words;
}

export type { RenderedEmail };

export interface CodeTextModel {
  siteName: string;
  code: string;
  expiresInMinutes: number;
  /** The reader's language. */
  words: Words;
}

/**
 * The verification-code email. The subject starts with the code so it can be read from a
 * notification without opening the message.
 */
export function renderCodeEmail({ siteName, code, expiresInMinutes, purpose, words }: CodeEmailModel): RenderedEmail {
  const { t } = words;
  const site = oneLine(siteName);
  return renderEmail({
    siteName: site,
    lang: words.lang,
    subject: t.codeSubject(oneLine(code), site),
    blocks: [
      { kind: 'text', text: t.codeIntro(site, purpose) },
      { kind: 'code', code },
      { kind: 'text', text: t.codeExpires(expiresInMinutes) },
      { kind: 'fine', text: t.notYou(purpose) },
    ],
  });
}

/** The SMS body: short, code first. */
export function renderCodeSms({ siteName, code, expiresInMinutes, words }: CodeTextModel): string {
  return words.t.codeSms(code, oneLine(siteName), expiresInMinutes);
}

/**
 * The words for a voice call: the code digit by digit, separated by commas so text-to-speech
 * pauses between them, said twice. Plain text; the caller builds (and escapes) the TwiML.
 */
export function renderCodeSpeech({ siteName, code, expiresInMinutes, words }: CodeTextModel): string {
  const digits = Array.from(code.replace(/\s+/g, '')).join(', ');
  return `${words.t.codeSpeech(oneLine(siteName), digits)} ${words.t.codeSpeechExpires(expiresInMinutes)}`;
}
