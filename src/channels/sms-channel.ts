import { isE164 } from '../core/phone';
import { shippedCatalog } from '../methods/shipped-catalog';
import type { Catalog } from '../views/catalog';
import { renderCodeSms } from '../views/code-email';
import type { Channel, CodeMessage } from '../core/channel';
import type { ChannelClientOptions } from './timeouts';
import type { TwilioOptions } from '../types';
import { createTwilioClient, twilioDeliveryError, type TwilioConnection } from './twilio-client';

/**
 * Sends codes by text message through Twilio (`messages.create`). Uses the Messaging Service when
 * `messagingServiceSid` is set, the `from` number otherwise. Pass the same `createTwilioClient(...)`
 * result to `SmsChannel` and `VoiceChannel` to share one client.
 */
export class SmsChannel implements Channel {
  readonly method = 'sms' as const;
  private readonly twilio: TwilioConnection;
  private readonly catalog: Catalog;

  /** `client.timeoutMs` bounds each request of a client built from credentials (default 8 s). */
  constructor(options: TwilioOptions, client: ChannelClientOptions = {}) {
    this.twilio = createTwilioClient(options, client);
    this.catalog = client.catalog ?? shippedCatalog();
  }

  async send(message: CodeMessage): Promise<void> {
    const context = { method: this.method, to: message.to, code: message.code };
    if (!isE164(message.to)) throw twilioDeliveryError({ code: 21211, status: 400 }, context);
    const { client, messagingServiceSid, from } = this.twilio;
    const body = renderCodeSms({ ...message, words: this.catalog.words(message.locale) });
    try {
      await client.messages.create(
        messagingServiceSid !== undefined ? { to: message.to, messagingServiceSid, body } : { to: message.to, from, body },
      );
    } catch (error) {
      throw twilioDeliveryError(error, context);
    }
  }
}
