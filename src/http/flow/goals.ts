import type { Request, Response } from 'express';
import { regenerateSession, writeState, type ProveStep, type VerifiedState } from '../session-state';
import type { HttpContext } from '../http-context';
import { finishSignIn } from '../sign-in';
import { apply, endSessions } from './changes';
import type { Frame, Next } from './frame';

/**
 * A prove step passed: sign in, go on to add a first phone (the code only proved who the user is),
 * or make the change a re-authentication was for.
 */
export async function reached(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: ProveStep,
  form: Record<string, string>,
): Promise<Next> {
  const goal = step.goal;
  if (frame.kind === 'sign-in') {
    if (goal.kind === 'add-phone') {
      frame.state.flow = { step: 'phone', attempt: step.attempt, since: step.since, phoneMethod: goal.phoneMethod, hadPhone: false };
      return { to: 'page' };
    }
    await finishSignIn(ctx, req, res, frame.state, form.trust === '1');
    return { to: 'answered' };
  }
  if (goal.kind !== 'change') return { to: 'render', status: 400 };
  // A fresh proof rotates the session id: a copied cookie does not ride on the new privilege. The
  // user stays the same, so the host's own sign-in (Passport's) stays too.
  const { flow: _done, ...rest } = frame.state;
  const previousId = req.sessionID;
  await regenerateSession(req, ctx.config.storeTimeoutMs, { keepHostData: true });
  const proved: VerifiedState = { ...rest, sudoUntil: ctx.config.now() + ctx.config.reauthWindowMs };
  writeState(req, proved);
  await ctx.sessions.moved(req, proved.userId, previousId, proved.verifiedAt);
  // "Also sign out my other sessions", ticked by default on the code step.
  if (form.endOthers === '1') await endSessions(ctx, proved.userId, req.sessionID);
  frame.state = proved;
  return apply(ctx, req, res, frame, goal.change);
}
