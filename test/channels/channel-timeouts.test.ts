/**
 * The channel timeout reaches the clients themselves (not only the library's own timer around every
 * send): nodemailer's connection, greeting and socket timeouts and the Twilio SDK's request timeout.
 * Each channel is called directly here, so only the client's own timeout can end the wait.
 */
import type { Twilio } from 'twilio';
import { DEFAULT_CHANNEL_TIMEOUT_MS } from '../../src/channels/timeouts';
import type { CodeMessage } from '../../src/core/channel';
import { EmailChannel } from '../../src/channels/email-channel';
import { SmsChannel } from '../../src/channels/sms-channel';
import { createTwilioClient } from '../../src/channels/twilio-client';
import { VoiceChannel } from '../../src/channels/voice-channel';
import { DeliveryError } from '../../src/errors';
import { parseOptions } from '../../src/options';
import { startBlackHole, type BlackHole } from '../helpers/black-hole';
import { TEST_SECRET } from '../helpers/test-app';

const TIMEOUT_MS = 300;
const SLACK_MS = 2500;
const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'f'.repeat(32);
const FROM = '+15017122661';

let hole: BlackHole | undefined;
afterEach(async () => {
  await hole?.stop();
  hole = undefined;
});

function message(to: string): CodeMessage {
  return { to, code: '493817', purpose: 'sign-in', siteName: 'Acme', expiresInMinutes: 10, locale: 'en' };
}

/** How long `send` took to fail, and with what. */
async function timedFailure(send: () => Promise<void>): Promise<{ error: unknown; elapsedMs: number }> {
  const started = Date.now();
  const error = await send().then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, elapsedMs: Date.now() - started };
}

/** The options nodemailer's SMTP transport runs with, inside an EmailChannel. */
function smtpOptions(channel: EmailChannel): Record<string, unknown> {
  return (channel as unknown as { transport: { transporter: { options: Record<string, unknown> } } }).transport.transporter.options;
}

describe('the channel timeout inside the clients', () => {
  test.each([
    ['accepts and never greets', undefined],
    ['greets and then goes silent', '220 mail.test ESMTP'],
  ])(
    'an SMTP server that %s: nodemailer gives up after the channel timeout',
    async (_label, greeting) => {
      hole = await startBlackHole(greeting === undefined ? {} : { greeting });
      const channel = new EmailChannel(
        { transport: `smtp://127.0.0.1:${hole.port}`, from: 'security@acme.test' },
        { timeoutMs: TIMEOUT_MS },
      );
      const { error, elapsedMs } = await timedFailure(() => channel.send(message('alice@acme.test')));
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).tryAnotherMethod).toBe(true);
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      await hole.allClosed(SLACK_MS);
      channel.close();
    },
    10_000,
  );

  test.each([
    [
      'SMS',
      (apiUrl: string) => new SmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl }, { timeoutMs: TIMEOUT_MS }),
    ],
    [
      'voice',
      (apiUrl: string) =>
        new VoiceChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl }, { timeoutMs: TIMEOUT_MS }),
    ],
  ])(
    'a Twilio API that never answers: the SDK gives up on the %s after the channel timeout',
    async (_label, channelFor) => {
      hole = await startBlackHole();
      const channel = channelFor(`http://127.0.0.1:${hole.port}`);
      const { error, elapsedMs } = await timedFailure(() => channel.send(message('+14155552671')));
      expect(error).toBeInstanceOf(DeliveryError);
      expect((error as DeliveryError).code).toBe('ERR_2FA_PROVIDER');
      expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
      expect(elapsedMs).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      await hole.allClosed(SLACK_MS);
    },
    10_000,
  );
});

describe('the default channel timeout', () => {
  test('is at most 8 s, and is what the options resolve to', () => {
    expect(DEFAULT_CHANNEL_TIMEOUT_MS).toBeLessThanOrEqual(8000);
    const config = parseOptions({
      secret: TEST_SECRET,
      users: { find: async () => undefined },
      email: { transport: 'smtp://127.0.0.1:25', from: 'a@b.test' },
    });
    expect(config.channelTimeoutMs).toBe(DEFAULT_CHANNEL_TIMEOUT_MS);
  });

  test("is nodemailer's connection, greeting, socket and DNS timeout (an SMTP URL given in the options)", () => {
    const channel = new EmailChannel({ transport: 'smtp://user:pass@mail.example.test:587', from: 'security@acme.test' });
    expect(smtpOptions(channel)).toMatchObject({
      host: 'mail.example.test',
      port: 587,
      connectionTimeout: DEFAULT_CHANNEL_TIMEOUT_MS,
      greetingTimeout: DEFAULT_CHANNEL_TIMEOUT_MS,
      socketTimeout: DEFAULT_CHANNEL_TIMEOUT_MS,
      dnsTimeout: DEFAULT_CHANNEL_TIMEOUT_MS,
    });
    channel.close();
  });

  test("is the Twilio SDK's request timeout, with Twilio's own URL and with `apiUrl`", () => {
    // The library types its client structurally; a client it builds from credentials is the SDK's own.
    const own = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM }).client as Twilio;
    expect(own.timeout).toBe(DEFAULT_CHANNEL_TIMEOUT_MS);
    expect(own.httpClient?.defaultTimeout).toBe(DEFAULT_CHANNEL_TIMEOUT_MS);
    const standIn = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: 'http://127.0.0.1:4010' })
      .client as Twilio;
    expect(standIn.httpClient?.defaultTimeout).toBe(DEFAULT_CHANNEL_TIMEOUT_MS);
  });
});
