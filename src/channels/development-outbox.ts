import type { DeliveryMethod } from '../types';
import { maskDestination, maskEmail } from '../core/mask';
import type { NoticeMailer, NoticeReader, SecurityNotice } from '../core/notices';
import type { Channel, CodeMessage } from '../core/channel';

export interface OutboxEntry {
  at: number;
  method: DeliveryMethod;
  to: string;
  code: string;
  purpose: string;
}

/**
 * Development only: codes are printed to the console and listed on `<mountPath>/outbox` instead of
 * being sent. The library uses it only when NODE_ENV is "development" and no real channel is set.
 */
export class DevelopmentOutbox implements NoticeMailer {
  private readonly entries: OutboxEntry[] = [];

  constructor(
    private readonly log: (line: string) => void = console.log,
    private readonly keep = 50,
  ) {}

  /** A channel that delivers to this outbox. */
  channel(method: DeliveryMethod): Channel {
    return { method, send: async (message) => this.record(method, message) };
  }

  /** Security notices are only printed: they carry no code. */
  async sendNotice(to: string, notice: SecurityNotice, _siteName: string, reader: NoticeReader): Promise<void> {
    this.log(`[2fa outbox] notice to ${maskEmail(to)} (${reader.locale}): ${notice.kind}`);
  }

  /** Recent messages, newest first. */
  messages(): readonly OutboxEntry[] {
    return [...this.entries].reverse();
  }

  private record(method: DeliveryMethod, message: CodeMessage): void {
    this.entries.push({ at: Date.now(), method, to: message.to, code: message.code, purpose: message.purpose });
    if (this.entries.length > this.keep) this.entries.shift();
    this.log(`[2fa outbox] ${method} to ${maskDestination(method, message.to)}: code ${message.code}`);
  }
}
