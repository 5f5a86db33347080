import type { Request, Response } from 'express';
import type { HttpContext } from '../http-context';
import { writeState, type Notice, type Step } from '../session-state';
import { changeNumber, renderPhoneCode, resendPhoneCode, verifyPhoneCode } from './phone-code-step';
import { finishEnrol, renderEnrol } from './enrol-step';
import { toPage, type Frame, type Next, type Rendering } from './frame';
import { renderPhone, submitPhoneNumber } from './phone-step';
import { recoveryProve, renderProve, resendProve, verifyProve } from './prove-step';

/** What a form on a step's page asks for. */
export type Action = 'verify' | 'resend' | 'recovery' | 'phone' | 'change-number' | 'enrol';

type Handler<S extends Step> = (
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: S,
  form: Record<string, string>,
) => Promise<Next>;

interface StepHandlers<S extends Step> {
  render(ctx: HttpContext, req: Request, res: Response, frame: Frame, step: S, r: Rendering): void | Promise<void>;
  actions: Partial<Record<Action, Handler<S>>>;
}

/** One handler per step; the union's tag picks it, so a step cannot be handled by another's code. */
const STEPS: { [K in Step['step']]: StepHandlers<Extract<Step, { step: K }>> } = {
  prove: { render: renderProve, actions: { verify: verifyProve, resend: resendProve, recovery: recoveryProve } },
  phone: { render: renderPhone, actions: { phone: submitPhoneNumber } },
  'phone-code': { render: renderPhoneCode, actions: { verify: verifyPhoneCode, resend: resendPhoneCode, 'change-number': changeNumber } },
  enrol: { render: renderEnrol, actions: { enrol: finishEnrol } },
};

function handlersOf(step: Step): StepHandlers<Step> {
  return STEPS[step.step] as unknown as StepHandlers<Step>;
}

/** The page of a frame without a step under way (the settings page); a sign-in always has one. */
export type Home = (status: number, notice: Notice | undefined) => Promise<void>;

/** Renders the frame's current step (or its home page when none is under way). */
export async function renderFrame(ctx: HttpContext, req: Request, res: Response, frame: Frame, r: Rendering, home?: Home): Promise<void> {
  const step = frame.state.flow;
  if (!step) return home ? home(r.status, r.notice) : ctx.respond.redirect(req, res, frame.base);
  await handlersOf(step).render(ctx, req, res, frame, step, r);
}

/** Runs a form's action on the current step; an action the step does not have shows the step again (400). */
export async function act(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  action: Action,
  form: Record<string, string>,
  home?: Home,
): Promise<void> {
  const step = frame.state.flow;
  const handler = step && handlersOf(step).actions[action];
  const next: Next = handler ? await handler(ctx, req, res, frame, step, form) : step ? { to: 'render', status: 400 } : { to: 'page' };
  await settle(ctx, req, res, frame, next, home);
}

/** Answers with what an action led to. */
export async function settle(ctx: HttpContext, req: Request, res: Response, frame: Frame, next: Next, home?: Home): Promise<void> {
  if (next.to === 'answered') return;
  if (next.to === 'page') return toPage(ctx, req, res, frame, next.notice);
  writeState(req, frame.state);
  await renderFrame(ctx, req, res, frame, next, home);
}
