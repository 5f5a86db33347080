/**
 * The host's own pages: the password form and the dashboard. The verification page between them is
 * the library's. No template engine: a tiny `html` tag that escapes every interpolated value.
 */
import { createHash } from 'node:crypto';
import type { Response } from 'express';
// In your app: import type { ... } from 'express-device-2fa';
import type { TrustedDevice, UserTwoFactorState } from '../src';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Markup that is already escaped (the result of `html`), so nesting does not escape twice. */
class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

function escapeHtml(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(escapeHtml).join('');
  return String(value ?? '').replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  return new Markup(strings.reduce((out, part, i) => out + escapeHtml(values[i - 1]) + part));
}

// One small stylesheet, inline, allowed by its hash so the CSP needs no 'unsafe-inline'.
const STYLES = `
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; background: #f3f4f6; color: #1b1f24; }
header { padding: 1.5rem 1rem 0; text-align: center; font-weight: 600; }
main { max-width: 26rem; margin: 2rem auto; padding: 0 1rem; }
main.wide { max-width: 48rem; }
.card { background: #fff; border: 1px solid #dde1e6; border-radius: 12px; padding: 1.75rem; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin: 1rem 0 0.3rem; }
input { box-sizing: border-box; width: 100%; padding: 0.6rem 0.7rem; font: inherit; border: 1px solid #767f8b; border-radius: 8px; }
button { margin-top: 1.25rem; padding: 0.6rem 1.1rem; font: inherit; font-weight: 600; color: #fff; background: #1d4ed8; border: 0; border-radius: 8px; cursor: pointer; }
button:hover { background: #1e40af; }
.error { padding: 0.6rem 0.8rem; background: #fdeceb; border-left: 4px solid #b42318; color: #7a1a12; }
.hint { color: #4d5560; font-size: 0.9rem; }
.info { padding: 0.6rem 0.8rem; background: #e8f0fe; border-left: 4px solid #1d4ed8; }
a { color: #1d4ed8; }
section { border-top: 1px solid #dde1e6; margin-top: 1.25rem; padding-top: 0.5rem; }
h2 { font-size: 1.1rem; margin: 0.75rem 0 0.25rem; }
ul { padding-left: 1.2rem; }
.row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.row form { display: inline; }
.row button { margin-top: 0.5rem; }
button.small { margin-top: 0; padding: 0.25rem 0.7rem; font-size: 0.9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
const STYLES_HASH = `'sha256-${createHash('sha256').update(STYLES).digest('base64')}'`;

// The host's pages get a CSP as strict as the library's: no scripts at all, except on the
// dashboard the library's session warning (served from our origin, so 'self'; it calls back there).
const CSP = `default-src 'none'; style-src ${STYLES_HASH}; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;
const CSP_WITH_SESSION_SCRIPT = `${CSP}; script-src 'self'; connect-src 'self'`;

function send(res: Response, status: number, title: string, body: Markup, { wide = false, sessionScript = false } = {}): void {
  res
    .status(status)
    .set({
      'Content-Security-Policy': sessionScript ? CSP_WITH_SESSION_SCRIPT : CSP,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
    })
    .type('html')
    .send(
      html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example Co</title>
<style>${new Markup(STYLES)}</style>
${sessionScript ? new Markup('<script src="/2fa/session.js" defer></script>') : ''}
</head>
<body>
<header>Example Co</header>
<main${wide ? new Markup(' class="wide"') : ''}><div class="card">
${body}
</div></main>
</body>
</html>
`.value,
    );
}

export interface LoginPageModel {
  returnTo: string;
  /** The session's CSRF token (see csrf.ts). */
  csrf: string;
  email?: string;
  error?: string;
  /** Demo users to list under the form (development only). */
  hint?: string[];
}

export function sendLoginPage(res: Response, status: number, { returnTo, csrf, email = '', error, hint }: LoginPageModel): void {
  send(
    res,
    status,
    'Sign in',
    html`<h1>Sign in</h1>
${error ? html`<p class="error" role="alert">${error}</p>` : ''}
<form method="post" action="/login">
${csrfField(csrf)}
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

/** The hidden field that carries the session's CSRF token (see csrf.ts). */
function csrfField(token: string): Markup {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export function sendDashboard(res: Response, { email, csrf, isAdmin }: { email: string; csrf: string; isAdmin: boolean }): void {
  send(
    res,
    200,
    'Dashboard',
    html`<h1>Dashboard</h1>
<p>Signed in as ${email}</p>
<ul>
<li><a href="/2fa/settings">Security settings</a> (how you get codes, trusted browsers, recovery codes)</li>
${isAdmin ? html`<li><a href="/admin">Admin: two-step verification for your account's users</a></li>` : ''}
</ul>
<form method="post" action="/logout">
${csrfField(csrf)}
<button type="submit">Sign out</button>
</form>`,
    // The library's session warning ("Your session is about to end"), for accounts with the enhancement on.
    { sessionScript: true },
  );
}

/** 403: not an admin, another account's user, or a form without the right CSRF token. */
export function sendForbidden(res: Response, text = 'You don’t have access to this page.'): void {
  send(
    res,
    403,
    'Forbidden',
    html`<h1>Forbidden</h1>
<p class="error" role="alert">${text}</p>
<p><a href="/">Back to the dashboard</a></p>`,
  );
}

export interface AdminPageModel {
  adminEmail: string;
  accountId: string;
  csrf: string;
  /** When the account started enforcing 2FA, or null while it does not. */
  enforcedAt: number | null;
  /** Apps that can't ask for a code are refused for every user of the account. */
  clientsBlocked: boolean;
  /** The "Sessions" enhancement (one-way). */
  sessionPolicy: boolean;
  notice?: { kind: 'error' | 'info'; text: string };
  users: Array<UserTwoFactorState & { devices: TrustedDevice[] }>;
}

// The library may offer more methods than this app names: those show by their id.
const METHOD_NAMES: Readonly<Partial<Record<string, string>>> = {
  email: 'email',
  sms: 'text message',
  voice: 'phone call',
  totp: 'authenticator app',
  passkey: 'passkey',
};

function formatDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A one-button form posting to `action` (with the CSRF token and an optional field). */
function button(csrf: string, action: string, label: string, forWhom: string, field?: [string, string]): Markup {
  return html`<form method="post" action="${action}">
${csrfField(csrf)}${field ? html`<input type="hidden" name="${field[0]}" value="${field[1]}">` : ''}
<button type="submit" class="small">${label}<span class="visually-hidden"> ${forWhom}</span></button>
</form>`;
}

function adminUser(user: AdminPageModel['users'][number], csrf: string, enforced: boolean): Markup {
  const base = `/admin/users/${encodeURIComponent(user.userId)}`;
  const state = user.enabled ? 'on' : enforced ? 'required by the account (own switch off)' : 'off';
  return html`<section>
<h2>${user.email}</h2>
<p>Two-step verification: <strong>${state}</strong>. Codes by ${METHOD_NAMES[user.method] ?? user.method}; phone: ${user.phone ?? (user.unverifiedPhone ? `${user.unverifiedPhone} (not yet confirmed)` : 'none')}; trusted browsers: ${user.deviceCount}.${user.blockClients ? ' API tokens blocked.' : ''}${user.lockedOut ? html` <strong>Locked out</strong> after 100 wrong codes.` : ''}</p>
<div class="row">
${user.enabled ? button(csrf, `${base}/2fa`, 'Turn off', `for ${user.email}`, ['enabled', 'false']) : button(csrf, `${base}/2fa`, 'Turn on', `for ${user.email}`, ['enabled', 'true'])}
${user.phone ? button(csrf, `${base}/phone/reset`, 'Reset phone', `of ${user.email}`) : ''}
${user.lockedOut ? button(csrf, `${base}/unlock`, 'Unlock codes', `for ${user.email}`) : ''}
${button(csrf, `${base}/sessions/end`, 'Sign out everywhere', `${user.email}`)}
${user.blockClients ? button(csrf, `${base}/clients`, 'Allow API tokens', `for ${user.email}`, ['blocked', 'false']) : button(csrf, `${base}/clients`, 'Block API tokens', `for ${user.email}`, ['blocked', 'true'])}
<form method="post" action="${base}/phone">
${csrfField(csrf)}<label for="phone-${user.userId}">Mobile number<span class="visually-hidden"> of ${user.email}</span></label>
<input id="phone-${user.userId}" name="phone" type="tel" autocomplete="off" required>
<button type="submit" class="small">Set phone<span class="visually-hidden"> of ${user.email}</span></button>
</form>
${user.devices.length > 0 ? button(csrf, `${base}/devices/revoke-all`, 'Revoke all browsers', `of ${user.email}`) : ''}
</div>
${
  user.devices.length > 0
    ? html`<ul>
${user.devices.map(
  (d) => html`<li><div class="row">${d.label}, trusted ${formatDate(d.createdAt)}, last used ${formatDate(d.lastUsedAt)}
${button(csrf, `${base}/devices/revoke`, 'Revoke', `${d.label} of ${user.email}`, ['deviceId', d.id])}</div></li>
`,
)}</ul>`
    : ''
}
</section>`;
}

export function sendAdminPage(res: Response, model: AdminPageModel): void {
  const { csrf, enforcedAt } = model;
  send(
    res,
    200,
    'Admin',
    html`<p><a href="/">Dashboard</a></p>
<h1>Two-step verification for ${model.accountId}</h1>
<p class="hint">Signed in as ${model.adminEmail}.</p>
${model.notice ? html`<p class="${model.notice.kind}" role="${model.notice.kind === 'error' ? 'alert' : 'status'}">${model.notice.text}</p>` : ''}
${
  enforcedAt === null
    ? html`<form method="post" action="/admin/account/enforce">
${csrfField(csrf)}
<p>Each user's own switch decides. Enforcing makes every user of ${model.accountId} verify with a code. It can't be undone.</p>
<button type="submit">Enforce two-step verification for the whole account</button>
</form>`
    : html`<p class="info">Enforced since ${formatDate(enforcedAt)}: every user of ${model.accountId} verifies with a code.</p>`
}
${
  model.sessionPolicy
    ? html`<p class="info">Sessions end after a while without activity, with a warning first.</p>`
    : html`<form method="post" action="/admin/account/session-policy">
${csrfField(csrf)}
<p>Sessions last until the user signs out. Switching on the session policy ends them after a while without activity (with a warning first); every user is signed out once. It can't be undone.</p>
<button type="submit">End idle sessions for the whole account</button>
</form>`
}
<form method="post" action="/admin/account/clients">
${csrfField(csrf)}<input type="hidden" name="blocked" value="${model.clientsBlocked ? 'false' : 'true'}">
<p>${model.clientsBlocked ? 'Apps that can’t ask for a code (API tokens) are blocked for every user.' : 'Apps that can’t ask for a code (API tokens) work for every user who has not blocked them.'}</p>
<button type="submit">${model.clientsBlocked ? 'Allow API tokens again' : 'Block API tokens for the whole account'}</button>
</form>
${model.users.map((user) => adminUser(user, csrf, enforcedAt !== null))}`,
    { wide: true },
  );
}
