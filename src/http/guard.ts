import type { NextFunction, Request, Response } from 'express';
import { clientNetwork } from '../core/client-network';
import { sessionEnded, touchIntervalMs } from '../core/session-policy';
import { SESSION_STATUS_PATH } from './session-routes';
import { clearState, readState, regenerateSession, sessionOf, writeState, type VerifiedState } from './session-state';
import { isExpired } from './flow/frame';
import type { HttpContext } from './http-context';
import { admitClient, exemptVerdict } from './client-access';

/**
 * Keeps a pending session (password done, code not yet) away from everything but the library's
 * own routes and the paths the host allows. A fully verified session costs no store call here:
 * everything the guard needs is already in the session. An exempt request costs none either,
 * unless `exempt` names its user: then that user's (and account's) "block clients" is read. A
 * session under the session policy that has ended (idle, too old, another network) is signed out
 * here, from what it holds; exempt requests are never timed out.
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
      if (applySessionPolicy(ctx, req, state, () => next())) return;
      return next();
    }
    if (state?.status !== 'pending') return next();
    const path = `${req.baseUrl ?? ''}${req.path}`;
    if (path === config.mountPath || path.startsWith(`${config.mountPath}/`) || allowed.has(path)) return next();
    if (isExpired(ctx, state.since)) {
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

/**
 * Last activity is written into the session at most once a minute (once per touch interval under
 * the session policy, which is a minute for its default): one session write, no store call of the library's.
 */
const ACTIVITY_GRAIN_MS = 60_000;

function noteActivity(req: Request, state: VerifiedState, now: number): void {
  const grain = state.policy ? touchIntervalMs(state.policy.idleMs) : ACTIVITY_GRAIN_MS;
  if (now - (state.lastActiveAt ?? state.verifiedAt) < grain) return;
  writeState(req, { ...state, lastActiveAt: now });
}

/**
 * The session policy on a verified request (the guard's, and the library's own routes', which run
 * before it): an ended session is signed out and `proceed` runs once it is (returns true); otherwise
 * the request counts as activity, except the warning script asking how long is left (returns false).
 */
export function applySessionPolicy(ctx: HttpContext, req: Request, state: VerifiedState, proceed: () => void): boolean {
  const now = ctx.config.now();
  if (state.policy && sessionEnded(state.policy, state.lastActiveAt ?? state.verifiedAt, now, clientNetwork(req.ip ?? ''))) {
    void endSession(ctx, req, state).then(proceed);
    return true;
  }
  if (`${req.baseUrl ?? ''}${req.path}` !== `${ctx.config.mountPath}${SESSION_STATUS_PATH}`) noteActivity(req, state, now);
  return false;
}

/**
 * Signs an ended session out: its index entry goes (best effort), and the request goes on under a
 * fresh, anonymous session (the host's own checks send the user to its login page). A session
 * store that cannot regenerate in time still leaves the request anonymous.
 */
async function endSession(ctx: HttpContext, req: Request, state: VerifiedState): Promise<void> {
  ctx.sessions.forget(state.userId, req.sessionID).catch(() => undefined);
  try {
    await regenerateSession(req, ctx.config.storeTimeoutMs);
  } catch {
    clearState(req);
  }
}
