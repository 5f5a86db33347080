import type { NextFunction, Request, Response } from 'express';
import type { Channel } from './core/channel';
import { DevelopmentOutbox } from './channels/development-outbox';
import { EmailChannel } from './channels/email-channel';
import { SmsChannel } from './channels/sms-channel';
import { VoiceChannel } from './channels/voice-channel';
import { accountAdmin, unlockUser } from './core/account-admin';
import { enableAccountSessionPolicy, switchUserSessionPolicy } from './core/session-policy-settings';
import { switchUserClients } from './core/client-access';
import { Challenges } from './core/challenges';
import { Events, type Actor } from './core/events';
import { failClosed } from './core/fail-closed';
import { Readiness } from './core/readiness';
import type { NoticeMailer } from './core/notices';
import { Notices } from './core/notices';
import { RecoveryCodes } from './core/recovery-codes';
import { Hasher } from './core/secrets';
import type { DurableStore } from './core/store';
import { durableSettings } from './core/store-settings';
import { TrustedDevices } from './core/trusted-devices';
import { UserDirectory } from './core/users';
import { ConfigurationError, EnforcementIsOneWayError, InvalidArgumentError } from './errors';
import { createAdminRouter } from './http/admin-router';
import type { HttpContext } from './http/http-context';
import { methodServices } from './core/method-services';
import { Methods } from './core/methods';
import { Sealer } from './core/sealing';
import { METHODS } from './methods/registry';
import type { MethodView } from './views/method-view';
import { PAGE_ASSETS } from './views/page-assets';
import { DeviceCookie } from './http/device-cookie';
import { SignedInSessions } from './http/signed-in-sessions';
import { createErrorHandler } from './http/error-handler';
import { createGuard } from './http/guard';
import { isCrossSiteRequest } from './http/origin-check';
import { Languages } from './http/languages';
import { Responder } from './http/responses';
import { createRouter } from './http/router';
import { readState, regenerateSession } from './http/session-state';
import { sessionRoutes } from './http/session-routes';
import { settingsRoutes } from './http/settings-routes';
import { createPasswordVerified } from './http/sign-in';
import { createLogin } from './http/login';
import { verificationRoutes } from './http/verification-routes';
import { DELIVERY_METHODS, factoryAsMiddleware, parseOptions, type Configuration } from './options';
import { MemoryStore } from './stores/memory-store';
import type { DeliveryMethod, DeviceTwoFactor, DeviceTwoFactorOptions, Logger } from './types';

const HOST: Actor = { kind: 'host' };
/** Failed start-up tries of the store that go unreported (100 + 200 ms of back-off). */
const QUIET_TRIES = 2;

/**
 * Creates the two-factor step. Options are validated here, once; a mistake throws a
 * ConfigurationError that says what to fix.
 *
 * ```ts
 * const twoFactor = deviceTwoFactor({ secret, users, email: { transport, from } });
 * app.use(session({ ... }));
 * app.use(twoFactor); // the router and the guard in one middleware
 * // your login route: its password check returns the user id, then the code step or signed in
 * app.post('/login', express.urlencoded({ extended: false }), twoFactor.login(checkPasswordReturningId));
 * ```
 */
export function deviceTwoFactor(options: DeviceTwoFactorOptions): DeviceTwoFactor {
  const config = parseOptions(options);
  const ownStore = config.store === undefined ? new MemoryStore() : undefined;
  const rawStore = config.store ?? (ownStore as MemoryStore);
  // Without a `durableStore` the store keeps durable state too (checked at start-up).
  const rawDurable = config.durableStore ?? (rawStore as typeof rawStore & DurableStore);
  const { logger } = config;
  const store = failClosed(rawStore, config.storeTimeoutMs);
  // The host's own adapters: a failure there is most often a bug of theirs, so it is logged (the
  // library's stores fail when Redis does, which the 503 and the client's own errors report).
  const durable = failClosed(rawDurable, config.storeTimeoutMs, config.durableStore ? adapterFailure(logger, 'durableStore') : undefined);
  const settings = durableSettings(durable, config.now);
  const users = failClosed(config.users, config.storeTimeoutMs, adapterFailure(logger, 'users'));
  const { channels, mailer, outbox, emailChannel } = buildChannels(config);
  const languages = new Languages(config.strings, { locale: config.locale, timeZone: config.timeZone, logger: config.logger });
  config.channels = channels;
  if (config.development && process.env.NODE_ENV === 'production') {
    logger.warn(
      { mountPath: config.mountPath },
      [
        '',
        '!!! express-device-2fa: DEVELOPMENT MODE IS ON WITH NODE_ENV=production !!!',
        `    Codes without a real channel go to the development outbox (the console and ${config.mountPath}/outbox,`,
        '    served to this machine only) instead of being sent, and cookies may not be Secure.',
        '    Remove `development: true` for a real deployment.',
        '',
      ].join('\n'),
    );
  }

  const hasher = new Hasher(config.secret);
  const events = new Events(config.onEvent, config.now, logger);
  const devices = new TrustedDevices(store, hasher, config.trust.ttlMs, config.now, events);
  const directory = new UserDirectory(
    users,
    settings,
    { enforced: config.enforceNewAccounts, sessionPolicy: config.sessionPolicy.forNewAccounts },
    config.now,
  );
  const notices = new Notices(users, mailer, config.notify, config.siteName, config.now, logger, (user, requestLocale) => ({
    locale: languages.outOfBand(user, requestLocale),
    timeZone: languages.timeZoneOf(user),
  }));
  const respond = new Responder(config.siteName, config.storeTimeoutMs, {
    hsts: config.hsts,
    logo: config.logo,
    words: (req) => languages.of(req),
  });
  const challenges = new Challenges(store, channels, hasher, config, events);
  const setup = { channels, siteName: config.siteName, mountPath: config.mountPath, development: config.development };
  const offered = METHODS.flatMap((plugin) => {
    const method = plugin.create({ ...setup, options: (config.methods as Record<string, unknown>)[plugin.id] });
    return method ? [{ method, view: plugin.view }] : [];
  });
  const methodViews = new Map<string, MethodView>(offered.flatMap(({ method, view }) => (view ? [[method.id, view] as const] : [])));
  const ctx: HttpContext = {
    config,
    directory,
    settings,
    challenges,
    methods: new Methods(offered.map(({ method }) => method)),
    methodServices: methodServices(store, durable, challenges, new Sealer(config.secret), config, events),
    methodViews,
    devices,
    recovery: new RecoveryCodes(store, durable, hasher, config, events),
    events,
    notices,
    cookie: new DeviceCookie({ ...config.cookie, maxAgeMs: config.trust.ttlMs, maxPerBrowser: config.trust.maxPerBrowser }),
    respond,
    languages,
    outbox,
    sessions: new SignedInSessions(store, config, config.sessionStore),
  };

  // A store that keeps durable state is asked to keep it safely (a RedisStore refuses an evicting
  // Redis); one that keeps only ephemeral state is not. Until both are known to be usable the step
  // fails closed; a store that is down or slow at start-up is tried again until it answers, and only
  // a refused one stays refused.
  const separate = (rawDurable as object) !== rawStore;
  const readiness = new Readiness(
    async () => {
      const reports = new Map([['store', await store.init?.({ durable: !separate })]]);
      if (separate) reports.set('durableStore', await durable.init?.({ durable: true }));
      for (const [option, report] of reports) {
        for (const warning of report?.warnings ?? []) logger.warn({ option }, warning);
        if (report?.notPersistent) events.emit({ type: 'store.not-persistent', detail: report.notPersistent });
      }
    },
    {
      // A client still connecting as the app starts fails a try or two: only a store that keeps
      // failing (about half a second) is worth a warning.
      retrying(error, _retryInMs, failures) {
        if (failures === QUIET_TRIES + 1) {
          logger.warn(
            { failures },
            `express-device-2fa: the store is not reachable (${reasonOf(error)}); retrying every few seconds. Until it answers, the step answers 503.`,
          );
        }
      },
      usable(failures) {
        if (failures > QUIET_TRIES)
          logger.warn({ failures }, `express-device-2fa: the store answers now (after ${failures} failed tries); the step is open.`);
      },
      refused: (error) => logger.error({ code: error.code }, `express-device-2fa: the store is not usable: ${error.message}`),
    },
  );
  // Refusals are reported above; the host's own `await ready` still sees them.
  readiness.ready.catch(() => undefined);

  const router = createRouter(
    ctx,
    { ...verificationRoutes(ctx), ...settingsRoutes(ctx), ...sessionRoutes(ctx), ...assetRoutes(ctx) },
    readiness,
  );
  const passwordVerified = createPasswordVerified(ctx);
  const { sessions } = ctx;
  const adminDeps = {
    users,
    directory,
    settings,
    devices,
    events,
    notices,
    failures: store,
    now: config.now,
    phone: config.phone,
    sessions,
  };
  const admin = (accountId: string, adminId = 'admin') => accountAdmin(adminDeps, accountId, adminId);
  async function endSessions(userId: string, except: Request | undefined): Promise<number> {
    const count = await sessions.end(userId, except ? { keep: except.sessionID } : {});
    if (count > 0) events.emit({ type: 'sessions.ended', userId, count, by: HOST });
    return count;
  }

  async function passwordVerifiedWhenReady(...[req, res, userId, passwordOptions]: Parameters<DeviceTwoFactor['passwordVerified']>) {
    if (!(await readiness.isReady())) {
      if (passwordOptions?.respond !== false) ctx.respond.unavailable(req, res);
      return { status: 'unavailable' } as const;
    }
    return passwordVerified(req, res, userId, passwordOptions);
  }

  const guard = createGuard(ctx, () => readiness.isReady());
  // `app.use(twoFactor)`: the router, then (for every request that is not the library's) the guard,
  // in one Express layer. Both stay members for hosts that mount them apart.
  function deviceTwoFactorMiddleware(req: Request, res: Response, next: NextFunction): void {
    router(req, res, (error?: unknown) => (error ? next(error) : guard(req, res, next)));
  }
  // Omit<…, never> keeps the members and drops the call signature: the object below is the members.
  const members: Omit<DeviceTwoFactor, never> = {
    router,
    guard,
    sameOriginOnly: (req, res, next) => {
      if (!isCrossSiteRequest(req, config.trustedOrigins, logger)) return next();
      respond.message(req, res, 403, (t) => ({ title: t.crossSiteTitle, text: t.crossSite }));
    },
    errorHandler: createErrorHandler(respond),
    ready: readiness.ready,
    passwordVerified: passwordVerifiedWhenReady,
    login: createLogin(ctx, passwordVerifiedWhenReady),
    isVerified: (req) => readState(req)?.status === 'verified',
    verifiedUserId: (req) => {
      const state = readState(req);
      return state?.status === 'verified' ? state.userId : undefined;
    },
    async signOut(req) {
      const state = readState(req);
      // Best effort: an index entry whose session is gone costs nothing and is cleaned up later.
      if (state?.status === 'verified') await ctx.sessions.forget(state.userId, req.sessionID).catch(() => undefined);
      await regenerateSession(req, config.storeTimeoutMs);
    },
    isRequired: async (userId) => (await directory.load(userId)).required,
    async setUserEnabled(userId, enabled) {
      if (typeof enabled !== 'boolean') throw new InvalidArgumentError('setUserEnabled(userId, enabled): enabled must be true or false.');
      const updated = await settings.updateUserSettings(userId, { enabled });
      events.emit({ type: 'user.2fa-switched', userId, enabled, by: HOST });
      return updated;
    },
    blockClients: (userId, blocked) => switchUserClients(ctx, userId, blocked, HOST),
    setSessionPolicy: (userId, on) => switchUserSessionPolicy(adminDeps, userId, on, HOST),
    enableSessionPolicy: (accountId, on = true) => enableAccountSessionPolicy(adminDeps, accountId, on, HOST),
    async enforceAccount(accountId, enforced = true) {
      // Enforcement is one-way: a JavaScript caller passing `false` gets a clear refusal, not a no-op.
      if ((enforced as boolean) !== true) throw new EnforcementIsOneWayError(accountId);
      const updated = await settings.enforceAccount(accountId);
      events.emit({ type: 'enforcement.enabled', accountId, by: HOST });
      return updated;
    },
    listDevices: (userId) => devices.list(userId),
    revokeDevice: (userId, deviceId) => devices.revoke(userId, deviceId, HOST),
    async revokeAllDevices(userId, options) {
      const count = await devices.revokeAll(userId, HOST);
      // The password-change hook: whoever holds another session of the user is signed out too.
      await endSessions(userId, options?.except);
      return count;
    },
    listSessions: (userId) => sessions.list(userId),
    endSessions: (userId, options) => endSessions(userId, options?.except),
    async generateRecoveryCodes(userId) {
      const codes = await ctx.recovery.generate(userId, HOST);
      notices.send(userId, { kind: 'recovery-generated' });
      return codes;
    },
    unlock: (userId) => unlockUser(adminDeps, userId, HOST),
    admin,
    adminRouter: (routerOptions) => createAdminRouter(admin, respond, { trustedOrigins: config.trustedOrigins, logger }, routerOptions),
    async close() {
      readiness.close();
      // Notices already on their way go out before the transport they use is closed.
      await notices.settle(config.channelTimeoutMs);
      emailChannel?.close();
      await ownStore?.close();
    },
  };
  return Object.assign(deviceTwoFactorMiddleware, members);
}

// Express's `app.use` reads `handle` to tell a sub-app from a middleware: the factory answers that
// read with the fix, so `app.use(deviceTwoFactor)` fails at start-up instead of on every request.
Object.defineProperty(deviceTwoFactor, 'handle', {
  get() {
    throw factoryAsMiddleware();
  },
});

/**
 * Logs a failure of one of the host's adapters (a thrown error or no answer within
 * `storeTimeoutMs`), with the id it was asked about; the caller fails closed (a 503). Start-up
 * checks (`init`) are reported by the readiness warnings instead.
 */
function adapterFailure(logger: Logger, adapter: 'users' | 'durableStore') {
  return (method: string, args: unknown[], error: unknown): void => {
    if (method === 'init') return;
    const id = typeof args[0] === 'string' ? { [/Account/.test(method) ? 'accountId' : 'userId']: args[0] } : {};
    logger.error(
      { adapter: `${adapter}.${method}`, ...id, err: error },
      `express-device-2fa: ${adapter}.${method} failed (${reasonOf(error)}), so the request failed closed (a 503, nobody signed in). Fix the adapter or what it reads.`,
    );
  };
}

/** What went wrong, from a StoreUnavailableError's cause where there is one. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? cause.message : String(cause);
}

/**
 * The channel per method: the host's, then email from `email`, SMS and voice from `twilio`, and in
 * development the outbox for whatever is left. Notices go by email (or to the outbox).
 */
function buildChannels(config: Configuration) {
  const channels: Partial<Record<DeliveryMethod, Channel>> = { ...config.channels };
  // The built-in channels word their messages from the same tables as the pages, the host's words included.
  const client = { timeoutMs: config.channelTimeoutMs, catalog: config.strings };
  const emailChannel = config.email ? new EmailChannel(config.email, client) : undefined;
  if (emailChannel && !channels.email) channels.email = emailChannel;
  if (config.twilio) {
    channels.sms ??= new SmsChannel(config.twilio, client);
    if (config.twilio.from !== undefined) channels.voice ??= new VoiceChannel(config.twilio, client);
  }
  const outbox = config.development ? new DevelopmentOutbox() : undefined;
  if (outbox) for (const method of DELIVERY_METHODS) channels[method] ??= outbox.channel(method);
  const mailer: NoticeMailer | undefined = emailChannel ?? outbox;
  return { channels, mailer, outbox, emailChannel };
}

/**
 * The static files of the library's own pages (the recovery-codes page's script) and of the methods'
 * (a passkey page's), from `<mountPath>/assets/<name>`: never inline, so the CSP allows only these.
 */
function assetRoutes(ctx: HttpContext): Record<string, (req: Request, res: Response) => Promise<void>> {
  const routes: Record<string, (req: Request, res: Response) => Promise<void>> = {};
  const owners = new Map<string, MethodView['assets']>([['the library', PAGE_ASSETS]]);
  for (const [id, view] of ctx.methodViews) owners.set(`"${id}"`, view.assets);
  for (const [owner, assets] of owners) {
    for (const [name, asset] of Object.entries(assets ?? {})) {
      // One folder of assets for all: a second file of the same name would silently win.
      if (routes[`GET /assets/${name}`])
        throw new ConfigurationError(`express-device-2fa: two parts serve an asset named "${name}" (the second is ${owner}). Rename one.`);
      routes[`GET /assets/${name}`] = async (req, res) => ctx.respond.script(req, res, asset.body, asset.type);
    }
  }
  return routes;
}
