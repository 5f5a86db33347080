import type { Request, Response } from 'express';
import { safeEqual } from '../core/secrets';
import type { CheckOutcome } from '../core/challenges';
import { maskPhone } from '../core/mask';
import type { DeliveryMethod } from '../types';
import { strings } from '../views/strings';
import { renderOutboxPage } from '../views/outbox-page';
import { finishSignIn, isExpired, renderCodeStep, renderPending, renderPhoneEntry, sendSignInCode, type HttpContext } from './context';
import { readForm } from './form';
import { isLocalClient } from './local-client';
import { confirmPhone, sendToPhone, submitPhone } from './phone-enrolment';
import { clearState, readState, regenerateSession, writeState, type Notice, type PendingState } from './session-state';

export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/** The sign-in step's handlers under `<mountPath>`: the page, the code, resend, phone enrolment, recovery codes. */
export function verificationRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;
  const mount = config.mountPath;

  /** The pending state of a request, or an answer (redirect or page) when there is none. */
  function pendingOr(req: Request, res: Response): PendingState | undefined {
    const state = readState(req);
    if (state?.status === 'verified') {
      respond.redirect(req, res, config.defaultReturnTo);
      return undefined;
    }
    if (!state) {
      respond.redirect(req, res, config.loginPath);
      return undefined;
    }
    if (isExpired(ctx, state)) {
      clearState(req);
      respond.message(req, res, 401, strings.sessionExpiredTitle, strings.sessionExpired, { href: config.loginPath, label: strings.signInAgain });
      return undefined;
    }
    return state;
  }

  const pendingForm = (req: Request, res: Response) => withCheckedForm(ctx, req, res, pendingOr(req, res));

  /** Renders whatever the pending state's stage shows. */
  function render(req: Request, res: Response, state: PendingState, status: number, notice: Notice | undefined, recoveryOpen = false, typed?: string): void {
    if (state.stage === 'code') return renderPending(ctx, req, res, state, status, notice, { action: `${mount}/recovery`, open: recoveryOpen });
    if (state.stage === 'phone' || !state.enrolment) {
      return renderPhoneEntry(ctx, req, res, status, {
        csrfToken: state.csrf,
        context: 'sign-in',
        action: `${mount}/phone`,
        method: state.phoneMethod,
        typed,
        notice,
        cancel: { action: `${mount}/sign-out`, label: strings.signOutButton },
      });
    }
    const { method, phone } = state.enrolment;
    renderCodeStep(ctx, req, res, status, {
      csrf: state.csrf,
      method,
      intro: strings.enrolCodeSentTo(method, maskPhone(phone)),
      destination: maskPhone(phone),
      notice,
      verifyAction: `${mount}/verify`,
      offerTrust: true,
      codeDisabled: state.lockedUntil > config.now(),
      actions: [
        {
          actions: [
            { action: `${mount}/resend`, label: strings.resendButton },
            // A number an admin typed in is not the user's to swap on the password alone.
            ...(state.adminPhone ? [] : [{ action: `${mount}/phone/change`, label: strings.useDifferentNumber }]),
          ],
        },
        { actions: [{ action: `${mount}/sign-out`, label: strings.signOutButton }] },
      ],
    });
  }

  async function showPage(req: Request, res: Response): Promise<void> {
    const state = pendingOr(req, res);
    if (!state) return;
    const notice = state.notice;
    if (notice) {
      delete state.notice; // shown once
      writeState(req, state);
    }
    render(req, res, state, 200, notice);
  }

  async function verify(req: Request, res: Response): Promise<void> {
    const posted = await pendingForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (state.stage === 'phone') return render(req, res, state, 400, undefined);
    const purpose = state.stage === 'code' ? 'sign-in' : 'enroll-phone';
    const outcome = await ctx.challenges.check(state.userId, { purpose, attempt: state.attempt }, form.code ?? '');
    if (outcome.status !== 'verified') return rejected(req, res, state, outcome);
    if (state.afterCode === 'add-phone') return proved(req, res, state);
    if (purpose === 'enroll-phone') await confirmPhone(ctx, state.userId, outcome.challenge, { kind: 'user' }, 'sign-in');
    await finishSignIn(ctx, req, res, state, form.trust === '1');
  }

  /** The user proved who they are (email code or recovery code): now, and only now, a phone may be added. */
  function proved(req: Request, res: Response, state: PendingState): void {
    delete state.afterCode;
    state.stage = 'phone';
    redirectOrRender(req, res, state, 200, undefined);
  }

  async function useRecoveryCode(req: Request, res: Response): Promise<void> {
    const posted = await pendingForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (state.stage !== 'code') return render(req, res, state, 400, undefined);
    const outcome = await ctx.recovery.use(state.userId, form.recoveryCode ?? '');
    if (outcome.status !== 'verified') {
      const locked = outcome.status === 'locked' ? outcome.retryAfterMs : outcome.status === 'wrong' ? outcome.lockedForMs : 0;
      const failure: Exclude<CheckOutcome, { status: 'verified' }> =
        outcome.status === 'wrong' && outcome.justLockedOut
          ? { status: 'locked-out', justLockedOut: true }
          : locked > 0
            ? { status: 'locked', retryAfterMs: locked }
            : { status: 'malformed' };
      return rejected(req, res, state, failure, strings.recoveryInvalid);
    }
    ctx.notices.send(state.userId, { kind: 'recovery-used', remaining: outcome.remaining });
    // A recovery code clears a lock-out too.
    state.lockedOut = false;
    state.lockedUntil = 0;
    if (state.afterCode === 'add-phone') return proved(req, res, state);
    await finishSignIn(ctx, req, res, state, form.trust === '1');
  }

  /** A failed code: the page again, with why, and the form disabled while locked out. */
  function rejected(req: Request, res: Response, state: PendingState, outcome: Exclude<CheckOutcome, { status: 'verified' }>, recoveryText?: string): void {
    if (outcome.status === 'locked-out') {
      state.lockedOut = true;
      writeState(req, state);
      if (outcome.justLockedOut) ctx.notices.send(state.userId, { kind: 'locked-out' });
    }
    const lockedForMs = 'lockedForMs' in outcome ? outcome.lockedForMs : outcome.status === 'locked' ? outcome.retryAfterMs : 0;
    if (lockedForMs > 0) {
      state.lockedUntil = config.now() + lockedForMs;
      writeState(req, state);
      // The first lock of a streak is worth telling the user about: someone may be guessing.
      if (lockedForMs === config.lockout.baseMs && outcome.status !== 'locked') {
        ctx.notices.send(state.userId, { kind: 'failed-codes', failures: config.lockout.threshold });
      }
    }
    const { status, notice } = describeFailure(outcome);
    render(req, res, state, status, recoveryText && status !== 429 ? { kind: 'error', text: recoveryText } : notice, recoveryText !== undefined);
  }

  async function resend(req: Request, res: Response): Promise<void> {
    const posted = await pendingForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (state.stage === 'phone') return render(req, res, state, 400, undefined);
    let status: number;
    let notice: Notice | undefined;
    if (state.stage === 'phone-code' && state.enrolment) {
      const sent = await sendToPhone(ctx, req, state.userId, state.attempt, state.enrolment, true);
      ({ status, notice } = sent.ok ? { status: 200, notice: { kind: 'info', text: strings.newCodeSent(state.enrolment.method) } } : sent.view);
    } else {
      const method = (form.method ?? state.method) as DeliveryMethod;
      if (!state.methods.includes(method)) return render(req, res, state, 400, { kind: 'error', text: strings.sendFailed });
      const user = await ctx.directory.load(state.userId);
      ({ status, notice } = await sendSignInCode(ctx, req, state, user, method, true));
    }
    redirectOrRender(req, res, state, status, notice);
  }

  async function submitPhoneNumber(req: Request, res: Response): Promise<void> {
    const posted = await pendingForm(req, res);
    if (!posted) return;
    const { state, form } = posted;
    if (state.stage === 'code') return render(req, res, state, 400, undefined);
    const submitted = await submitPhone(ctx, req, state.userId, state.attempt, form, state.phoneMethod);
    if (!submitted.ok) {
      state.phoneMethod = submitted.method;
      writeState(req, state);
      return render(req, res, state, submitted.view.status, submitted.view.notice, false, form.phone);
    }
    state.stage = 'phone-code';
    state.enrolment = submitted.enrolment;
    state.phoneMethod = submitted.enrolment.method;
    redirectOrRender(req, res, state, 200, undefined);
  }

  async function changePhoneNumber(req: Request, res: Response): Promise<void> {
    const posted = await pendingForm(req, res);
    if (!posted) return;
    const { state } = posted;
    if (state.adminPhone) return render(req, res, state, 400, { kind: 'error', text: strings.adminPhoneFixed });
    if (state.stage !== 'code') {
      state.stage = 'phone';
      delete state.enrolment;
    }
    redirectOrRender(req, res, state, 200, undefined);
  }

  /** Success goes through post/redirect/get (reloading sends nothing twice); failures render at once. */
  function redirectOrRender(req: Request, res: Response, state: PendingState, status: number, notice: Notice | undefined): void {
    if (status === 200 && notice?.kind !== 'error') {
      if (notice) state.notice = notice;
      writeState(req, state);
      return respond.redirect(req, res, mount);
    }
    writeState(req, state);
    render(req, res, state, status, notice);
  }

  async function signOut(req: Request, res: Response): Promise<void> {
    const state = readState(req);
    if (state) {
      const form = await checkedForm(ctx, req, res, state.csrf);
      if (!form) return;
      // "Cancel" means it: the code that went out stops working (the lock-out count stays).
      if (state.status === 'pending') {
        await ctx.challenges.discard(state.userId, { purpose: state.stage === 'code' ? 'sign-in' : 'enroll-phone', attempt: state.attempt });
      }
      await regenerateSession(req, config.storeTimeoutMs);
    }
    respond.redirect(req, res, config.loginPath);
  }

  const routes: Record<string, RouteHandler> = {
    'GET /': showPage,
    'POST /verify': verify,
    'POST /recovery': useRecoveryCode,
    'POST /resend': resend,
    'POST /phone': submitPhoneNumber,
    'POST /phone/change': changePhoneNumber,
    'POST /sign-out': signOut,
  };
  const outbox = ctx.outbox;
  if (outbox) {
    routes['GET /outbox'] = async (req, res) => {
      // Live codes: only for a browser on this machine, as if the page did not exist for anyone else.
      if (!isLocalClient(req)) return respond.message(req, res, 404, strings.notFoundTitle, strings.notFound);
      respond.html(req, res, 200, renderOutboxPage({ siteName: config.siteName, messages: [...outbox.messages()] }));
    };
  }
  return routes;
}

/**
 * The state and its posted form when the form's CSRF token matches the state's; otherwise (no state:
 * already answered; a bad token: 403) undefined.
 */
export async function withCheckedForm<S extends { csrf: string }>(
  ctx: HttpContext,
  req: Request,
  res: Response,
  state: S | undefined,
): Promise<{ state: S; form: Record<string, string> } | undefined> {
  if (!state) return undefined;
  const form = await checkedForm(ctx, req, res, state.csrf);
  return form && { state, form };
}

/** The posted form when its CSRF token matches `csrf`; otherwise answers 403 and returns undefined. */
export async function checkedForm(ctx: HttpContext, req: Request, res: Response, csrf: string): Promise<Record<string, string> | undefined> {
  const form = await readForm(req);
  if (typeof form._csrf === 'string' && safeEqual(form._csrf, csrf)) return form;
  ctx.respond.message(req, res, 403, strings.formExpiredTitle, strings.formExpired, { href: ctx.config.mountPath, label: strings.backToVerify });
  return undefined;
}

/** What the page says about a failed code, and with which status. */
export function describeFailure(outcome: Exclude<CheckOutcome, { status: 'verified' }>): { status: number; notice: Notice } {
  const error = (text: string): Notice => ({ kind: 'error', text });
  if ('lockedForMs' in outcome && outcome.lockedForMs > 0) return { status: 429, notice: error(strings.lockedFor(outcome.lockedForMs / 60_000)) };
  switch (outcome.status) {
    case 'malformed':
      return { status: 400, notice: error(strings.codeFormat) };
    case 'wrong':
      return { status: 400, notice: error(strings.wrongCode(outcome.attemptsLeft)) };
    case 'expired':
      return { status: 400, notice: error(strings.codeExpired) };
    case 'exhausted':
      return { status: 400, notice: error(strings.tooManyAttempts) };
    case 'missing':
      return { status: 400, notice: error(strings.noActiveCode) };
    case 'locked':
      return { status: 429, notice: error(strings.lockedFor(outcome.retryAfterMs / 60_000)) };
    case 'locked-out':
      return { status: 429, notice: error(strings.lockedOut) };
  }
}
