import { isE164 } from '../core/phone';
import { ConfigurationError } from '../errors';
import { shippedCatalog } from '../methods/shipped-catalog';
import type { Catalog } from '../views/catalog';
import { renderCodeSpeech, type CodeTextModel } from '../views/code-email';
import type { Channel, CodeMessage } from '../core/channel';
import type { ChannelClientOptions } from './timeouts';
import type { TwilioOptions } from '../types';
import { createTwilioClient, twilioDeliveryError, type TwilioConnection } from './twilio-client';

/**
 * Reads codes out in an automated call through Twilio (`calls.create`). The TwiML goes inline with
 * the request, so no public callback URL is needed. Needs a `from` number (a Messaging Service
 * cannot place calls).
 */
export class VoiceChannel implements Channel {
  readonly method = 'voice' as const;
  private readonly twilio: TwilioConnection & { from: string };
  private readonly catalog: Catalog;

  /** `client.timeoutMs` bounds each request of a client built from credentials (default 8 s). */
  constructor(options: TwilioOptions, client: ChannelClientOptions = {}) {
    const twilio = createTwilioClient(options, client);
    const { from } = twilio;
    if (from === undefined) {
      throw new ConfigurationError(
        'Twilio voice calls need `from`: a voice-capable Twilio number in E.164, e.g. "+15017122661". A `messagingServiceSid` only sends texts.',
      );
    }
    this.twilio = { ...twilio, from };
    this.catalog = client.catalog ?? shippedCatalog();
  }

  async send(message: CodeMessage): Promise<void> {
    const context = { method: this.method, to: message.to, code: message.code };
    if (!isE164(message.to)) throw twilioDeliveryError({ code: 21211, status: 400 }, context);
    try {
      await this.twilio.client.calls.create({
        to: message.to,
        from: this.twilio.from,
        twiml: renderCodeTwiml({ ...message, words: this.catalog.words(message.locale) }),
      });
    } catch (error) {
      throw twilioDeliveryError(error, context);
    }
  }
}

/**
 * The call's TwiML: the words of `renderCodeSpeech` (the code digit by digit, commas between the
 * digits, said twice), with a one-second `<Pause>` after each reading of the code so it comes
 * slowly (the text is split after each sentence that ends in a digit), read in the table's
 * `voiceLanguage` (en-US, de-DE, es-ES). Every piece of text is XML-escaped.
 */
export function renderCodeTwiml(model: CodeTextModel): string {
  const sentences = renderCodeSpeech(model)
    .split(/(?<=\d\.)\s+/)
    .filter((sentence) => sentence.trim() !== '');
  const language = escapeXml(model.words.t.voiceLanguage);
  const says = sentences.map((sentence) => `<Say voice="alice" language="${language}">${escapeXml(sentence)}</Say>`);
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${says.join('<Pause length="1"/>')}</Response>`;
}

/** Text for XML content or attributes: the five special characters escaped, characters XML 1.0 forbids dropped. */
function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
