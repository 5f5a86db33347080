import type { Request, Response } from 'express';
import { safeEqual } from '../core/secrets';
import type { CheckOutcome } from '../core/challenges';
import type { DeliveryMethod } from '../types';
import { strings } from '../views/strings';
import { renderOutboxPage } from '../views/outbox-page';
import { completeSignIn, isExpired, renderPending, sendSignInCode, type HttpContext } from './context';
import { readForm } from './form';
import { clearState, readState, regenerateSession, writeState, type Notice, type PendingState } from './session-state';

export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/** The handlers behind `<mountPath>`: the page, and its four form posts. */
export function verificationRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;

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

  /** The posted form when its CSRF token matches the session's; otherwise answers 403. */
  async function checkedForm(req: Request, res: Response, state: { csrf: string }): Promise<Record<string, string> | undefined> {
    const form = await readForm(req);
    if (typeof form._csrf === 'string' && safeEqual(form._csrf, state.csrf)) return form;
    respond.message(req, res, 403, strings.formExpiredTitle, strings.formExpired, { href: config.mountPath, label: strings.backToVerify });
    return undefined;
  }

  async function showPage(req: Request, res: Response): Promise<void> {
    const state = pendingOr(req, res);
    if (!state) return;
    const notice = state.notice;
    if (notice) {
      delete state.notice; // shown once
      writeState(req, state);
    }
    renderPending(ctx, req, res, state, 200, notice);
  }

  async function verify(req: Request, res: Response): Promise<void> {
    const state = pendingOr(req, res);
    if (!state) return;
    const form = await checkedForm(req, res, state);
    if (!form) return;
    const outcome = await ctx.challenges.check(state.userId, 'sign-in', form.code ?? '');
    if (outcome.status !== 'verified') {
      const { status, notice } = describeFailure(outcome);
      if ('lockedForMs' in outcome || outcome.status === 'locked') {
        state.lockedUntil = config.now() + ('lockedForMs' in outcome ? outcome.lockedForMs : outcome.retryAfterMs);
        writeState(req, state);
      }
      renderPending(ctx, req, res, state, status, notice);
      return;
    }
    const { userId, returnTo } = state;
    await completeSignIn(req, userId, config.now());
    if (config.trust.enabled && form.trust === '1') {
      const { token } = await ctx.devices.trust(userId, req.headers['user-agent']);
      ctx.cookie.write(req, res, token, ctx.devices.userTag(userId));
    }
    respond.redirect(req, res, returnTo);
  }

  async function resend(req: Request, res: Response): Promise<void> {
    const state = pendingOr(req, res);
    if (!state) return;
    const form = await checkedForm(req, res, state);
    if (!form) return;
    const method = (form.method ?? state.method) as DeliveryMethod;
    if (!state.methods.includes(method)) {
      renderPending(ctx, req, res, state, 400, { kind: 'error', text: strings.sendFailed });
      return;
    }
    const user = await ctx.directory.load(state.userId);
    const sent = await sendSignInCode(ctx, state, user, method, true);
    if (sent.status === 200 && sent.notice?.kind === 'info') {
      // Post/redirect/get, so reloading the page does not send yet another code.
      state.notice = sent.notice;
      writeState(req, state);
      respond.redirect(req, res, config.mountPath);
      return;
    }
    writeState(req, state);
    renderPending(ctx, req, res, state, sent.status, sent.notice);
  }

  async function signOut(req: Request, res: Response): Promise<void> {
    const state = readState(req);
    if (state) {
      const form = await checkedForm(req, res, state);
      if (!form) return;
      await regenerateSession(req);
    }
    respond.redirect(req, res, config.loginPath);
  }

  const routes: Record<string, RouteHandler> = {
    'GET /': showPage,
    'POST /verify': verify,
    'POST /resend': resend,
    'POST /sign-out': signOut,
  };
  const outbox = ctx.outbox;
  if (outbox) {
    routes['GET /outbox'] = async (req, res) => {
      respond.html(req, res, 200, renderOutboxPage({ siteName: config.siteName, messages: [...outbox.messages()] }));
    };
  }
  return routes;
}

function describeFailure(outcome: Exclude<CheckOutcome, { status: 'verified' }>): { status: number; notice: Notice } {
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
    case 'missing':
      return { status: 400, notice: error(strings.tooManyAttempts) };
    case 'locked':
      return { status: 429, notice: error(strings.lockedFor(outcome.retryAfterMs / 60_000)) };
  }
}
