/**
 * The `logger` option: what the library has to say (a host adapter that fails, a code that could
 * not be delivered, start-up warnings) goes to the host's logger, pino-style `warn(context,
 * message)`, with the context that helps (user id, method, error code) and never a secret: the
 * `secret`, a code, a device or session token, a full phone number, the Twilio auth token. Every
 * line logged in this file is checked for all of them.
 */
import request from 'supertest';
import { deviceTwoFactor, MemoryStore, type Logger } from '../../src';
import { RedisStore } from '../../src/redis';
import { DEFAULT_USER_SETTINGS } from '../../src/core/policy';
import { messagingServices, TWILIO_ACCOUNT } from '../helpers/messaging';
import { startRedis } from '../helpers/redis-server';
import { createTestApp, csrfFrom, EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS, type TestApp } from '../helpers/test-app';
import { INVALID_TO_NUMBER, smsCode } from '../helpers/twilio-stand-in';

const { smtp, twilio } = messagingServices();
const BOB_PHONE = '+15005550006';

interface Line {
  level: 'warn' | 'error';
  context: Record<string, unknown>;
  message: string;
}

/** The host's logger as pino is called: each line recorded (the library's own code calls it). */
function recordingLogger(): { lines: Line[]; logger: Logger } {
  const lines: Line[] = [];
  return {
    lines,
    logger: {
      warn: (context, message) => void lines.push({ level: 'warn', context, message }),
      error: (context, message) => void lines.push({ level: 'error', context, message }),
    },
  };
}

/** A line as a log shipper would write it: errors with their message, stack and cause. */
function serialised(lines: Line[]): string {
  return JSON.stringify(lines, (_key, value: unknown) =>
    value instanceof Error ? { ...value, name: value.name, message: value.message, stack: value.stack, cause: value.cause } : value,
  );
}

/** Every secret that went over the wire in this file: codes sent, cookies set. */
const secrets = new Set<string>([TEST_SECRET, TWILIO_ACCOUNT.authToken, BOB_PHONE, BOB_PHONE.slice(1), BOB_PHONE.slice(2)]);
function noteSecrets(res: request.Response): void {
  for (const cookie of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const value = decodeURIComponent(cookie.split(';')[0]!.split('=').slice(1).join('='));
    // The session id (connect.sid=s:<id>.<signature>) and the device token (its secret part).
    for (const part of value.replace(/^s:/, '').split(/[.~]/)) if (part.length >= 16) secrets.add(part);
  }
}

const recorded: Line[] = [];
afterAll(() => {
  for (const mail of smtp.messages) for (const code of `${mail.subject} ${mail.text}`.match(/\b\d{6}\b/g) ?? []) secrets.add(code);
  for (const sent of twilio.requests) if (sent.body) secrets.add(smsCode(sent.body));
  const log = serialised(recorded);
  expect(recorded.length).toBeGreaterThan(10);
  for (const secret of secrets) expect({ secret, found: log.includes(secret) }).toEqual({ secret, found: false });
  expect(log).not.toMatch(/\+\d{8,15}/);
});

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  let store: MemoryStore;
  let host: TestApp | undefined;
  let log: ReturnType<typeof recordingLogger>;

  beforeEach(async () => {
    smtp.drain();
    twilio.drain();
    store = new MemoryStore();
    await store.updateUserSettings(TEST_USERS.bob!.id, { enabled: true, method: 'sms', phone: BOB_PHONE }, DEFAULT_USER_SETTINGS);
    log = recordingLogger();
  });
  afterEach(async () => {
    recorded.push(...log.lines);
    await host?.twoFactor.close();
    host = undefined;
    await store.close();
  });

  function build(options: Parameters<typeof createTestApp>[0]['options'] = {}): TestApp {
    host = createTestApp({
      express,
      smtpUrl: smtp.url,
      options: {
        store,
        logger: log.logger,
        twilio: {
          accountSid: TWILIO_ACCOUNT.accountSid,
          authToken: TWILIO_ACCOUNT.authToken,
          from: TWILIO_ACCOUNT.from,
          apiUrl: twilio.url,
        },
        ...options,
      },
    });
    return host;
  }

  async function login(app: TestApp, email: string, agent = request.agent(app.app)) {
    const res = await agent.post('/login').type('form').send({ email, password: 'right' });
    noteSecrets(res);
    return { agent, res };
  }

  test("users.find throwing: the 503, and one error line naming the adapter, the user and the host's own error", async () => {
    const app = build({
      users: {
        find: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'rows')");
        },
      },
    });
    const { res } = await login(app, 'alice@acme.test');
    expect(res.status).toBe(503);
    expect(log.lines).toEqual([
      {
        level: 'error',
        context: {
          adapter: 'users.find',
          userId: 'u-alice',
          err: expect.objectContaining({ name: 'TypeError', message: expect.stringMatching(/reading 'rows'/) }),
        },
        message: expect.stringMatching(/users\.find failed \(Cannot read properties.*\).*503/),
      },
    ]);
  });

  test('a durable store of your own that fails: the 503 and an error line naming the method', async () => {
    const durableStore = new Proxy(new MemoryStore(), {
      get: (target, property, receiver) =>
        property === 'getUserSettings'
          ? async () => {
              throw Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' });
            }
          : Reflect.get(target, property, receiver),
    });
    const app = build({ durableStore });
    expect((await login(app, 'alice@acme.test')).res.status).toBe(503);
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'error',
        context: expect.objectContaining({ adapter: 'durableStore.getUserSettings', userId: 'u-alice' }),
      }),
    ]);
  });

  test('an email code the mail server refuses: a warning with the user, method, masked address and error codes', async () => {
    const app = build();
    await app.twoFactor.setUserEnabled(TEST_USERS.alice!.id, true);
    smtp.failNext();
    const { agent, res } = await login(app, 'alice@acme.test');
    expect(res.headers.location).toBe('/2fa');
    expect((await agent.get('/2fa')).text).toContain('We couldn’t send a code');
    expect(log.lines).toEqual([
      {
        level: 'warn',
        context: {
          userId: 'u-alice',
          purpose: 'sign-in',
          method: 'email',
          destination: expect.stringMatching(/^a•+e@acme\.test$/),
          code: 'ERR_2FA_DELIVERY_FAILED',
          causeCode: 'EMESSAGE',
        },
        message: expect.stringMatching(/email code could not be delivered/),
      },
    ]);
  });

  test("an SMS Twilio refuses, whose error message echoes the number: logged masked, with Twilio's code mapped", async () => {
    const app = build();
    twilio.failNext(INVALID_TO_NUMBER);
    const { agent } = await login(app, 'bob@acme.test');
    expect((await agent.get('/2fa')).text).toContain('We couldn’t send a code');
    expect(log.lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: { userId: 'u-bob', purpose: 'sign-in', method: 'sms', destination: '•••• 0006', code: 'ERR_2FA_INVALID_NUMBER' },
      }),
    ]);
    // The sign-in goes on by email; nothing more is logged.
    const page = await agent.get('/2fa');
    const resent = await agent
      .post('/2fa/resend')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), method: 'email' });
    expect(resent.status).toBe(303);
    const done = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: await smtp.nextCode('bob@acme.test'), trust: '1' });
    expect(done.status).toBe(303);
    noteSecrets(done);
    expect(log.lines).toHaveLength(1);
  });

  test('a throwing onEvent hook and a notice the mail server refuses: an error line each, no event body, no address', async () => {
    const app = build({
      onEvent: (event) => {
        if (event.type === 'device.trusted') throw new Error('audit log down');
      },
    });
    await app.twoFactor.setUserEnabled(TEST_USERS.alice!.id, true);
    const { agent } = await login(app, 'alice@acme.test');
    const page = await agent.get('/2fa');
    const code = await smtp.nextCode('alice@acme.test');
    // The "new sign-in" and "browser trusted" notices follow the code: the first of them fails.
    smtp.failNext();
    const done = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code, trust: '1' });
    expect(done.status).toBe(303);
    noteSecrets(done);
    await app.twoFactor.close();
    expect(log.lines).toEqual(
      expect.arrayContaining([
        {
          level: 'error',
          context: { event: 'device.trusted', err: expect.objectContaining({ message: 'audit log down' }) },
          message: expect.stringMatching(/onEvent hook failed/),
        },
        {
          level: 'error',
          context: expect.objectContaining({ userId: 'u-alice', notice: expect.any(String), code: 'EMESSAGE' }),
          message: expect.stringMatching(/notice could not be sent/),
        },
      ]),
    );
    expect(serialised(log.lines)).not.toContain('alice@acme.test');
  });

  test("a post from this site's https origin arriving as http (no trust proxy): one warning naming both", async () => {
    const app = build();
    const res = await request(app.app)
      .post('/2fa/verify')
      .set('Host', 'example.test')
      .set('Origin', 'https://example.test')
      .type('form')
      .send({});
    expect(res.status).toBe(403);
    // Once per process: another test file may have had it first.
    for (const line of log.lines)
      expect(line).toEqual({
        level: 'warn',
        context: { origin: 'https://example.test', arrivedAs: 'http://example.test' },
        message: expect.stringMatching(/trust proxy/),
      });
  });
});

describe('start-up warnings go to the logger', () => {
  const previous = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = previous;
  });

  test('development mode and a MemoryStore under NODE_ENV=production: a warning each', async () => {
    process.env.NODE_ENV = 'production';
    const { lines, logger } = recordingLogger();
    const twoFactor = deviceTwoFactor({ secret: TEST_SECRET, users: { find: async () => null }, development: true, logger });
    await twoFactor.ready;
    await twoFactor.close();
    recorded.push(...lines);
    expect(lines).toEqual([
      { level: 'warn', context: { mountPath: '/2fa' }, message: expect.stringMatching(/DEVELOPMENT MODE IS ON WITH NODE_ENV=production/) },
      { level: 'warn', context: { option: 'store' }, message: expect.stringMatching(/MemoryStore is for development/) },
    ]);
  });

  test('a Redis without persistence that keeps durable state: a warning beside the store.not-persistent event', async () => {
    const redis = await startRedis(['--save', '', '--appendonly', 'no']);
    try {
      const { lines, logger } = recordingLogger();
      const twoFactor = deviceTwoFactor({
        secret: TEST_SECRET,
        users: { find: async () => null },
        development: true,
        store: new RedisStore({ client: redis.client() }),
        logger,
      });
      await twoFactor.ready;
      await twoFactor.close();
      recorded.push(...lines);
      expect(lines).toEqual([
        { level: 'warn', context: { option: 'store' }, message: expect.stringMatching(/neither AOF nor RDB saving/) },
      ]);
    } finally {
      await redis.stop();
    }
  });

  test('a Redis down at start-up: a warning while it waits, one once it answers', async () => {
    const redis = await startRedis();
    const client = redis.client({ maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 300, commandTimeout: 300 });
    await redis.kill();
    const { lines, logger } = recordingLogger();
    const twoFactor = deviceTwoFactor({
      secret: TEST_SECRET,
      users: { find: async () => null },
      development: true,
      store: new RedisStore({ client }),
      storeTimeoutMs: 500,
      logger,
    });
    try {
      await waitFor(() => lines.length > 0);
      await redis.restart();
      await twoFactor.ready;
      recorded.push(...lines);
      expect(lines).toEqual([
        { level: 'warn', context: { failures: 3 }, message: expect.stringMatching(/store is not reachable.*retrying/) },
        { level: 'warn', context: { failures: expect.any(Number) }, message: expect.stringMatching(/store answers now/) },
      ]);
    } finally {
      await twoFactor.close();
      client.disconnect();
      await redis.stop();
    }
  });

  test('a logger without warn and error is refused at start-up', () => {
    expect(() =>
      deviceTwoFactor({
        secret: TEST_SECRET,
        users: { find: async () => null },
        development: true,
        logger: { info() {} } as unknown as Logger,
      }),
    ).toThrow('`logger` must be a logger with `warn(context, message)` and `error(context, message)`, such as a pino logger.');
  });
});

async function waitFor(condition: () => boolean, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
