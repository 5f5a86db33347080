import type { Request, Response } from 'express';
import { safeEqual } from '../../core/secrets';
import type { Words } from '../../views/words';
import { readForm } from '../form';
import type { HttpContext } from '../http-context';
import { clearState, readState, writeState, type Notice, type PendingState, type VerifiedState } from '../session-state';

/**
 * Where a step runs: a pending sign-in (its page at `mountPath`) or the settings page of a signed-in
 * user (at `mountPath/settings`). The steps are the same; the frame decides the paths, the way out
 * and what a passed step leads to.
 */
export type Frame = SignInFrame | SettingsFrame;
export type SignInFrame = { kind: 'sign-in'; state: PendingState; base: string; words: Words };
export type SettingsFrame = { kind: 'settings'; state: VerifiedState; base: string; words: Words };

/** What a step's action leads to. */
export type Next =
  /** Post/redirect/get back to the frame's page (a reload sends nothing twice), with a message for it. */
  | { to: 'page'; notice?: Notice }
  /** The current step's page at once (a failure), with why; `refused`: the answer posted was (its field says so). */
  | {
      to: 'render';
      status: number;
      notice?: Notice;
      typed?: string;
      recoveryOpen?: boolean;
      answer?: Readonly<Record<string, string>>;
      refused?: boolean;
    }
  /** The answer already went out (a finished sign-in, recovery codes shown once). */
  | { to: 'answered' };

export type Rendering = Extract<Next, { to: 'render' }>;

/** Success goes back to the page; a failure shows the step again at once. */
export function nextFor(view: { status: number; notice: Notice | undefined }): Next {
  return view.status === 200 && view.notice?.kind !== 'error'
    ? { to: 'page', ...(view.notice ? { notice: view.notice } : {}) }
    : { to: 'render', status: view.status, ...(view.notice ? { notice: view.notice } : {}) };
}

/** A step expires like a pending sign-in: a forgotten tab cannot finish it tomorrow. */
export function isExpired(ctx: HttpContext, since: number): boolean {
  return ctx.config.now() - since > ctx.config.pendingTtlMs;
}

/** The sign-in frame of a request, or an answer (a redirect, or "your sign-in expired") when there is none. */
export function signInFrame(ctx: HttpContext, req: Request, res: Response): SignInFrame | undefined {
  const { config, respond } = ctx;
  const state = readState(req);
  if (state?.status === 'verified') {
    respond.redirect(req, res, config.defaultReturnTo);
    return undefined;
  }
  if (!state) {
    respond.redirect(req, res, config.loginPath);
    return undefined;
  }
  if (isExpired(ctx, state.since)) {
    clearState(req);
    respond.message(req, res, 401, (t) => ({
      title: t.sessionExpiredTitle,
      text: t.sessionExpired,
      link: { href: config.loginPath, label: t.signInAgain },
    }));
    return undefined;
  }
  return { kind: 'sign-in', state, base: config.mountPath, words: ctx.languages.of(req) };
}

/** The settings frame of a signed-in request (an expired step dropped), or a redirect. */
export function settingsFrame(ctx: HttpContext, req: Request, res: Response): SettingsFrame | undefined {
  const { config, respond } = ctx;
  const state = readState(req);
  if (state?.status !== 'verified') {
    respond.redirect(req, res, state?.status === 'pending' ? config.mountPath : config.loginPath);
    return undefined;
  }
  if (state.flow && isExpired(ctx, state.flow.since)) delete state.flow;
  return { kind: 'settings', state, base: `${config.mountPath}/settings`, words: ctx.languages.of(req) };
}

/** The posted form when its CSRF token matches `csrf`; otherwise answers 403 and returns undefined. */
export async function checkedForm(
  ctx: HttpContext,
  req: Request,
  res: Response,
  csrf: string,
): Promise<Record<string, string> | undefined> {
  const form = await readForm(req);
  if (typeof form._csrf === 'string' && safeEqual(form._csrf, csrf)) return form;
  ctx.respond.message(req, res, 403, (t) => ({
    title: t.formExpiredTitle,
    text: t.formExpired,
    link: { href: ctx.config.mountPath, label: t.backToVerify },
  }));
  return undefined;
}

/** Back to the frame's page (post/redirect/get), with a message for it. */
export function toPage(ctx: HttpContext, req: Request, res: Response, frame: Frame, notice?: Notice): void {
  if (notice) frame.state.notice = notice;
  writeState(req, frame.state);
  ctx.respond.redirect(req, res, frame.base);
}
