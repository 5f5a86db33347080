import type { Request, Response } from 'express';
import { ConfigurationError, InvalidArgumentError, StoreUnavailableError } from '../errors';
import { withDeadline } from '../core/deadline';
import { noAnswer } from '../core/fail-closed';
import { clientNetwork } from '../core/client-network';
import { deviceLabel } from '../core/device-label';
import { randomToken } from '../core/secrets';
import { hasSessionPolicy } from '../core/session-policy';
import type { LoadedUser } from '../core/users';
import type { PasswordVerifiedOptions, SignInOutcome } from '../types';
import { exemptSignIn, exemptVerdict } from './client-access';
import { proveStep, startMethod } from './flow/prove-step';
import type { HttpContext } from './http-context';
import { sendToPhone } from './phone-enrolment';
import { safeReturnTo } from './return-to';
import {
  clearState,
  commitSession,
  readState,
  regenerateSession,
  sessionOf,
  STATE_VERSION,
  writeState,
  type PendingState,
  type PhoneCodeStep,
  type PhoneMethod,
  type SignInStep,
} from './session-state';

/**
 * The host calls this from its login route once the password is right. It decides whether the
 * session is signed in now (2FA not required, or a trusted browser) or left pending behind a second
 * factor. Either way the session id changes (no fixation).
 */
export function createPasswordVerified(ctx: HttpContext) {
  return async function passwordVerified(
    req: Request,
    res: Response,
    userId: string,
    options: PasswordVerifiedOptions = {},
  ): Promise<SignInOutcome> {
    const { config } = ctx;
    if (typeof userId !== 'string' || userId === '')
      throw new InvalidArgumentError(
        `passwordVerified(req, res, userId): userId must be a non-empty string (got ${userId === '' ? 'an empty string' : `a ${typeof userId}`}).`,
      );
    const respond = options.respond !== false;
    const exempt = exemptVerdict(config, req);
    if (exempt === true) return { status: 'exempt' };
    if (exempt) return exemptSignIn(ctx, req, res, userId, exempt, respond);
    sessionOf(req);
    const returnTo = safeReturnTo(options.returnTo, config.defaultReturnTo);
    try {
      // The device check needs no settings, so it runs alongside them: one round trip, not two.
      const tokens = config.trust.enabled ? ctx.cookie.read(req) : [];
      const [user, device] = await Promise.all([
        ctx.directory.load(userId, { sessionPolicy: true }),
        ctx.devices.recognise(userId, tokens), // no store call unless the browser holds this user's token
      ]);
      const trusted = user.required ? device : null;
      if (!user.required || trusted) {
        await completeSignIn(ctx, req, userId, trusted ? 'trusted-device' : 'other', hasSessionPolicy(user));
        if (respond) ctx.respond.redirect(req, res, returnTo);
        return { status: 'verified', reason: trusted ? 'trusted-device' : 'not-required', redirectTo: returnTo };
      }
      await regenerateSession(req, config.storeTimeoutMs);
      const state = await firstStep(ctx, req, user, returnTo);
      writeState(req, state);
      await commitSession(req, config.storeTimeoutMs);
      if (respond) ctx.respond.redirect(req, res, config.mountPath);
      return { status: 'pending', redirectTo: config.mountPath };
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      clearState(req);
      if (respond) ctx.respond.unavailable(req, res);
      return { status: 'unavailable' };
    }
  };
}

/** The pending sign-in's first step, started (its code sent). */
async function firstStep(ctx: HttpContext, req: Request, user: LoadedUser, returnTo: string): Promise<PendingState> {
  const { config } = ctx;
  const phoneMethod: PhoneMethod = user.settings.method === 'voice' ? 'voice' : 'sms';
  const pending = (flow: SignInStep): PendingState => ({
    v: STATE_VERSION,
    status: 'pending',
    userId: user.identity.id,
    since: config.now(),
    returnTo,
    csrf: randomToken(24),
    flow,
    ...(hasSessionPolicy(user) ? { sessionPolicy: true as const } : {}),
  });
  const addPhone = await needsPhone(ctx, user);
  const typedByAdmin = user.settings.unverifiedPhone;
  const since = config.now();
  if (addPhone && typedByAdmin) {
    // An admin typed the number in (and vouches for it): its code is the second factor, and
    // entering it makes the number the user's.
    const enrolment = { phone: typedByAdmin, method: phoneMethod };
    const step: PhoneCodeStep = {
      step: 'phone-code',
      attempt: randomToken(12),
      since,
      enrolment,
      hadPhone: false,
      adminPhone: true,
      lockedUntil: 0,
    };
    const state = pending(step);
    const sent = await sendToPhone(ctx, req, user.identity, step.attempt, enrolment, false, step);
    if (!sent.ok && sent.view.notice) state.notice = sent.view.notice;
    return state;
  }
  if (addPhone && config.phoneEnrolmentProof === 'none') {
    // The host opted out of the email proof: the phone form comes first, on the password alone.
    return pending({ step: 'phone', attempt: randomToken(12), since, phoneMethod, hadPhone: false });
  }
  // A user who must add a first phone proves who they are by email first: otherwise the password
  // alone would choose the second factor. The phone's own code then signs them in.
  const method = addPhone ? ctx.methods.get('email') : (ctx.methods.preferred(user) ?? ctx.methods.get('email'));
  const step = proveStep(ctx, user, addPhone ? { kind: 'add-phone', phoneMethod } : { kind: 'sign-in' });
  const state = pending(step);
  if (method) {
    const sent = await startMethod(ctx, req, step, user, method, false);
    if (sent.notice) state.notice = sent.notice;
  }
  return state;
}

/**
 * Codes must go to a phone (the user prefers SMS or voice, or the host's policy says so) but no
 * verified phone is on file, and a phone channel exists to prove one.
 */
async function needsPhone(ctx: HttpContext, user: LoadedUser): Promise<boolean> {
  if (user.settings.phone !== null) return false;
  if (!ctx.config.channels.sms && !ctx.config.channels.voice) return false;
  return user.settings.method === 'sms' || user.settings.method === 'voice' || (await ctx.config.requirePhone?.(user.identity)) === true;
}

/**
 * Marks the session fully signed in under a new session id, and stores it before anything says so:
 * a session store that fails or does not answer is a StoreUnavailableError (the 503).
 */
export async function completeSignIn(
  ctx: HttpContext,
  req: Request,
  userId: string,
  via: 'trusted-device' | 'other',
  sessionPolicy: boolean,
): Promise<void> {
  await regenerateSession(req, ctx.config.storeTimeoutMs);
  const now = ctx.config.now();
  const rules = ctx.config.sessionPolicy;
  const policy = sessionPolicy
    ? {
        idleMs: rules.idleMs,
        absoluteUntil: now + rules.absoluteMs,
        ...(rules.bindNetwork ? { network: clientNetwork(req.ip ?? '') } : {}),
      }
    : undefined;
  writeState(req, { v: STATE_VERSION, status: 'verified', userId, verifiedAt: now, csrf: randomToken(24), ...(policy ? { policy } : {}) });
  // The host's own sign-in (Passport's req.login, which regenerates the session once more) comes
  // before the index entry and the save, so both see the session id the browser ends up with.
  await signedInHook(ctx, req, userId);
  // The index entry and the session go out together (no extra wait). A session stored as signed in
  // must be indexed, so it can be listed and ended: if the index write fails, the stored session is
  // destroyed again and the answer is the 503.
  const [indexed, stored] = await Promise.allSettled([ctx.sessions.record(req, userId), commitSession(req, ctx.config.storeTimeoutMs)]);
  if (indexed.status === 'rejected') {
    if (stored.status === 'fulfilled') await ctx.sessions.destroy(req).catch(() => undefined);
    throw indexed.reason;
  }
  if (stored.status === 'rejected') throw stored.reason;
  // A browser the user had trusted is not news; any other sign-in is worth a line, in case it was not them.
  if (via !== 'trusted-device') {
    const place = ctx.config.placeHint?.(req)?.slice(0, 100);
    ctx.notices.send(
      userId,
      { kind: 'new-sign-in', label: deviceLabel(req.headers['user-agent']), at: now, ...(place ? { place } : {}) },
      ctx.languages.of(req).lang,
    );
  }
}

/**
 * `onSignedIn`: bounded and failing closed like the host's adapters (a 503, nobody signed in). A
 * hook that threw the library's state away (Passport's `req.login` without `keepSessionInfo`) would
 * leave a session the host thinks signed in but the library does not know: it is destroyed, and
 * the error says what to pass.
 */
async function signedInHook(ctx: HttpContext, req: Request, userId: string): Promise<void> {
  const { onSignedIn, storeTimeoutMs, logger } = ctx.config;
  if (!onSignedIn) return;
  try {
    await withDeadline(
      Promise.resolve().then(() => onSignedIn(req, userId)),
      storeTimeoutMs,
      noAnswer(storeTimeoutMs),
    );
  } catch (error) {
    logger.error(
      { hook: 'onSignedIn', userId, err: error },
      'express-device-2fa: the onSignedIn hook failed, so the sign-in failed closed (a 503, nobody signed in).',
    );
    throw new StoreUnavailableError(error);
  }
  const state = readState(req);
  if (state?.status !== 'verified' || state.userId !== userId) {
    await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
    throw new ConfigurationError(
      "express-device-2fa: onSignedIn replaced the session without the library's state, so nobody was signed in. With Passport, call req.login(user, { keepSessionInfo: true }, callback); a hook of your own must keep the session's other fields.",
    );
  }
}

/**
 * After the second factor: trusts this browser when the user asked, then signs in under a new
 * session id. The session is marked verified only once every write of the step succeeded, and the
 * cookie and the "browser trusted" email go out only after that: if a write fails the user gets the
 * 503 and is not signed in, and no browser holds the new device (it is removed again, if the store
 * lets us).
 */
export async function finishSignIn(ctx: HttpContext, req: Request, res: Response, state: PendingState, trust: boolean): Promise<void> {
  const { userId, returnTo } = state;
  const trusted =
    ctx.config.trust.enabled && trust ? await ctx.devices.trust(userId, req.headers['user-agent'], ctx.config.placeHint?.(req)) : undefined;
  try {
    await completeSignIn(ctx, req, userId, 'other', state.sessionPolicy === true);
  } catch (error) {
    if (trusted) ctx.devices.revoke(userId, trusted.device.id, { kind: 'user' }).catch(() => undefined);
    throw error;
  }
  if (trusted) {
    ctx.cookie.write(req, res, trusted.token, ctx.devices.userTag(userId));
    ctx.notices.send(
      userId,
      { kind: 'device-trusted', label: trusted.device.label, at: trusted.device.createdAt },
      ctx.languages.of(req).lang,
    );
  }
  ctx.respond.redirect(req, res, returnTo);
}
