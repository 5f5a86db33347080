import type { Request, Response } from 'express';
import { sessionEndsAt, type SessionPolicyState } from '../core/session-policy';
import { sessionScript } from '../views/session-script';
import type { HttpContext } from './http-context';
import { readState, regenerateSession, writeState, type VerifiedState } from './session-state';
import { checkedForm } from './flow/frame';
import type { RouteHandler } from './verification-routes';

type PolicyState = VerifiedState & { policy: SessionPolicyState };

/** Asked by the warning script; not counted as activity (see applySessionPolicy). */
export const SESSION_STATUS_PATH = '/session/status';

/**
 * The session warning: a static script a host page includes with one `<script src>` tag, and the
 * JSON it talks to. The policy itself is enforced server-side (guard and router) before these run,
 * so an ended session reaches them already signed out.
 */
export function sessionRoutes(ctx: HttpContext): Record<string, RouteHandler> {
  const { config, respond } = ctx;
  const script = sessionScript(config.mountPath);

  const withPolicy = (req: Request): PolicyState | undefined => {
    const state = readState(req);
    return state?.status === 'verified' && state.policy ? (state as PolicyState) : undefined;
  };
  const endsInMs = (state: PolicyState) => sessionEndsAt(state.policy, state.lastActiveAt ?? state.verifiedAt) - config.now();

  /** The POSTs: a session under the policy and the form's token, else a JSON 401/403. */
  async function posted(req: Request, res: Response): Promise<PolicyState | undefined> {
    const state = withPolicy(req);
    if (!state) {
      respond.json(req, res, 401, { error: 'not_signed_in', loginPath: config.loginPath });
      return undefined;
    }
    return (await checkedForm(ctx, req, res, state.csrf)) ? state : undefined;
  }

  return {
    'GET /session.js': async (req, res) => respond.script(req, res, script),
    [`GET ${SESSION_STATUS_PATH}`]: async (req, res) => {
      const state = withPolicy(req);
      if (!state) return respond.json(req, res, 200, { active: false });
      // The warning's words in this request's language: session.js itself is the same file for every language.
      const words = ctx.languages.of(req);
      respond.json(req, res, 200, {
        active: true,
        endsInMs: endsInMs(state),
        warningMs: config.sessionPolicy.warningMs,
        csrf: state.csrf,
        loginPath: config.loginPath,
        lang: words.lang,
        text: words.t.sessionWarning,
      });
    },
    'POST /session/keep-alive': async (req, res) => {
      const state = await posted(req, res);
      if (!state) return;
      const kept = { ...state, lastActiveAt: config.now() };
      writeState(req, kept);
      respond.json(req, res, 200, { endsInMs: endsInMs(kept) });
    },
    'POST /session/sign-out-everywhere': async (req, res) => {
      const state = await posted(req, res);
      if (!state) return;
      const count = await ctx.sessions.end(state.userId);
      ctx.events.emit({ type: 'sessions.ended', userId: state.userId, count, by: { kind: 'user' } });
      await regenerateSession(req, config.storeTimeoutMs);
      respond.json(req, res, 200, { signedOut: true, loginPath: config.loginPath });
    },
  };
}
