import type { Request, Response } from 'express';
import { InvalidArgumentError, StoreUnavailableError } from '../errors';
import { preferredMethod } from '../core/methods';
import { hasSessionPolicy } from '../core/session-policy';
import type { LoadedUser } from '../core/users';
import type { PasswordVerifiedOptions, SignInOutcome } from '../types';
import { completeSignIn, sendSignInCode, startPending, unavailable, type HttpContext } from './context';
import { exemptSignIn, exemptVerdict } from './client-access';
import { sendToPhone } from './phone-enrolment';
import { safeReturnTo } from './return-to';
import { clearState, commitSession, regenerateSession, sessionOf, writeState } from './session-state';

/**
 * The host calls this from its login route once the password is right. It decides whether the
 * session is signed in now (2FA not required, or a trusted browser) or left pending behind a code.
 * Either way the session id changes (no fixation).
 */
export function createPasswordVerified(ctx: HttpContext) {
  return async function passwordVerified(req: Request, res: Response, userId: string, options: PasswordVerifiedOptions = {}): Promise<SignInOutcome> {
    const { config } = ctx;
    if (typeof userId !== 'string' || userId === '') throw new InvalidArgumentError(`passwordVerified(req, res, userId): userId must be a non-empty string (got ${userId === '' ? 'an empty string' : `a ${typeof userId}`}).`);
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
      const addPhone = await needsPhone(ctx, user);
      const typedByAdmin = user.settings.unverifiedPhone;
      if (addPhone && typedByAdmin) {
        // An admin typed the number in (and vouches for it): its code is the second factor, and
        // entering it makes the number the user's.
        const state = startPending(ctx, req, user, 'email', returnTo, 'phone-code');
        state.adminPhone = true;
        state.enrolment = { phone: typedByAdmin, method: user.settings.method === 'voice' ? 'voice' : 'sms' };
        const sent = await sendToPhone(ctx, req, user.identity.id, state.attempt, state.enrolment, false);
        if (!sent.ok) state.notice = sent.view.notice;
        writeState(req, state);
      } else if (addPhone && config.phoneEnrolmentProof === 'none') {
        // The host opted out of the email proof: the phone form comes first, on the password alone.
        startPending(ctx, req, user, 'email', returnTo, 'phone');
      } else {
        // A user who must add a first phone proves who they are by email first: otherwise the
        // password alone would choose the second factor. The phone's own code then signs them in.
        const method = addPhone ? 'email' : (preferredMethod(user, config.channels) ?? 'email');
        const state = startPending(ctx, req, user, method, returnTo, 'code');
        if (addPhone) state.afterCode = 'add-phone';
        const sent = await sendSignInCode(ctx, req, state, user, method, false);
        state.notice = sent.notice;
        writeState(req, state);
      }
      await commitSession(req, config.storeTimeoutMs);
      if (respond) ctx.respond.redirect(req, res, config.mountPath);
      return { status: 'pending', redirectTo: config.mountPath };
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      clearState(req);
      if (respond) unavailable(ctx, req, res);
      return { status: 'unavailable' };
    }
  };
}

/**
 * Codes must go to a phone (the user prefers SMS or voice, or the host's policy says so) but no
 * verified phone is on file, and a phone channel exists to prove one.
 */
async function needsPhone(ctx: HttpContext, user: LoadedUser): Promise<boolean> {
  if (user.settings.phone !== null) return false;
  if (!ctx.config.channels.sms && !ctx.config.channels.voice) return false;
  return user.settings.method !== 'email' || (await ctx.config.requirePhone?.(user.identity)) === true;
}
