import type { NextFunction, Request, Response } from 'express';
import { clearState, readState, sessionOf, writeState, type VerifiedState } from './session-state';
import { isExpired, type HttpContext } from './context';
import { admitClient, exemptVerdict } from './client-access';

/**
 * Keeps a pending session (password done, code not yet) away from everything but the library's
 * own routes and the paths the host allows. A fully verified session costs no store call here:
 * everything the guard needs is already in the session. An exempt request costs none either,
 * unless `exempt` names its user: then that user's (and account's) "block clients" is read.
 */
export function createGuard(ctx: HttpContext, ready: () => Promise<boolean>) {
  const { config } = ctx;
  const allowed = new Set(config.allowWhilePending);

  return function deviceTwoFactorGuard(req: Request, res: Response, next: NextFunction): void {
    const exempt = exemptVerdict(config, req);
    if (exempt === true) return next();
    if (exempt) return admitClient(ctx, ready, req, res, next, exempt);
    try {
      sessionOf(req);
    } catch (error) {
      return next(error);
    }
    const state = readState(req);
    if (state?.status === 'verified') {
      ctx.sessions.learn(req);
      noteActivity(req, state, config.now());
      return next();
    }
    if (state?.status !== 'pending') return next();
    const path = `${req.baseUrl ?? ''}${req.path}`;
    if (path === config.mountPath || path.startsWith(`${config.mountPath}/`) || allowed.has(path)) return next();
    if (isExpired(ctx, state)) {
      // Back to anonymous: the host's own checks send the user to its login page.
      clearState(req);
      return next();
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && (req.headers.accept ?? '').includes('text/html')) {
      ctx.respond.redirect(req, res, config.mountPath);
      return;
    }
    ctx.respond.json(req, res, 401, { error: 'two_factor_required', verify: config.mountPath });
  };
}

/** Last activity is written into the session at most once a minute: one session write, no store call of the library's. */
const ACTIVITY_GRAIN_MS = 60_000;

function noteActivity(req: Request, state: VerifiedState, now: number): void {
  if (now - (state.lastActiveAt ?? state.verifiedAt) < ACTIVITY_GRAIN_MS) return;
  writeState(req, { ...state, lastActiveAt: now });
}
