import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError } from '../errors';
import type { NoticeMailer, SecurityNotice } from '../core/notices';
import { renderCodeEmail } from '../views/code-email';
import { renderNoticeEmail, type NoticeEmailModels } from '../views/notice-email';
import type { EmailOptions } from '../types';
import type { Channel, CodeMessage } from '../core/channel';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type ChannelClientOptions } from './timeouts';

/** Sends codes (the default method for every user) and security notices by email through nodemailer. */
export class EmailChannel implements Channel, NoticeMailer {
  readonly method = 'email' as const;
  private readonly transport: Transporter;
  private readonly ownsTransport: boolean;

  /**
   * From an SMTP URL the channel builds its own transport, with `timeoutMs` as nodemailer's
   * connection, greeting, socket and DNS timeouts (theirs are 2 min, 30 s, 10 min and 30 s). A
   * transport you pass keeps the timeouts you gave it; the library stops waiting for it after
   * `channelTimeoutMs` all the same.
   */
  constructor(
    private readonly options: EmailOptions,
    { timeoutMs = DEFAULT_CHANNEL_TIMEOUT_MS }: ChannelClientOptions = {},
  ) {
    this.ownsTransport = typeof options.transport === 'string';
    this.transport =
      typeof options.transport === 'string'
        ? nodemailer.createTransport({
            url: options.transport,
            connectionTimeout: timeoutMs,
            greetingTimeout: timeoutMs,
            socketTimeout: timeoutMs,
            dnsTimeout: timeoutMs,
          })
        : options.transport;
  }

  async send(message: CodeMessage): Promise<void> {
    const { subject, text, html } = renderCodeEmail(message);
    try {
      await this.transport.sendMail({ from: this.options.from, to: message.to, subject, text, html });
    } catch (error) {
      throw new DeliveryError('The email could not be sent.', { tryAnotherMethod: true, cause: error });
    }
  }

  async sendNotice(to: string, notice: SecurityNotice, siteName: string): Promise<void> {
    const { subject, text, html } = renderNoticeEmail(notice.kind, { siteName, ...notice } as NoticeEmailModels[typeof notice.kind]);
    await this.transport.sendMail({ from: this.options.from, to, subject, text, html });
  }

  close(): void {
    if (this.ownsTransport) this.transport.close();
  }
}
