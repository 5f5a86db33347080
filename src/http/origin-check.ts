import type { Request } from 'express';

/** Methods that change nothing; a cross-site page may send them (links, images) and read nothing back. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let warnedAboutProtocol = false;

/**
 * Defence in depth beside the CSRF token: whether a state-changing request was sent by another site.
 *
 * - An `Origin` header (every current browser sends one with a POST) must be the request's own
 *   origin or one of `trustedOrigins`; `Origin: null` (sandboxed frames, cross-site redirects) never is.
 * - `Sec-Fetch-Site: cross-site` is refused unless the Origin is a trusted one. `same-site` is not
 *   refused by itself: a sibling subdomain still fails the Origin comparison, and the CSRF token
 *   covers what is left. `none` (typed, bookmarked) passes.
 * - A request with neither header (an old browser, curl) goes on to the CSRF token check.
 */
export function isCrossSiteRequest(req: Request, trustedOrigins: ReadonlySet<string>): boolean {
  if (SAFE_METHODS.has(req.method)) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && trustedOrigins.has(origin)) return false;
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  if (origin === undefined) return false;
  const own = ownOrigin(req);
  if (origin === own) return false;
  if (!warnedAboutProtocol && own !== undefined && origin.replace(/^https:/, 'http:') === own) {
    // The usual cause of refusing a site's own form: TLS ends at a proxy Express does not trust.
    warnedAboutProtocol = true;
    console.warn(
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
