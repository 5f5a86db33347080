import type { NextFunction, Request, Response } from 'express';
import { ConfigurationError, InvalidArgumentError, UnknownUserError } from '../errors';
import type { DeviceTwoFactor, LoginOptions, LoginUserId } from '../types';
import type { HttpContext } from './http-context';

/**
 * `login(userIdOf)`: `passwordVerified` as a middleware that never rejects. Express 4 does not catch
 * a rejected route, so an `async` route awaiting `passwordVerified` kills the process on its first
 * refusal; here every outcome is an answer or `next`.
 */
export function createLogin(ctx: HttpContext, passwordVerified: DeviceTwoFactor['passwordVerified']) {
  return function login(userIdOf: LoginUserId, options: LoginOptions = {}) {
    if (typeof userIdOf !== 'function') {
      throw new ConfigurationError(
        'express-device-2fa: login(userIdOf) needs a function `(req, res) => userId` that checks the password and returns the user id (or nothing).',
      );
    }
    const returnToOf = options.returnTo ?? ((req: Request) => (req.body as { returnTo?: unknown } | undefined)?.returnTo);
    return function deviceTwoFactorLogin(req: Request, res: Response, next: NextFunction): void {
      signIn(req, res, next).catch(next);
    };

    async function signIn(req: Request, res: Response, next: NextFunction): Promise<void> {
      const userId = await userIdOf(req, res);
      if (userId === undefined || userId === null || userId === false) {
        if (!res.headersSent) next();
        return;
      }
      try {
        const outcome = await passwordVerified(req, res, userId, { returnTo: returnToOf(req) });
        if (outcome.status === 'exempt') next();
      } catch (error) {
        if (!(error instanceof InvalidArgumentError || error instanceof UnknownUserError)) throw error;
        // The host's bug (a number for an id) or its data (a user gone between the password check
        // and here): the person gets a page that says nothing was done, the host the line to fix.
        const who = typeof userId === 'string' ? { userId } : { userIdType: typeof userId };
        ctx.config.logger.error(
          { code: error.code, ...who },
          `express-device-2fa: login(): ${error.message} Nobody was signed in (a 401).`,
        );
        ctx.respond.message(req, res, 401, (t) => ({
          title: t.signInFailedTitle,
          text: t.signInFailed,
          link: { href: ctx.config.loginPath, label: t.signInAgain },
        }));
      }
    }
  };
}
