import type { Request, Response } from 'express';
import helmet from 'helmet';
import { STYLESHEET_HASH } from '../views/styles';
import { renderMessagePage } from '../views/message-page';

/**
 * Every response of the library's pages goes through here: helmet's headers with a strict CSP (no
 * scripts at all; the one stylesheet allowed by hash), no caching, no framing.
 */
export class Responder {
  private readonly headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        styleSrc: [STYLESHEET_HASH],
        imgSrc: ['data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

  constructor(private readonly siteName: string) {}

  html(req: Request, res: Response, status: number, body: string): void {
    this.secure(req, res);
    res.statusCode = status;
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  message(req: Request, res: Response, status: number, title: string, text: string, link?: { href: string; label: string }): void {
    this.html(req, res, status, renderMessagePage({ siteName: this.siteName, title, text, ...(link ? { link } : {}) }));
  }

  /** 303 so a POST is followed by a GET (no "resubmit form?" prompts). */
  redirect(req: Request, res: Response, location: string): void {
    this.secure(req, res);
    res.statusCode = 303;
    res.setHeader('Location', location);
    res.end();
  }

  json(req: Request, res: Response, status: number, body: unknown): void {
    this.secure(req, res);
    res.statusCode = status;
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(body));
  }

  private secure(req: Request, res: Response): void {
    // helmet's middleware only sets headers and calls next synchronously.
    this.headers(req, res, () => undefined);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
  }
}
