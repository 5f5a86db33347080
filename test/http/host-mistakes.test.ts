/**
 * A host's programming mistake (a wrong argument to a library call, a bug in its `account`
 * function) is an error with a code that goes on to the host's error handler: a 500, never passed
 * off as the client's 400. A client's own mistake in an admin request stays a 400.
 */
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import request from 'supertest';
import { deviceTwoFactor, InvalidArgumentError, MemoryStore, type AdminRouterOptions, type DeviceTwoFactor } from '../../src';
import { EXPRESS_VERSIONS, TEST_SECRET, TEST_USERS } from '../helpers/test-app';

describe.each(EXPRESS_VERSIONS)('%s', (_name, express) => {
  let twoFactor: DeviceTwoFactor;
  let reported: unknown[];
  const dan = TEST_USERS.dan!;

  // Express's own final handler logs each error it answers (outside env "test"); kept off the
  // test output by this spy, which the tests also read.
  let expressLog: jest.SpyInstance;

  beforeEach(() => {
    expressLog = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    reported = [];
    twoFactor = deviceTwoFactor({
      secret: TEST_SECRET,
      users: { find: async (id) => Object.values(TEST_USERS).find((u) => u.id === id) },
      store: new MemoryStore(),
      email: { transport: 'smtp://127.0.0.1:1', from: 'security@test.example' },
      cookie: { secure: false },
    });
  });
  afterEach(async () => {
    await new Promise(setImmediate);
    expressLog.mockRestore();
    await twoFactor.close();
  });

  /** The app as the README wires it, in production, with a logger before Express's own final handler. */
  function app(routes: (app: Express) => void): Express {
    const host = express();
    host.set('env', 'production');
    host.use(express.json());
    routes(host);
    host.use(twoFactor.errorHandler);
    const log: ErrorRequestHandler = (error, _req, _res, next) => {
      reported.push(error);
      next(error);
    };
    host.use(log);
    return host;
  }

  function admin(options: AdminRouterOptions): Express {
    return app((host) => host.use('/admin', twoFactor.adminRouter(options)));
  }

  test('passwordVerified with a user id that is not a string: a 500 with ERR_2FA_INVALID_ARGUMENT, not a 400', async () => {
    // Express 4 does not catch a rejected promise, so the route passes it on as the README shows.
    const login: RequestHandler = (req, res, next) => {
      twoFactor.passwordVerified(req, res, 42 as unknown as string).catch(next);
    };
    const res = await request(app((host) => host.post('/login', login))).post('/login');
    expect(res.status).toBe(500);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(InvalidArgumentError);
    expect(reported[0]).toMatchObject({
      code: 'ERR_2FA_INVALID_ARGUMENT',
      message: expect.stringMatching(/userId must be a non-empty string \(got a number\)/),
    });
  });

  test("a bug in the host's `account` function reaches the host's error handler (500), its message not sent to the client", async () => {
    const buggy = admin({ account: (req) => (req as unknown as { user: { accountId: string } }).user.accountId });
    const res = await request(buggy).get('/admin/users');
    expect(res.status).toBe(500);
    expect(res.text).not.toMatch(/Cannot read properties/);
    expect(reported[0]).toBeInstanceOf(TypeError);
    await new Promise(setImmediate); // Express logs on the next turn
    // Express 4 logs the stack, Express 5 the error itself: the host has its log line either way.
    expect(String(expressLog.mock.calls[0]?.[0])).toMatch(/TypeError: Cannot read properties/);
  });

  test('an `account` function returning a number: a 500 with ERR_2FA_INVALID_ARGUMENT', async () => {
    const res = await request(admin({ account: () => 42 as unknown as string })).get('/admin/users');
    expect(res.status).toBe(500);
    expect(reported[0]).toMatchObject({ code: 'ERR_2FA_INVALID_ARGUMENT' });
  });

  test.each([
    ['PUT', `/admin/users/${dan.id}/2fa`, { enabled: 'yes' }, /"enabled": true or false/],
    ['PUT', `/admin/users/${dan.id}/clients`, {}, /"blocked": true or false/],
    ['PUT', '/admin/account/clients', { blocked: 1 }, /"blocked": true or false/],
    ['PUT', `/admin/users/${dan.id}/session-policy`, { on: 'on' }, /"on": true or false/],
    ['PUT', `/admin/users/${dan.id}/phone`, { phone: '+14155552671', method: 'fax' }, /"method" must be "sms" or "voice"/],
  ])("the admin client's own bad body on %s %s stays a JSON 400, and nothing changes", async (method, path, body, message) => {
    const host = admin({ account: () => 'globex' });
    const res = await request(host)[method.toLowerCase() as 'put'](path).set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', message: expect.stringMatching(message) });
    expect(reported).toEqual([]);
    expect(await twoFactor.admin('globex').getUser(dan.id)).toMatchObject({
      enabled: false,
      blockClients: false,
      sessionPolicy: false,
      unverifiedPhone: null,
    });
  });
});
