/**
 * The host's own pages: the password form and the dashboard. The verification page between them is
 * the library's. No template engine: a tiny `html` tag that escapes every interpolated value.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is already escaped (the result of `html`), so nesting does not escape twice. */
class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function escape(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(escape).join('');
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  return new Markup(strings.reduce((out, part, i) => out + escape(values[i - 1]) + part));
}

// One small stylesheet, inline, allowed by its hash so the CSP needs no 'unsafe-inline'.
const STYLES = `
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #1b1f24; }
header { padding: 1.5rem 1rem 0; text-align: center; font-weight: 600; }
main { max-width: 26rem; margin: 2rem auto; padding: 0 1rem; }
.card { background: #fff; border: 1px solid #dde1e6; border-radius: 12px; padding: 1.75rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.3rem; }
input { box-sizing: border-box; width: 100%; padding: 0.6rem 0.7rem; font: inherit; border: 1px solid #767f8b; border-radius: 8px; }
button { margin-top: 1.25rem; padding: 0.6rem 1.1rem; font: inherit; font-weight: 600; color: #fff; background: #1d4ed8; border: 0; border-radius: 8px; cursor: pointer; }
button:hover { background: #1e40af; }
.error { padding: 0.6rem 0.8rem; background: #fdeceb; border-left: 4px solid #b42318; color: #7a1a12; }
.hint { color: #4d5560; font-size: 0.9rem; }
`;
const STYLES_HASH = `'sha256-${createHash('sha256').update(STYLES).digest('base64')}'`;

// The host's pages get a CSP as strict as the library's: no scripts at all.
const CSP = `default-src 'none'; style-src ${STYLES_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function send(res: Response, status: number, title: string, body: Markup): void {
  res
    .status(status)
    .set({ 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    .type('html')
    .send(
      html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example Co</title>
<style>${new Markup(STYLES)}</style>
</head>
<body>
<header>Example Co</header>
<main><div class="card">
${body}
</div></main>
</body>
</html>
`.value,
    );
}

export interface LoginPageModel {
  returnTo: string;
  email?: string;
  error?: string;
  /** Demo users to list under the form (development only). */
  hint?: string[];
}

export function sendLoginPage(res: Response, status: number, { returnTo, email = '', error, hint }: LoginPageModel): void {
  send(
    res,
    status,
    'Sign in',
    html`<h1>Sign in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
<input type="hidden" name="returnTo" value="${returnTo}">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" value="${email}" required${email ? '' : html` autofocus`}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${email ? html` autofocus` : ''}>
<button type="submit">Sign in</button>
</form>
${hint ? html`<p class="hint">Demo users: ${hint.join(', ')}. Password: <code>demo-password</code>.</p>` : ''}`,
  );
}

export function sendDashboard(res: Response, email: string): void {
  send(
    res,
    200,
    'Dashboard',
    html`<h1>Dashboard</h1>
<p>Signed in as ${email}</p>
<form method="post" action="/logout">
<button type="submit">Sign out</button>
</form>`,
  );
}
