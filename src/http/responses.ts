import type { Request, Response } from 'express';
import helmet from 'helmet';
import type { Logo } from '../options';
import { STYLESHEET_HASH } from '../views/styles';
import { renderMessagePage } from '../views/message-page';
import { strings } from '../views/strings';
import { commitSession, detachSession, needsCommit } from './session-state';

/**
 * Every response of the library's pages goes through here: helmet's headers with a strict CSP (no
 * scripts but the library's own static ones, `'self'`; the one stylesheet allowed by hash; images
 * only as data: and from the logo's origin), no caching, no framing. An answer goes out
 * only once the session changes it reports are stored; if they cannot be, the 503 goes instead.
 */
export class Responder {
  private readonly headers: ReturnType<typeof helmet>;
  private readonly logo: Logo | undefined;

  constructor(
    private readonly siteName: string,
    private readonly storeTimeoutMs: number,
    /**
     * `hsts`: off in development, where one HTTPS page on localhost would pin every local app to HTTPS for a year.
     * `logo`: on every page, and its origin in the CSP's img-src.
     */
    { hsts, logo }: { hsts: boolean; logo?: Logo | undefined },
  ) {
    this.logo = logo;
    this.headers = helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          // A method's own page script (passkeys), served from the library's path; never inline.
          scriptSrc: ["'self'"],
          styleSrc: [STYLESHEET_HASH],
          // The host's logo, if any: from exactly its origin.
          imgSrc: ['data:', ...(logo ? [logo.imgSource] : [])],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
        },
      },
      xFrameOptions: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: hsts,
    });
  }

  html(req: Request, res: Response, status: number, body: string): void {
    this.secure(req, res);
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    this.send(req, res, req.method === 'HEAD' ? undefined : body);
  }

  message(req: Request, res: Response, status: number, title: string, text: string, link?: { href: string; label: string }): void {
    this.html(req, res, status, renderMessagePage({ siteName: this.siteName, logo: this.logo, title, text, ...(link ? { link } : {}) }));
  }

  /** 303 so a POST is followed by a GET (no "resubmit form?" prompts). */
  redirect(req: Request, res: Response, location: string): void {
    this.secure(req, res);
    res.statusCode = 303;
    res.setHeader('Location', location);
    this.send(req, res, undefined);
  }

  json(req: Request, res: Response, status: number, body: unknown): void {
    this.secure(req, res);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.send(req, res, JSON.stringify(body));
  }

  /** A static file of the library's (session.js, a method's script): cacheable for an hour, never sniffed as anything else. */
  script(req: Request, res: Response, body: string, type = 'text/javascript; charset=utf-8'): void {
    this.secure(req, res);
    res.statusCode = 200;
    res.setHeader('Content-Type', type);
    res.setHeader('Cache-Control', 'public, max-age=3600');
    res.removeHeader('Pragma');
    this.send(req, res, req.method === 'HEAD' ? undefined : body);
  }

  /**
   * The 503 "try again" (a page, or JSON for a JSON client) when a store the step needs (the
   * library's, the durable store, the session store) failed or did not answer: nothing happened,
   * so the session stays as it is stored and nothing a half-done step set (a redirect, a cookie) goes out.
   * `json` overrides the choice (the guard answers API clients in JSON whatever they accept).
   */
  unavailable(req: Request, res: Response, json = req.accepts?.(['html', 'json']) === 'json'): void {
    detachSession(req);
    for (const header of ['Location', 'Set-Cookie', 'Content-Length']) res.removeHeader(header);
    res.setHeader('Retry-After', '30');
    if (json) {
      this.json(req, res, 503, { error: 'temporarily_unavailable', message: strings.unavailable });
      return;
    }
    this.message(req, res, 503, strings.unavailableTitle, strings.unavailable);
  }

  private send(req: Request, res: Response, body: string | undefined): void {
    if (!needsCommit(req)) {
      res.end(body);
      return;
    }
    commitSession(req, this.storeTimeoutMs).then(
      () => res.end(body),
      () => this.unavailable(req, res),
    );
  }

  private secure(req: Request, res: Response): void {
    // helmet's middleware only sets headers and calls next synchronously.
    this.headers(req, res, () => undefined);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
}
