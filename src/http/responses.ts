import type { Request, Response } from 'express';
import helmet from 'helmet';
import type { Logo } from '../options';
import { STYLESHEET_HASH } from '../views/styles';
import { renderMessagePage } from '../views/message-page';
import type { Strings } from '../views/strings';
import type { Words } from '../views/words';
import { commitSession, detachSession, needsCommit } from './session-state';

/**
 * Every response of the library's pages goes through here: helmet's headers with a strict CSP (no
 * scripts but the library's own static ones, `'self'`; the one stylesheet allowed by hash; images
 * only as data: and from the logo's origin), no caching, no framing. An answer goes out
 * only once the session changes it reports are stored; if they cannot be, the 503 goes instead.
 */
export class Responder {
  private readonly headers: ReturnType<typeof helmet>;
  private readonly words: (req: Request) => Words;
  private readonly logo: Logo | undefined;

  constructor(
    private readonly siteName: string,
    private readonly storeTimeoutMs: number,
    /**
     * `hsts`: off in development, where one HTTPS page on localhost would pin every local app to HTTPS for a year.
     * `logo`: on every page, and its origin in the CSP's img-src.
     * `words`: the language of a request's pages.
     */
    { hsts, logo, words }: { hsts: boolean; logo?: Logo | undefined; words: (req: Request) => Words },
  ) {
    this.logo = logo;
    this.words = words;
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

  /** A message page, worded from the request's table: `message(req, res, 404, (t) => ({ title: t.notFoundTitle, text: t.notFound }))`. */
  message(
    req: Request,
    res: Response,
    status: number,
    say: (t: Strings) => { title: string; text: string; link?: { href: string; label: string } },
  ): void {
    const words = this.words(req);
    const { title, text, link } = say(words.t);
    this.html(
      req,
      res,
      status,
      renderMessagePage({ siteName: this.siteName, logo: this.logo, words, title, text, ...(link ? { link } : {}) }),
    );
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
      this.json(req, res, 503, { error: 'temporarily_unavailable', message: this.words(req).t.unavailable });
      return;
    }
    this.message(req, res, 503, (t) => ({ title: t.unavailableTitle, text: t.unavailable }));
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
