import { DevelopmentOutbox } from './channels/development-outbox';
import { EmailChannel } from './channels/email-channel';
import type { Channel } from './channels/channel';
import { Challenges } from './core/challenges';
import { Events, type Actor } from './core/events';
import { failClosed } from './core/fail-closed';
import { Hasher } from './core/secrets';
import { storeSettings } from './core/store-settings';
import { TrustedDevices } from './core/trusted-devices';
import { UserDirectory } from './core/users';
import { EnforcementIsOneWayError } from './errors';
import { unavailable, type HttpContext } from './http/context';
import { DeviceCookie } from './http/device-cookie';
import { createGuard } from './http/guard';
import { Responder } from './http/responses';
import { createRouter } from './http/router';
import { readState, regenerateSession } from './http/session-state';
import { createPasswordVerified } from './http/sign-in';
import { verificationRoutes } from './http/verification-routes';
import { parseOptions, DELIVERY_METHODS } from './options';
import { MemoryStore } from './stores/memory-store';
import type { DeliveryMethod, DeviceTwoFactor, DeviceTwoFactorOptions } from './types';

const HOST: Actor = { kind: 'host' };

/**
 * Creates the two-factor step. Options are validated here, once; a mistake throws a
 * ConfigurationError that says what to fix.
 *
 * ```ts
 * const twoFactor = deviceTwoFactor({ secret, users, email: { transport, from } });
 * app.use(session({ ... }));
 * app.use(twoFactor.router);
 * app.use(twoFactor.guard);
 * // in your login route, once the password is right:
 * await twoFactor.passwordVerified(req, res, user.id, { returnTo: req.body.returnTo });
 * ```
 */
export function deviceTwoFactor(options: DeviceTwoFactorOptions): DeviceTwoFactor {
  const config = parseOptions(options);
  const ownStore = config.store === undefined ? new MemoryStore() : undefined;
  const rawStore = config.store ?? (ownStore as MemoryStore);
  const store = failClosed(rawStore, config.storeTimeoutMs);
  const settings = failClosed(config.settings ?? storeSettings(rawStore, config.now), config.storeTimeoutMs);
  const users = failClosed(config.users, config.storeTimeoutMs);

  const emailChannel = config.email ? new EmailChannel(config.email) : undefined;
  const outbox = config.development ? new DevelopmentOutbox() : undefined;
  const channels: Partial<Record<DeliveryMethod, Channel>> = { ...config.channels };
  if (emailChannel && !channels.email) channels.email = emailChannel;
  // In development, every method without a real channel delivers to the outbox.
  if (outbox) for (const method of DELIVERY_METHODS) channels[method] ??= outbox.channel(method);
  config.channels = channels;

  const hasher = new Hasher(config.secret);
  const events = new Events(config.onEvent, config.now);
  const devices = new TrustedDevices(store, hasher, config.trust.ttlMs, config.now, events);
  const directory = new UserDirectory(users, settings, config.enforceNewAccounts, config.now);
  const ctx: HttpContext = {
    config,
    directory,
    challenges: new Challenges(store, channels, hasher, config, events),
    devices,
    cookie: new DeviceCookie({ ...config.cookie, maxAgeMs: config.trust.ttlMs, maxPerBrowser: config.trust.maxPerBrowser }),
    respond: new Responder(config.siteName),
    outbox,
  };

  const ready = Promise.resolve(rawStore.init?.({ durable: config.settings === undefined }));
  // Surface a refused store at start-up even if the host never awaits `ready`.
  ready.catch((error: unknown) => console.error(`express-device-2fa: the store is not usable: ${(error as Error).message}`));
  const router = createRouter(ctx, verificationRoutes(ctx));
  const passwordVerified = createPasswordVerified(ctx);
  // Until the store is known to be usable (and forever, if it was refused), the step fails closed.
  let usable = false;
  ready.then(() => (usable = true), () => undefined);

  return {
    router: (req, res, next) => (usable ? router(req, res, next) : ready.then(() => router(req, res, next), () => unavailable(ctx, req, res))),
    guard: createGuard(ctx),
    ready,
    passwordVerified: async (req, res, userId, passwordOptions) => {
      if (!usable && !(await ready.then(() => true, () => false))) {
        if (passwordOptions?.respond !== false) unavailable(ctx, req, res);
        return { status: 'unavailable' };
      }
      return passwordVerified(req, res, userId, passwordOptions);
    },
    isVerified: (req) => readState(req)?.status === 'verified',
    verifiedUserId: (req) => {
      const state = readState(req);
      return state?.status === 'verified' ? state.userId : undefined;
    },
    signOut: (req) => regenerateSession(req),
    isRequired: async (userId) => (await directory.load(userId)).required,
    setUserEnabled: async (userId, enabled) => {
      if (typeof enabled !== 'boolean') throw new TypeError('setUserEnabled(userId, enabled): enabled must be true or false.');
      const updated = await settings.updateUserSettings(userId, { enabled });
      events.emit({ type: 'user.2fa-switched', userId, enabled, by: HOST });
      return updated;
    },
    enforceAccount: async (accountId, enforced = true) => {
      // Enforcement is one-way: a JavaScript caller passing `false` gets a clear refusal, not a no-op.
      if ((enforced as boolean) !== true) throw new EnforcementIsOneWayError(accountId);
      const updated = await settings.enforceAccount(accountId);
      events.emit({ type: 'enforcement.enabled', accountId, by: HOST });
      return updated;
    },
    listDevices: (userId) => devices.list(userId),
    revokeDevice: (userId, deviceId) => devices.revoke(userId, deviceId, HOST),
    revokeAllDevices: (userId) => devices.revokeAll(userId, HOST),
    close: async () => {
      emailChannel?.close();
      await ownStore?.close();
    },
  };
}
