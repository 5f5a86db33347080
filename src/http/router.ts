import type { NextFunction, Request, Response } from 'express';
import { StoreUnavailableError } from '../errors';
import type { HttpContext } from './http-context';
import { BadFormError } from './form';
import { isCrossSiteRequest } from './origin-check';
import { applySessionPolicy } from './guard';
import { readState, watchSession } from './session-state';
import type { RouteHandler } from './verification-routes';

/** Whether the store is known to be usable, and a bounded wait to find out (see core/readiness.ts). */
export interface StoreReadiness {
  readonly usable: boolean;
  isReady(): Promise<boolean>;
}

/**
 * A plain middleware that dispatches the library's routes under `mountPath`. It does not depend on
 * Express's Router, so the same code serves Express 4 and 5 hosts, wherever they mount it. Until the
 * store is usable its routes answer 503; the host's own routes are never held up by it.
 */
export function createRouter(ctx: HttpContext, routes: Record<string, RouteHandler>, readiness: StoreReadiness) {
  const { mountPath } = ctx.config;
  const paths = new Set(Object.keys(routes).map((route) => route.split(' ')[1]));

  return function deviceTwoFactorRouter(req: Request, res: Response, next: NextFunction): void {
    // Fast path for the app's own requests: the full path is a prefix of originalUrl, so a URL that
    // does not start with the mount path cannot be ours (and req.path is never parsed).
    if (!(req.originalUrl ?? req.url).startsWith(mountPath)) return next();
    const fullPath = `${req.baseUrl ?? ''}${req.path}`;
    if (fullPath !== mountPath && !fullPath.startsWith(`${mountPath}/`)) return next();
    if (!isWellFormed(fullPath)) {
      ctx.respond.message(req, res, 400, (t) => ({ title: t.badAddressTitle, text: t.badAddress }));
      return;
    }
    const subPath = fullPath.slice(mountPath.length).replace(/\/+$/, '') || '/';
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const handler = routes[`${method} ${subPath}`];
    if (!handler) {
      if (paths.has(subPath)) {
        res.setHeader(
          'Allow',
          Object.keys(routes)
            .filter((r) => r.endsWith(` ${subPath}`))
            .map((r) => r.split(' ')[0])
            .join(', '),
        );
        ctx.respond.message(req, res, 405, (t) => ({ title: t.notFoundTitle, text: t.notFound }));
        return;
      }
      ctx.respond.message(req, res, 404, (t) => ({ title: t.notFoundTitle, text: t.notFound }));
      return;
    }
    // One place for every state-changing route, page or form, before any handler reads the body.
    if (isCrossSiteRequest(req, ctx.config.trustedOrigins, ctx.config.logger)) {
      ctx.respond.message(req, res, 403, (t) => ({ title: t.crossSiteTitle, text: t.crossSite }));
      return;
    }
    watchSession(req);
    const state = readState(req);
    if (state?.status === 'verified' && applySessionPolicy(ctx, req, state, () => run(handler, req, res, next))) return;
    run(handler, req, res, next);
  };

  function run(handler: RouteHandler, req: Request, res: Response, next: NextFunction): void {
    if (readiness.usable) return dispatch(handler, req, res, next);
    void readiness.isReady().then((ok) => (ok ? dispatch(handler, req, res, next) : ctx.respond.unavailable(req, res)));
  }

  function dispatch(handler: RouteHandler, req: Request, res: Response, next: NextFunction): void {
    handler(req, res).catch((error: unknown) => {
      if (error instanceof StoreUnavailableError) return ctx.respond.unavailable(req, res);
      if (error instanceof BadFormError) {
        return ctx.respond.message(req, res, error.status, (t) =>
          error.status === 413 ? { title: t.tooLargeTitle, text: t.tooLarge } : { title: t.badFormTitle, text: t.badForm },
        );
      }
      next(error);
    });
  }
}

/** Whether every percent-escape in a path decodes (a lone "%" or a broken UTF-8 sequence does not). */
function isWellFormed(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}
