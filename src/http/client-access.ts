import type { NextFunction, Request, Response } from 'express';
import { clientBlock, type ClientBlock } from '../core/client-access';
import { ConfigurationError, StoreUnavailableError } from '../errors';
import type { Configuration } from '../options';
import type { ExemptClient, SignInOutcome } from '../types';
import type { HttpContext } from './http-context';

/**
 * What the host's `exempt` says of the request: false, true (a client passed untouched, at no cost)
 * or the client it identified. Any other truthy value still counts as `true`, as it always did.
 */
export function exemptVerdict(config: Configuration, req: Request): boolean | ExemptClient {
  const verdict: unknown = config.exempt?.(req);
  if (typeof verdict !== 'object' || verdict === null) return Boolean(verdict);
  const { userId, client } = verdict as Partial<ExemptClient>;
  if (typeof userId === 'string' && userId !== '' && (client === undefined || typeof client === 'string')) return verdict as ExemptClient;
  // Passing it as `true` would skip the very check the object asked for.
  throw new ConfigurationError(
    'express-device-2fa: `exempt` returned an object that is not `{ userId: string, client?: string }`. Return true, false, or who the client is.',
    'ERR_2FA_BAD_EXEMPT_VERDICT',
  );
}

/**
 * The guard on an identified exempt request: through when neither the user nor their account
 * blocks such clients, a 403 when one does, a 503 when that cannot be read (never through).
 */
export function admitClient(
  ctx: HttpContext,
  ready: () => Promise<boolean>,
  req: Request,
  res: Response,
  next: NextFunction,
  client: ExemptClient,
): void {
  const check = async (): Promise<ClientBlock | null> => {
    if (!(await ready())) throw new StoreUnavailableError(new Error('the store is not ready'));
    return clientBlock(ctx.directory, client.userId);
  };
  check().then(
    (blockedBy) => (blockedBy ? refuse(ctx, req, res, client, blockedBy, true) : next()),
    (error: unknown) => (error instanceof StoreUnavailableError ? unavailableFor(ctx, req, res) : next(error)),
  );
}

/** `passwordVerified` on an identified exempt request: the user whose password was verified must not block such clients. */
export async function exemptSignIn(
  ctx: HttpContext,
  req: Request,
  res: Response,
  userId: string,
  client: ExemptClient,
  respond: boolean,
): Promise<SignInOutcome> {
  let blockedBy: ClientBlock | null;
  try {
    blockedBy = await clientBlock(ctx.directory, userId);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    if (respond) unavailableFor(ctx, req, res);
    return { status: 'unavailable' };
  }
  if (!blockedBy) return { status: 'exempt' };
  refuse(ctx, req, res, { ...client, userId }, blockedBy, respond);
  return { status: 'blocked', blockedBy };
}

/** A 403: JSON for API clients (anything that does not ask for HTML), a page for a browser. */
function refuse(ctx: HttpContext, req: Request, res: Response, client: ExemptClient, blockedBy: ClientBlock, respond: boolean): void {
  ctx.events.emit({ type: 'client.blocked', userId: client.userId, client: client.client ?? null, blockedBy });
  if (!respond) return;
  const { t } = ctx.languages.of(req);
  const text = blockedBy === 'user' ? t.clientBlockedByUser : t.clientBlockedByAccount;
  if (!wantsHtml(req)) return ctx.respond.json(req, res, 403, { error: 'two_factor_client_blocked', blockedBy, message: text });
  const settings = { href: `${ctx.config.mountPath}/settings`, label: t.openSettings };
  ctx.respond.message(req, res, 403, () => ({ title: t.clientBlockedTitle, text, ...(blockedBy === 'user' ? { link: settings } : {}) }));
}

/** The 503 "try again", as JSON for API clients (as the 403). */
function unavailableFor(ctx: HttpContext, req: Request, res: Response): void {
  ctx.respond.unavailable(req, res, !wantsHtml(req));
}

function wantsHtml(req: Request): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}
