import type { Request, Response } from 'express';
import { maskPhone } from '../../core/mask';
import { methodSays, say } from '../../views/messages';
import type { HttpContext } from '../http-context';
import { confirmPhone, sendToPhone } from '../phone-enrolment';
import type { PhoneCodeStep } from '../session-state';
import { finishSignIn } from '../sign-in';
import type { Frame, Next, Rendering } from './frame';
import { rejected } from './prove-step';
import { codeTimesOf, renderStepPage } from './step-page';

const USER = { kind: 'user' } as const;

/** The code sent to the number being proved. */
export function renderPhoneCode(ctx: HttpContext, req: Request, res: Response, frame: Frame, step: PhoneCodeStep, r: Rendering): void {
  const { config } = ctx;
  const { method, phone } = step.enrolment;
  const destination = maskPhone(phone);
  const signIn = frame.kind === 'sign-in';
  const { t } = frame.words;
  const words = frame.words.method(method);
  renderStepPage(ctx, req, res, frame, r, {
    heading: words?.heading ?? t.enrolTitle,
    intro: `${words?.intro(destination) ?? destination} ${t.confirmNumber}`,
    destination,
    offerTrust: signIn,
    codeDisabled: step.lockedUntil > config.now(),
    codeTimes: codeTimesOf(ctx, frame, step),
    actions: signIn
      ? [
          {
            actions: [
              { action: `${frame.base}/resend`, label: t.resendButton },
              // A number an admin typed in is not the user's to swap on the password alone.
              ...(step.adminPhone ? [] : [{ action: `${frame.base}/phone/change`, label: t.useDifferentNumber }]),
            ],
          },
          { actions: [{ action: `${frame.base}/sign-out`, label: t.signOutButton }] },
        ]
      : [
          {
            actions: [
              { action: `${frame.base}/resend`, label: t.resendButton },
              { action: `${frame.base}/cancel`, label: t.cancel },
            ],
          },
        ],
  });
}

/** The number's code: it becomes the user's phone, and a sign-in completes. */
export async function verifyPhoneCode(
  ctx: HttpContext,
  req: Request,
  res: Response,
  frame: Frame,
  step: PhoneCodeStep,
  form: Record<string, string>,
): Promise<Next> {
  const { userId } = frame.state;
  const outcome = await ctx.challenges.check(userId, { purpose: 'enroll-phone', attempt: step.attempt }, form.code ?? '');
  if (outcome.status !== 'verified') return rejected(ctx, frame, step, outcome);
  if (frame.kind === 'sign-in') {
    await confirmPhone(ctx, userId, outcome.challenge, USER, 'sign-in', frame.words.lang);
    await finishSignIn(ctx, req, res, frame.state, form.trust === '1');
    return { to: 'answered' };
  }
  await confirmPhone(ctx, userId, outcome.challenge, USER, 'reauth', frame.words.lang);
  delete frame.state.flow;
  return { to: 'page', notice: { kind: 'info', message: say('phoneChanged') } };
}

export async function resendPhoneCode(ctx: HttpContext, req: Request, _res: Response, frame: Frame, step: PhoneCodeStep): Promise<Next> {
  const sent = await sendToPhone(ctx, req, frame.state.userId, step.attempt, step.enrolment, true, step);
  if (!sent.ok) return { to: 'render', status: sent.view.status, ...(sent.view.notice ? { notice: sent.view.notice } : {}) };
  return { to: 'page', notice: { kind: 'info', message: methodSays(step.enrolment.method, 'newCodeSent') } };
}

/** "Use a different number": back to the form (never for a number an admin typed in). */
export async function changeNumber(_ctx: HttpContext, _req: Request, _res: Response, frame: Frame, step: PhoneCodeStep): Promise<Next> {
  if (step.adminPhone) return { to: 'render', status: 400, notice: { kind: 'error', message: say('adminPhoneFixed') } };
  frame.state.flow = {
    step: 'phone',
    attempt: step.attempt,
    since: step.since,
    phoneMethod: step.enrolment.method,
    hadPhone: step.hadPhone,
  };
  return { to: 'page' };
}
