import type { Request, Response } from 'express';
import { renderPhoneEntryPage } from '../../views/phone-page';
import type { HttpContext } from '../http-context';
import { submitPhone } from '../phone-enrolment';
import type { CodeTimes, PhoneStep } from '../session-state';
import type { Frame, Next, Rendering } from './frame';

/** The phone-number form: a first phone at sign-in, or a new one from settings. */
export function renderPhone(ctx: HttpContext, req: Request, res: Response, frame: Frame, step: PhoneStep, r: Rendering): void {
  const signIn = frame.kind === 'sign-in';
  const { words } = frame;
  const notice = ctx.languages.shown(r.notice, words);
  ctx.respond.html(
    req,
    res,
    r.status,
    renderPhoneEntryPage({
      siteName: ctx.config.siteName,
      words,
      logo: ctx.config.logo,
      csrfToken: frame.state.csrf,
      context: signIn ? 'sign-in' : 'settings',
      action: `${frame.base}/phone`,
      method: step.phoneMethod,
      ...(signIn ? {} : { hasPhone: step.hadPhone }),
      ...(r.typed !== undefined ? { phone: r.typed } : {}),
      ...(notice ? { notice } : {}),
      cancel: signIn
        ? { action: `${frame.base}/sign-out`, label: words.t.signOutButton }
        : { action: `${frame.base}/cancel`, label: words.t.cancel },
    }),
  );
}

/** A number typed on the form: a code goes to it, and the next step waits for that code. */
export async function submitPhoneNumber(
  ctx: HttpContext,
  req: Request,
  _res: Response,
  frame: Frame,
  step: PhoneStep,
  form: Record<string, string>,
): Promise<Next> {
  const times: CodeTimes = {};
  const submitted = await submitPhone(ctx, req, frame.state.userId, step.attempt, form, step.phoneMethod, times);
  if (!submitted.ok) {
    step.phoneMethod = submitted.method;
    return {
      to: 'render',
      status: submitted.view.status,
      ...(submitted.view.notice ? { notice: submitted.view.notice } : {}),
      ...(form.phone !== undefined ? { typed: form.phone } : {}),
    };
  }
  frame.state.flow = {
    step: 'phone-code',
    attempt: step.attempt,
    since: step.since,
    enrolment: submitted.enrolment,
    hadPhone: step.hadPhone,
    lockedUntil: 0,
    ...times,
  };
  return { to: 'page' };
}
