import express5 from 'express';
import session from 'express-session';
import type { Express } from 'express';
import { deviceTwoFactor, type DeviceTwoFactor, type DeviceTwoFactorOptions, type UserIdentity } from '../../src';

// Express 4 comes from the `express4` npm alias; its API is the same for what the tests use. Required,
// not imported: the alias has no types of its own, so it borrows Express 5's.
const express4 = require('express4') as typeof express5;

export const EXPRESS_VERSIONS = [
  ['Express 4', express4],
  ['Express 5', express5],
] as const;

export const TEST_SECRET = 'test-secret-that-is-long-enough-to-pass-validation';

export const TEST_USERS: Record<string, UserIdentity> = {
  alice: { id: 'u-alice', email: 'alice@acme.test', accountId: 'acme' },
  bob: { id: 'u-bob', email: 'bob@acme.test', accountId: 'acme' },
  carol: { id: 'u-carol', email: 'carol@globex.test', accountId: 'globex' },
  dan: { id: 'u-dan', email: 'dan@globex.test', accountId: 'globex' },
};

export interface TestApp {
  app: Express;
  twoFactor: DeviceTwoFactor;
}

export interface TestAppOptions {
  express?: typeof express5;
  smtpUrl: string;
  options?: Partial<DeviceTwoFactorOptions>;
  sessionStore?: session.Store;
  /** More host routes, mounted before the error handler. */
  hostRoutes?: (app: Express) => void;
  /** Mount the library in one line, `app.use(twoFactor)`, instead of `router` and `guard` apart. */
  oneMount?: boolean;
}

/**
 * A small host app as a real one would be: its own login route (any password "right" is accepted
 * for the demo users), a dashboard only a verified session may see, an exempt API route.
 */
export function createTestApp({
  express = express5,
  smtpUrl,
  options = {},
  sessionStore,
  hostRoutes,
  oneMount = false,
}: TestAppOptions): TestApp {
  const twoFactor = deviceTwoFactor({
    secret: TEST_SECRET,
    users: {
      find: async (id) => Object.values(TEST_USERS).find((u) => u.id === id),
      listByAccount: async (accountId) => Object.values(TEST_USERS).filter((u) => u.accountId === accountId),
    },
    email: { transport: smtpUrl, from: '"Test" <security@test.example>' },
    siteName: 'Test Site',
    cookie: { secure: false },
    allowWhilePending: ['/login'],
    exempt: (req) => req.headers.authorization === 'Bearer test-token',
    ...options,
  });
  const app = express();
  app.use(
    session({
      secret: 'session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
      ...(sessionStore ? { store: sessionStore } : {}),
    }),
  );
  if (oneMount) {
    app.use(twoFactor);
  } else {
    app.use(twoFactor.router);
    app.use(twoFactor.guard);
  }
  app.post('/login', express.urlencoded({ extended: false }), async (req, res) => {
    const user = Object.values(TEST_USERS).find((u) => u.email === req.body.email);
    if (!user || req.body.password !== 'right') {
      res.status(401).send('Wrong email or password');
      return;
    }
    const outcome = await twoFactor.passwordVerified(req, res, user.id, { returnTo: req.body.returnTo });
    // Exempt clients (API tokens) are the host's to answer: the library neither redirects nor sets cookies.
    if (outcome.status === 'exempt') res.json({ userId: user.id });
  });
  app.get('/', (req, res) => {
    const userId = twoFactor.verifiedUserId(req);
    if (!userId) {
      res.redirect('/login');
      return;
    }
    res.send(`Signed in as ${Object.values(TEST_USERS).find((u) => u.id === userId)?.email}`);
  });
  // The host's own admin check stands in front of the library's admin router; here a header says
  // which account the (pretend) signed-in admin belongs to.
  app.use(
    '/admin/2fa',
    (req, res, next) => (req.headers['x-admin-account'] ? next() : res.status(401).json({ error: 'not an admin' })),
    twoFactor.adminRouter({ account: (req) => req.headers['x-admin-account'] as string, adminId: () => 'test-admin' }),
  );
  app.get('/api/me', (req, res) => {
    res.json({ ok: req.headers.authorization === 'Bearer test-token' });
  });
  hostRoutes?.(app);
  // Last, as the README says: a session store (or 2FA store) outage becomes the 503 "try again" answer.
  app.use(twoFactor.errorHandler);
  return { app, twoFactor };
}

/** The CSRF token of a page rendered by the library. */
export function csrfFrom(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('No _csrf field on the page');
  return token;
}

/** The session cookie's value from a response, to compare session ids. */
export function sessionCookie(setCookie: string[] | string | undefined): string | undefined {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.find((c) => c.startsWith('connect.sid='))?.split(';')[0];
}
