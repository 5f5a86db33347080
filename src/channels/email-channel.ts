import nodemailer, { type Transporter } from 'nodemailer';
import { DeliveryError } from '../errors';
import { renderCodeEmail } from '../views/code-email';
import type { EmailOptions } from '../types';
import type { Channel, CodeMessage } from './channel';

/** Sends codes by email through nodemailer: the default method for every user. */
export class EmailChannel implements Channel {
  readonly method = 'email' as const;
  private readonly transport: Transporter;
  private readonly ownsTransport: boolean;

  constructor(private readonly options: EmailOptions) {
    this.ownsTransport = typeof options.transport === 'string';
    this.transport = typeof options.transport === 'string' ? nodemailer.createTransport(options.transport) : options.transport;
  }

  async send(message: CodeMessage): Promise<void> {
    const { subject, text, html } = renderCodeEmail(message);
    try {
      await this.transport.sendMail({ from: this.options.from, to: message.to, subject, text, html });
    } catch (error) {
      throw new DeliveryError('The email could not be sent.', { tryAnotherMethod: true, cause: error });
    }
  }

  close(): void {
    if (this.ownsTransport) this.transport.close();
  }
}
