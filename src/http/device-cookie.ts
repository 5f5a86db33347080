import type { Request, Response } from 'express';
import { parse, serialize } from 'cookie';

export interface DeviceCookieConfig {
  secure: boolean;
  name: string;
  maxAgeMs: number;
  maxPerBrowser: number;
}

/**
 * The trusted-device cookie: a list of per-user tokens (several users may share a browser), newest
 * first. HttpOnly and SameSite=Lax always; Secure with the `__Host-` prefix outside development, so
 * no subdomain or plain-HTTP page can set or read it.
 */
export class DeviceCookie {
  readonly name: string;

  constructor(private readonly config: DeviceCookieConfig) {
    this.name = config.secure ? `__Host-${config.name}` : config.name;
  }

  read(req: Request): string[] {
    const header = req.headers.cookie;
    if (!header) return [];
    const value = parse(header)[this.name];
    return value ? value.split('~').slice(0, this.config.maxPerBrowser) : [];
  }

  /** Adds `token` for a user, replacing that user's previous token (`userTag` prefix). */
  write(req: Request, res: Response, token: string, userTag: string): void {
    const others = this.read(req).filter((t) => !t.startsWith(`${userTag}.`));
    const value = [token, ...others].slice(0, this.config.maxPerBrowser).join('~');
    appendSetCookie(
      res,
      serialize(this.name, value, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.config.secure,
        path: '/',
        maxAge: Math.floor(this.config.maxAgeMs / 1000),
      }),
    );
  }
}

// Works on Express 4 and 5 and plain Node responses alike, keeping cookies set by others.
function appendSetCookie(res: Response, cookie: string): void {
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list, cookie]);
}
