import type { Request, Response } from 'express';
import { renderOutboxPage } from '../views/outbox-page';
import { act, renderFrame, type Action } from './flow';
import { checkedForm, signInFrame } from './flow/frame';
import { refOf } from './flow/prove-step';
import type { HttpContext } from './http-context';
import { isLocalClient } from './local-client';
import { readState, regenerateSession, writeState } from './session-state';

export type RouteHandler = (req: Request, res: Response) => Promise<void>;

/** The sign-in step's routes under `<mountPath>`: the page, and one POST per action of its steps. */
export function verificationRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;

  async function showPage(req: Request, res: Response): Promise<void> {
    const frame = signInFrame(ctx, req, res);
    if (!frame) return;
    const notice = frame.state.notice;
    if (notice) {
      delete frame.state.notice; // shown once
      writeState(req, frame.state);
    }
    await renderFrame(ctx, req, res, frame, { to: 'render', status: 200, ...(notice ? { notice } : {}) });
  }

  const action =
    (name: Action): RouteHandler =>
    async (req, res) => {
      const frame = signInFrame(ctx, req, res);
      if (!frame) return;
      const form = await checkedForm(ctx, req, res, frame.state.csrf);
      if (form) await act(ctx, req, res, frame, name, form);
    };

  async function signOut(req: Request, res: Response): Promise<void> {
    const state = readState(req);
    if (state) {
      const form = await checkedForm(ctx, req, res, state.csrf);
      if (!form) return;
      // "Cancel" means it: the code that went out stops working (the lock-out count stays).
      if (state.status === 'pending') {
        const step = state.flow;
        if (step.step === 'prove') {
          const method = ctx.methods.get(step.method);
          await method?.discard?.({ userId: state.userId, ref: refOf(step) }, ctx.methodServices);
        } else {
          await ctx.challenges.discard(state.userId, { purpose: 'enroll-phone', attempt: step.attempt });
        }
      }
      await regenerateSession(req, config.storeTimeoutMs);
    }
    respond.redirect(req, res, config.loginPath);
  }

  const routes: Record<string, RouteHandler> = {
    'GET /': showPage,
    'POST /verify': action('verify'),
    'POST /recovery': action('recovery'),
    'POST /resend': action('resend'),
    'POST /phone': action('phone'),
    'POST /phone/change': action('change-number'),
    'POST /sign-out': signOut,
  };
  const outbox = ctx.outbox;
  if (outbox) {
    routes['GET /outbox'] = async (req, res) => {
      // Live codes: only for a browser on this machine, as if the page did not exist for anyone else.
      if (!isLocalClient(req)) return respond.message(req, res, 404, (t) => ({ title: t.notFoundTitle, text: t.notFound }));
      respond.html(
        req,
        res,
        200,
        renderOutboxPage({ siteName: config.siteName, logo: config.logo, words: ctx.languages.of(req), messages: [...outbox.messages()] }),
      );
    };
  }
  return routes;
}
