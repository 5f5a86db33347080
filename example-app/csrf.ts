/**
 * CSRF protection for the app's own forms (/login, /logout and the /admin forms): one random token
 * per session, sent back in a hidden "_csrf" field and compared in constant time. The library's own
 * forms carry their own token. SameSite=Lax on the session cookie and `twoFactor.sameOriginOnly`
 * already stop cross-site posts; the token also covers same-site attackers (another app on a
 * sibling subdomain) and browsers that send neither Origin nor Fetch Metadata.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

declare module 'express-session' {
  interface SessionData {
    csrf?: string;
  }
}

/** The session's token, made on first use. A new session (sign-in, sign-out) gets a new one. */
export function csrfToken(req: Request): string {
  req.session.csrf ??= randomBytes(24).toString('base64url');
  return req.session.csrf;
}

/** Equal-length digests, so timingSafeEqual works on input of any length and leaks nothing. */
function sameToken(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || !expected) return false;
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Route middleware, after a body parser: refuses a post whose "_csrf" field does not match. */
export function requireCsrf(onRefused: (res: Response) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (sameToken((req.body as { _csrf?: unknown } | undefined)?._csrf, req.session.csrf)) return next();
    onRefused(res);
  };
}
