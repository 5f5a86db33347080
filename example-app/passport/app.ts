/**
 * The example app's users signing in with Passport (passport 0.7, passport-local) instead of a
 * login route of the app's own: the strategy checks the password, the library the second factor,
 * and Passport's session holds the user (`req.user`) only once the code is done. `npm run
 * start:passport`. The lines that concern the library are marked "2FA".
 *
 * The order of the session ids: the password step leaves the session pending under a new id (the
 * strategy runs with `session: false`, so Passport does not sign in yet); after the code the
 * library signs in under a new id and calls `onSignedIn`, where Passport's `req.login` regenerates
 * once more and keeps the library's state (`keepSessionInfo`); `req.logout` regenerates again and
 * drops both.
 */
import defaultExpress from 'express';
import session from 'express-session';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
// In your app: import { deviceTwoFactor, ... } from 'express-device-2fa';
import { deviceTwoFactor, type DeviceTwoFactor } from '../../src';
import { readConfig } from '../app';
import { csrfToken, requireCsrf } from '../csrf';
import { sendDashboard, sendForbidden, sendLoginPage } from '../pages';
import { checkPassword, createDatabase, DEMO_USERS, durableStore, userAdapter, type Database, type UserRow } from '../users';

export async function createPassportExampleApp(
  env: Record<string, string | undefined>,
  express: typeof defaultExpress = defaultExpress,
): Promise<{ app: defaultExpress.Express; twoFactor: DeviceTwoFactor; db: Database; sessionStore: session.Store; close(): Promise<void> }> {
  const config = readConfig(env);
  const db = await createDatabase();

  // Passport checks the password. Its own instance (not the module's singleton), as an app that
  // builds more than one of these (the tests) needs.
  const auth = new passport.Passport();
  auth.use(
    new LocalStrategy({ usernameField: 'email' }, (email, password, done) => {
      checkPassword(db, email, password).then((user) => done(null, user ?? false), done);
    }),
  );
  auth.serializeUser((user, done) => done(null, (user as UserRow).id));
  auth.deserializeUser((id: string, done) => done(null, db.users.get(id) ?? false));

  // 2FA: created once at start-up (memory store, codes to the development outbox unless SMTP_URL).
  const twoFactor = deviceTwoFactor({
    secret: config.twoFactorSecret,
    users: userAdapter(db),
    durableStore: durableStore(db),
    email: config.email,
    siteName: 'Example Co',
    allowWhilePending: ['/login'],
    cookie: config.plainHttp ? { secure: false } : undefined,
    // 2FA: once the second factor is done (or none is needed), Passport's own sign-in. Its
    // req.login regenerates the session once more; `keepSessionInfo` keeps the library's state.
    onSignedIn: (req, userId) =>
      new Promise((resolve, reject) => {
        req.login(db.users.get(userId) as UserRow, { session: true, keepSessionInfo: true }, (error) =>
          error ? reject(error) : resolve(),
        );
      }),
  });

  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy !== undefined) app.set('trust proxy', config.trustProxy);
  const sessionStore = new session.MemoryStore();
  app.use(
    session({
      name: config.sessionCookie,
      secret: config.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax', secure: !config.plainHttp },
    }),
  );
  // Passport's session: `req.user` from the session, which has a user only once the code is done.
  app.use(auth.session());
  // 2FA: the code page under /2fa, and the guard that keeps half-signed-in sessions out.
  app.use(twoFactor);

  const hint = config.development ? DEMO_USERS.map((u) => u.email) : undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');

  app.get('/login', (req, res) => {
    const error = req.query.failed === '1' ? 'Wrong email or password.' : undefined;
    sendLoginPage(res, error ? 401 : 200, { returnTo: text(req.query.returnTo), csrf: csrfToken(req), hint, ...(error ? { error } : {}) });
  });

  const loginExpired = (res: defaultExpress.Response) =>
    sendForbidden(res, 'This sign-in form has expired. Reload the page and try again.');
  app.post(
    '/login',
    twoFactor.sameOriginOnly,
    express.urlencoded({ extended: false, limit: '4kb' }),
    requireCsrf(loginExpired),
    // The password, by the strategy. `session: false`: Passport does not sign the session in here
    // (req.user is set for this request only); the library decides what comes next.
    auth.authenticate('local', { session: false, failureRedirect: '/login?failed=1' }),
    // 2FA: the code step, or signed in at once (2FA not required, a trusted browser).
    twoFactor.login((req) => (req.user as UserRow).id),
  );

  app.get('/', (req, res) => {
    // Passport's user: there only once the second factor is done.
    const user = req.user as UserRow | undefined;
    if (!user) return res.redirect('/login?returnTo=/');
    sendDashboard(res, { email: user.email, csrf: csrfToken(req), isAdmin: false });
  });

  app.post(
    '/logout',
    twoFactor.sameOriginOnly,
    express.urlencoded({ extended: false, limit: '1kb' }),
    requireCsrf(sendForbidden),
    (req, res, next) => {
      // Passport's logout regenerates the session: the library's signed-in state goes with it.
      req.logout((error) => (error ? next(error) : res.redirect(303, '/login')));
    },
  );

  // 2FA: last. A store outage is the 503 "try again" page, not a 500.
  app.use(twoFactor.errorHandler);

  return { app, twoFactor, db, sessionStore, close: () => twoFactor.close() };
}
