import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export interface TestSmtpServer {
  url: string;
  messages: ReceivedMail[];
  /** Resolves with the next message to `to` (or one already received and not yet taken), optionally of a kind. */
  nextMessage(to: string, timeoutMs?: number, matches?: (mail: ReceivedMail) => boolean): Promise<ReceivedMail>;
  /** The next security notice (a message without a code) to `to`, other than a "new sign-in" one. */
  nextNotice(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** The 6-digit code of the next message to `to`. */
  nextCode(to: string, timeoutMs?: number): Promise<string>;
  /** Marks every message received so far as taken, so `nextMessage` waits for new ones. */
  drain(): void;
  /** Makes the next `count` messages fail with an SMTP error. */
  failNext(count?: number): void;
  stop(): Promise<void>;
}

const CODE_SUBJECT = /^\d{6} /;
const NEW_SIGN_IN = /^New sign-in to your /;

/** A real SMTP server (smtp-server) on a free loopback port; nodemailer talks SMTP to it for real. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const waiters: Array<() => void> = [];
  let failures = 0;

  const server = new SMTPServer({
    authOptional: true,
    // The built-in STARTTLS certificate has expired (see shared/STACK.md); loopback needs no TLS.
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (failures > 0) {
        failures -= 1;
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 })));
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
          messages.push({ to, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' });
          for (const wake of waiters.splice(0)) wake();
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;

  async function nextMessage(to: string, timeoutMs = 5000, matches: (mail: ReceivedMail) => boolean = () => true): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = messages.find((m) => !taken.has(m) && m.to.includes(to) && matches(m));
      if (found) {
        taken.add(found);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No email to ${to} arrived within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    nextMessage,
    async nextCode(to, timeoutMs) {
      // Security notices (new browser trusted, …) may arrive in between: codes are what is waited for.
      const mail = await nextMessage(to, timeoutMs, (m) => CODE_SUBJECT.test(m.subject));
      const code = /^(\d{6}) /.exec(mail.subject)?.[1];
      if (!code) throw new Error(`No code in subject "${mail.subject}"`);
      return code;
    },
    // "New sign-in" notices follow most sign-ins; a test waiting for another notice looks past them.
    nextNotice: (to, timeoutMs) => nextMessage(to, timeoutMs, (m) => !CODE_SUBJECT.test(m.subject) && !NEW_SIGN_IN.test(m.subject)),
    drain() {
      for (const m of messages) taken.add(m);
    },
    failNext(count = 1) {
      failures = count;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
