import { RedisStore as SessionRedisStore } from 'connect-redis';
import session from 'express-session';
import type { Redis } from 'ioredis';
import { startRedis, type TestRedis } from './redis-server';
import { servicesForFile } from './services';
import { startSmtpServer, type TestSmtpServer } from './smtp-server';
import { startTwilioStandIn, type TwilioStandIn } from './twilio-stand-in';

/** The Twilio account the stand-in accepts, and the number codes come from. */
export const TWILIO_ACCOUNT = { accountSid: `AC${'0'.repeat(32)}`, authToken: 'stand-in-auth-token', from: '+15017122661' } as const;

/** Real SMTP and the Twilio stand-in for one test file. */
export function messagingServices(): { smtp: TestSmtpServer; twilio: TwilioStandIn } {
  return servicesForFile(
    ['smtp', 'twilio'],
    async () => {
      const [smtp, twilio] = await Promise.all([startSmtpServer(), startTwilioStandIn(TWILIO_ACCOUNT)]);
      return { smtp, twilio };
    },
    ({ smtp, twilio }) => Promise.all([smtp.stop(), twilio.stop()]),
  );
}

/** Real SMTP and a private redis-server (with one client) for one test file. */
export function smtpAndRedis(): { smtp: TestSmtpServer; redis: TestRedis; client: Redis } {
  return servicesForFile(
    ['smtp', 'redis', 'client'],
    async () => {
      const [smtp, redis] = await Promise.all([startSmtpServer(), startRedis()]);
      return { smtp, redis, client: redis.client() };
    },
    ({ smtp, redis }) => Promise.all([smtp.stop(), redis.stop()]),
  );
}

/** The two real session stores the session tests run on, for `describe.each`. */
export function sessionStoreKinds(client: Redis) {
  return [
    ['express-session MemoryStore', (): session.Store => new session.MemoryStore()],
    ['connect-redis on Redis', (): session.Store => new SessionRedisStore({ client })],
  ] as const;
}
