import { startSmtpServer, type TestSmtpServer } from './smtp-server';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in';

/** The Twilio account the stand-in accepts, and the number codes come from. */
export const TWILIO_ACCOUNT = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'stand-in-auth-token', from: '+15017122661' } as const;

/**
 * Real SMTP and the Twilio stand-in for one test file: started before its tests, stopped after.
 * The two objects forward to the running servers, so a file can name them at its top.
 */
export function messagingServices(): { smtp: TestSmtpServer; twilio: TwilioStandIn } {
  let running: { smtp: TestSmtpServer; twilio: TwilioStandIn } | undefined;
  beforeAll(async () => {
    const [smtp, twilio] = await Promise.all([startSmtpServer(), startTwilioStandIn(TWILIO_ACCOUNT)]);
    running = { smtp, twilio };
  });
  afterAll(async () => {
    await Promise.all([running?.smtp.stop(), running?.twilio.stop()]);
  });
  const live = <T extends object>(pick: (services: NonNullable<typeof running>) => T): T =>
    new Proxy({} as T, {
      get(_target, property) {
        if (!running) throw new Error('The messaging services start in beforeAll: use them inside a test or hook.');
        const server = pick(running);
        const value: unknown = Reflect.get(server, property);
        return typeof value === 'function' ? value.bind(server) : value;
      },
    });
  return { smtp: live((s) => s.smtp), twilio: live((s) => s.twilio) };
}
