import type { NextFunction, Request, Response } from 'express';
import type { AccountAdmin } from '../core/account-admin';
import {
  ConfigurationError,
  EnforcedByAccountError,
  EnforcementIsOneWayError,
  ForbiddenError,
  SessionPolicyIsOneWayError,
  InvalidPhoneError,
  StoreUnavailableError,
} from '../errors';
import { isCrossSiteRequest } from './origin-check';
import type { AdminRouterOptions, Logger } from '../types';
import type { Responder } from './responses';

type AdminHandler = (admin: AccountAdmin, params: string[], body: Record<string, unknown>) => Promise<unknown>;

const LIMIT_BYTES = 4 * 1024;

/**
 * The admin operations as a JSON router, for the host to mount behind its own admin check:
 * `app.use('/admin/2fa', requireAdmin, twoFactor.adminRouter({ account: (req) => req.user.accountId }))`.
 * Writes need `Content-Type: application/json`, which a cross-site page cannot send without a CORS
 * preflight (checked even when a host parser already read the body); DELETE needs a preflight
 * anyway. Every write is also refused when another site sent it (Fetch Metadata, Origin).
 */
export function createAdminRouter(
  forAccount: (accountId: string, adminId: string) => AccountAdmin,
  respond: Responder,
  { trustedOrigins, logger }: { trustedOrigins: ReadonlySet<string>; logger: Logger },
  options: AdminRouterOptions,
) {
  if (typeof options?.account !== 'function') {
    throw new ConfigurationError(
      'express-device-2fa: adminRouter({ account }): `account` must be a function `(req) => accountId` from your own admin session.',
    );
  }
  const routes: [method: string, pattern: RegExp, handler: AdminHandler][] = [
    ['GET', /^\/users$/, (admin) => admin.listUsers()],
    ['GET', /^\/users\/([^/]+)$/, (admin, [id]) => admin.getUser(id!)],
    ['PUT', /^\/users\/([^/]+)\/2fa$/, (admin, [id], body) => admin.setUserEnabled(id!, boolean(body, 'enabled'))],
    ['POST', /^\/users\/([^/]+)\/phone\/reset$/, (admin, [id]) => admin.resetPhone(id!)],
    ['PUT', /^\/users\/([^/]+)\/phone$/, (admin, [id], body) => admin.setPhone(id!, body.phone as string, phoneMethod(body))],
    ['GET', /^\/users\/([^/]+)\/devices$/, (admin, [id]) => admin.listDevices(id!)],
    ['DELETE', /^\/users\/([^/]+)\/devices$/, async (admin, [id]) => ({ revoked: await admin.revokeAllDevices(id!) })],
    [
      'DELETE',
      /^\/users\/([^/]+)\/devices\/([^/]+)$/,
      async (admin, [id, device]) => ({ revoked: await admin.revokeDevice(id!, device!) }),
    ],
    ['DELETE', /^\/users\/([^/]+)\/lockout$/, async (admin, [id]) => ({ unlocked: await admin.unlock(id!) })],
    ['GET', /^\/users\/([^/]+)\/sessions$/, (admin, [id]) => admin.listSessions(id!)],
    ['DELETE', /^\/users\/([^/]+)\/sessions$/, async (admin, [id]) => ({ ended: await admin.signOutEverywhere(id!) })],
    ['PUT', /^\/users\/([^/]+)\/clients$/, (admin, [id], body) => admin.blockClients(id!, boolean(body, 'blocked'))],
    ['GET', /^\/account$/, (admin) => admin.getAccount()],
    ['PUT', /^\/account\/clients$/, (admin, _params, body) => admin.blockAccountClients(boolean(body, 'blocked'))],
    ['POST', /^\/account\/enforce$/, (admin) => admin.enforce()],
    // Stated, so a client trying gets a clear answer rather than a 404.
    ['DELETE', /^\/account\/enforce$/, (admin) => admin.enforce(false as unknown as true)],
    ['PUT', /^\/users\/([^/]+)\/session-policy$/, (admin, [id], body) => admin.setSessionPolicy(id!, boolean(body, 'on'))],
    ['POST', /^\/account\/session-policy$/, (admin) => admin.enableSessionPolicy()],
    ['DELETE', /^\/account\/session-policy$/, (admin) => admin.enableSessionPolicy(false as unknown as true)],
  ];

  return function deviceTwoFactorAdminRouter(req: Request, res: Response, next: NextFunction): void {
    const match = routes.find(([method, pattern]) => method === req.method && pattern.test(req.path));
    if (!match) return next();
    const [, pattern, handler] = match;
    if (isCrossSiteRequest(req, trustedOrigins, logger)) {
      respond.json(req, res, 403, { error: 'cross_site_request', message: 'This request was sent from another site.' });
      return;
    }
    (async () => {
      const params = (pattern.exec(req.path) ?? []).slice(1).map(decode);
      const accountId = await options.account(req);
      if (!accountId) throw new ForbiddenError();
      const body = req.method === 'GET' || req.method === 'DELETE' ? {} : await readJson(req);
      const result = await handler(forAccount(accountId, options.adminId?.(req) ?? 'admin'), params, body);
      respond.json(req, res, 200, result);
    })().catch((error: unknown) => {
      const status = statusOf(error);
      if (status === undefined) return next(error);
      respond.json(req, res, status, { error: (error as { code?: string }).code ?? 'bad_request', message: (error as Error).message });
    });
  };
}

/**
 * The status of a refusal the client can act on. Anything else (a bug in the host's `account`, a
 * library call with a wrong argument) goes on to the host's error handler: never a 400 by accident.
 */
function statusOf(error: unknown): number | undefined {
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof EnforcedByAccountError || error instanceof EnforcementIsOneWayError || error instanceof SessionPolicyIsOneWayError)
    return 409;
  if (error instanceof StoreUnavailableError) return 503;
  if (error instanceof BadRequest || error instanceof InvalidPhoneError) return 400;
  return undefined;
}

/** A field of the body the operation needs as a boolean: the client's mistake, so a 400. */
function boolean(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (typeof value !== 'boolean') throw new BadRequest(`The body needs "${name}": true or false.`);
  return value;
}

function phoneMethod(body: Record<string, unknown>): 'sms' | 'voice' {
  const method = body.method ?? 'sms';
  if (method !== 'sms' && method !== 'voice') throw new BadRequest('"method" must be "sms" or "voice".');
  return method;
}

class BadRequest extends Error {
  readonly code = 'bad_request';
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequest('Malformed path segment.');
  }
}

/** The JSON body (the host's parser result, or read here with a small limit). Must be an object. */
async function readJson(req: Request): Promise<Record<string, unknown>> {
  // Even an empty write must say JSON: a cross-site page cannot send that type without a CORS
  // preflight. Checked whatever parsed the body: a host's urlencoded parser reads a form just as well.
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/json') throw new BadRequest('Send Content-Type: application/json (and a JSON object body, if any).');
  let body: unknown = (req as { body?: unknown }).body;
  if (body === undefined || (typeof body === 'object' && body !== null && Object.keys(body).length === 0 && !req.readableEnded)) {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > LIMIT_BYTES) throw new BadRequest('The body is too large.');
    const text = await new Promise<string>((resolve, reject) => {
      let size = 0;
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > LIMIT_BYTES) reject(new BadRequest('The body is too large.'));
        else chunks.push(chunk);
      });
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
    if (text.trim() === '') return {};
    try {
      body = JSON.parse(text);
    } catch {
      throw new BadRequest('The body is not valid JSON.');
    }
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('The body must be a JSON object.');
  return body as Record<string, unknown>;
}
