/**
 * The library stores its session changes itself, bounded, before it answers (issue #9, items 10 and
 * 11). On a real Redis behind connect-redis: that costs no extra command (express-session neither
 * saves the same session again nor touches it), and the stored expiry is as fresh as
 * express-session's own.
 */
import { RedisStore as SessionRedisStore } from 'connect-redis';
import session from 'express-session';
import request from 'supertest';
import { deviceTwoFactor, type DeviceTwoFactor } from '../../src';
import { scanKeys } from '../helpers/redis-server';
import { smtpAndRedis } from '../helpers/messaging';
import { csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS } from '../helpers/test-app';

const MAX_AGE_MS = 60_000;

const { smtp, client } = smtpAndRedis();

async function commands(): Promise<Record<string, number>> {
  const stats = await client.info('commandstats');
  return Object.fromEntries([...stats.matchAll(/cmdstat_(\w+):calls=(\d+)/g)].map(([, name, calls]) => [name!, Number(calls)]));
}

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  let twoFactor: DeviceTwoFactor;
  let agent: ReturnType<typeof request.agent>;
  let csrf: string;
  beforeEach(async () => {
    smtp.drain();
    await client.flushall();
    twoFactor = deviceTwoFactor({
      secret: TEST_SECRET,
      users: { find: async (id) => Object.values(TEST_USERS).find((u) => u.id === id) },
      email: { transport: smtp.url, from: 'security@test.example' },
      cookie: { secure: false },
      // A resend a second later sends a new code.
      resendWaitMs: 1000,
    });
    await twoFactor.enforceAccount('acme');
    const app = express();
    app.use(
      session({
        secret: 'session-secret',
        resave: false,
        saveUninitialized: false,
        store: new SessionRedisStore({ client }),
        cookie: { maxAge: MAX_AGE_MS },
      }),
    );
    app.use(twoFactor.router);
    app.post('/login', async (req, res) => {
      await twoFactor.passwordVerified(req, res, TEST_USERS.alice!.id);
    });
    agent = request.agent(app);
    await agent.post('/login');
    await smtp.nextCode('alice@acme.test');
    csrf = csrfFrom((await agent.get('/2fa')).text);
  });
  afterEach(() => twoFactor.close());

  /** The session commands the request sent, from INFO commandstats. */
  async function sessionCommands(send: () => Promise<unknown>): Promise<{ set: number; expire: number }> {
    const before = await commands();
    await send();
    const after = await commands();
    return { set: (after.set ?? 0) - (before.set ?? 0), expire: (after.expire ?? 0) - (before.expire ?? 0) };
  }

  test('a step that changes the session: one SET, no second save or touch, and the expiry starts from the step', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = await sessionCommands(async () =>
      expect((await agent.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(303),
    );
    expect(sent).toEqual({ set: 1, expire: 0 });
    const [key] = await scanKeys(client, 'sess:*');
    expect(await client.pttl(key!)).toBeGreaterThan(MAX_AGE_MS - 1000);
  });

  test("a step that leaves the session as it was: only express-session's touch, as without the library", async () => {
    // Throttled: the first code is a moment old, and the page points where it pointed.
    const sent = await sessionCommands(async () =>
      expect((await agent.post('/2fa/resend').type('form').send({ _csrf: csrf })).status).toBe(429),
    );
    expect(sent).toEqual({ set: 0, expire: 1 });
  });
});
