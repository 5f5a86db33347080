import type { Request } from 'express';
import type { Logger } from '../types';

/** Methods that change nothing; a cross-site page may send them (links, images) and read nothing back. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let warnedAboutProtocol = false;

/**
 * Defence in depth beside the CSRF token: whether a state-changing request was sent by another site.
 *
 * - Fetch Metadata, when the browser sends it, decides: `same-origin` and `none` (typed, bookmarked)
 *   pass; `cross-site` and `same-site` are refused. The library's forms post to their own origin, so
 *   a sibling subdomain posting to them is refused too (list it in `trustedOrigins` if it is yours).
 * - Without it (older browsers), an `Origin` header must be the request's own origin. `Origin: null`
 *   proves nothing either way (a same-origin form under `Referrer-Policy: no-referrer` sends it), so
 *   it goes on to the CSRF token check, as does a request with neither header (curl, a script).
 * - An Origin listed in `trustedOrigins` always passes.
 */
export function isCrossSiteRequest(req: Request, trustedOrigins: ReadonlySet<string>, logger: Logger): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && trustedOrigins.has(origin)) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  if (origin === undefined || origin === 'null') return false;
  const own = ownOrigin(req);
  if (origin === own) return false;
  if (!warnedAboutProtocol && own !== undefined && origin.replace(/^https:/, 'http:') === own) {
    // The usual cause of refusing a site's own form: TLS ends at a proxy Express does not trust.
    warnedAboutProtocol = true;
    logger.warn(
      { origin, arrivedAs: own },
      `express-device-2fa: refused a post from ${origin} because this request arrived as ${own}. Behind a TLS-terminating proxy, call app.set('trust proxy', …) so Express sees https.`,
    );
  }
  return true;
}

/**
 * The origin the browser addressed: Express's `req.protocol` and the Host, both honouring
 * `trust proxy` (X-Forwarded-Proto, X-Forwarded-Host) exactly as Express itself does.
 */
function ownOrigin(req: Request): string | undefined {
  const trust = req.app?.get('trust proxy fn') as ((address: string | undefined, hop: number) => boolean) | undefined;
  const forwardedHost = req.get('x-forwarded-host');
  const host = forwardedHost && trust?.(req.socket?.remoteAddress, 0) ? forwardedHost.split(',')[0]!.trim() : req.get('host');
  if (!host) return undefined;
  try {
    return new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}
