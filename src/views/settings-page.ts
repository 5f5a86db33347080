import type { SignedInSession } from '../types';
import { basePath, csrfField, renderActionForm, renderNotice, type Notice } from './components';
import { renderTime } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import { safeHref } from './message-page';
import { strings } from './strings';
import type { LogoOptions } from '../types';

export { formatDate } from './format';

/** A trusted browser as the settings page shows it. */
export interface DeviceView {
  /** Public id, posted back as "deviceId" to revoke it. */
  id: string;
  /** e.g. "Chrome 131 on macOS" (from the User-Agent: attacker-influenced, always escaped). */
  label: string;
  createdAt: number;
  lastUsedAt: number;
  expiresAt: number;
  /** The browser this page is shown in. */
  current: boolean;
  /** An approximate place the host supplied (e.g. an IP prefix), if any. */
  placeHint?: string;
}

export interface SettingsPageModel {
  siteName: string;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** Forms post to `${mountPath}/settings/...`. */
  mountPath: string;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  notice?: Notice;
  /** Where "Back" goes (a same-site path or an http(s) URL; anything else becomes "/"). */
  backHref: string;
  /** Masked email address. */
  email: string;
  /** Whether 2FA applies to this user (their switch, or their account's enforcement). */
  required: boolean;
  /** The user's own switch. */
  enabled: boolean;
  enforcedByAccount: boolean;
  /** The current method's id. */
  method: string;
  /** Every method this site offers, in order; those the user cannot use yet are shown disabled. */
  methods: MethodChoice[];
  /** One section per method the user sets up here (an authenticator app, passkeys). */
  enrolments: EnrolmentView[];
  /** Masked verified phone, or null. */
  phone: string | null;
  /** False for a phone-only user (codes never by email). */
  emailCodes: boolean;
  /** The user's own "block clients that cannot do 2FA". */
  blockClients: boolean;
  /** The user's account blocks those clients for everyone (the user's own switch then changes nothing). */
  clientsBlockedByAccount: boolean;
  devices: DeviceView[];
  /** The user's signed-in sessions; `current` is the one this page is shown in. */
  sessions: SignedInSession[];
  recoveryCodesLeft: number;
}

/** A method as a choice on the settings page. */
export interface MethodChoice {
  id: string;
  label: string;
  usable: boolean;
  /** Where its codes go (masked) when usable; else what to do first. */
  hint: string | null;
}

/** A method's credentials and its "add" button. */
export interface EnrolmentView {
  method: string;
  strings: { heading: string; add: string; none: string };
  credentials: { id: string; label: string; createdAt: number; lastUsedAt: number | null }[];
}

function section(id: string, heading: string, content: SafeHtml): SafeHtml {
  return html`<section class="section" aria-labelledby="${id}">
<h2 id="${id}">${heading}</h2>
${content}
</section>`;
}

function methodChoices(model: SettingsPageModel, idPrefix: string): SafeHtml[] {
  return model.methods.map(({ id: m, label, usable, hint }) => {
    return html`<div class="check">
<input type="radio" id="${idPrefix}-${m}" name="method" value="${m}"${m === model.method && html` checked`}${!usable && html` disabled`}${hint && html` aria-describedby="${idPrefix}-${m}-hint"`}>
<label for="${idPrefix}-${m}">${label}</label>
${hint && html`<p class="hint" id="${idPrefix}-${m}-hint">${hint}</p>`}
</div>
`;
  });
}

function methodSection(model: SettingsPageModel, action: string): SafeHtml {
  return html`<form method="post" action="${action}">
${csrfField(model.csrfToken)}
<fieldset class="choices" aria-labelledby="method-heading">
${methodChoices(model, 'method')}</fieldset>
<button type="submit" class="btn-secondary">${strings.saveButton}</button>
</form>
${emailCodesForm(model, `${basePath(model.mountPath)}/settings/email-codes`)}`;
}

/** With a verified phone, the user may stop codes going by email ("phone only"), and allow them again. */
function emailCodesForm(model: SettingsPageModel, action: string): SafeHtml {
  if (model.phone === null) return html``;
  const allowed = model.emailCodes;
  return html`${!allowed && html`<p class="hint">${strings.emailCodesOffHint}</p>`}
${renderActionForm({ action, label: allowed ? strings.emailCodesOffButton : strings.emailCodesOnButton, name: 'allowed', value: allowed ? '0' : '1', style: 'secondary' }, model.csrfToken)}`;
}

/** Off: the user may switch it on (after proving the chosen method); on by their own choice: off again. */
function switchForm(model: SettingsPageModel, base: string): SafeHtml {
  if (model.enforcedByAccount) return html``;
  if (!model.enabled) {
    return html`<form method="post" action="${base}/settings/enable">
${csrfField(model.csrfToken)}
<fieldset class="choices">
<legend>${strings.enableLegend}</legend>
${methodChoices(model, 'enable')}</fieldset>
<button type="submit" class="btn-primary">${strings.enableButton}</button>
</form>`;
  }
  return renderActionForm({ action: `${base}/settings/disable`, label: strings.disableButton, style: 'secondary' }, model.csrfToken);
}

/** Mapped drives, desktop sync, API tokens: blocking them is one click; allowing them again needs a code. */
function clientsSection(model: SettingsPageModel, base: string): SafeHtml {
  const action = `${base}/settings/clients`;
  const state = model.clientsBlockedByAccount ? strings.clientsBlockedByAccount : model.blockClients ? strings.clientsBlocked : strings.clientsAllowed;
  return html`<p class="muted">${strings.clientsIntro}</p>
<p>${state}</p>
${
  model.clientsBlockedByAccount
    ? html``
    : model.blockClients
      ? html`<p class="hint">${strings.allowClientsHint}</p>
${renderActionForm({ action, label: strings.allowClientsButton, name: 'blocked', value: '0', style: 'secondary' }, model.csrfToken)}`
      : renderActionForm({ action, label: strings.blockClientsButton, name: 'blocked', value: '1', style: 'secondary' }, model.csrfToken)
}`;
}

/** A method's credentials (each removable, behind a code) and "add one" (behind a code too). */
function enrolmentSection(view: EnrolmentView, base: string, csrfToken: string): SafeHtml {
  const c = strings.credentialColumns;
  const items = view.credentials.map(
    (credential) => html`<li class="device">
<div class="device-info">
<p class="device-name">${credential.label}</p>
<dl class="meta">
<div><dt>${c.added}</dt><dd>${renderTime(credential.createdAt)}</dd></div>
${credential.lastUsedAt !== null && html`<div><dt>${c.lastUsed}</dt><dd>${renderTime(credential.lastUsedAt)}</dd></div>`}
</dl>
</div>
<form method="post" action="${base}/settings/methods/remove">
${csrfField(csrfToken)}
<input type="hidden" name="method" value="${view.method}">
<button type="submit" class="btn-secondary" name="credential" value="${credential.id}">${strings.removeButton}<span class="visually-hidden"> ${credential.label}</span></button>
</form>
</li>
`,
  );
  return section(
    `method-${view.method}-heading`,
    view.strings.heading,
    html`${view.credentials.length === 0 ? html`<p class="muted">${view.strings.none}</p>` : html`<ul class="device-list">
${items}</ul>`}
${renderActionForm({ action: `${base}/settings/methods/add`, label: view.strings.add, name: 'method', value: view.method, style: 'secondary' }, csrfToken)}`,
  );
}

function deviceItem(device: DeviceView, base: string, csrfToken: string): SafeHtml {
  const c = strings.deviceColumns;
  return html`<li class="device">
<div class="device-info">
<p class="device-name">${device.label}${device.current && html` <span class="badge">${strings.thisBrowser}</span>`}</p>
<dl class="meta">
<div><dt>${c.trusted}</dt><dd>${renderTime(device.createdAt)}</dd></div>
<div><dt>${c.lastUsed}</dt><dd>${renderTime(device.lastUsedAt)}</dd></div>
${device.placeHint && html`<div><dt>${c.place}</dt><dd>${device.placeHint}</dd></div>`}
<div><dt>${c.expires}</dt><dd>${renderTime(device.expiresAt)}</dd></div>
</dl>
${device.current && html`<p class="hint">${strings.revokeCurrentHint}</p>`}
</div>
${renderActionForm(
  {
    action: `${base}/settings/devices/revoke`,
    label: strings.revokeButton,
    name: 'deviceId',
    value: device.id,
    style: 'secondary',
    srDetail: device.current ? `${device.label} (${strings.thisBrowser.toLowerCase()})` : device.label,
  },
  csrfToken,
)}
</li>
`;
}

function sessionItem(session: SignedInSession, base: string, csrfToken: string): SafeHtml {
  const c = strings.sessionColumns;
  return html`<li class="session">
<div class="session-info">
<p class="session-name">${session.label}${session.current && html` <span class="badge">${strings.thisSession}</span>`}</p>
<dl class="meta">
<div><dt>${c.signedIn}</dt><dd>${renderTime(session.signedInAt)}</dd></div>
<div><dt>${c.lastActive}</dt><dd>${renderTime(session.lastActiveAt)}</dd></div>
${session.placeHint && html`<div><dt>${c.place}</dt><dd>${session.placeHint}</dd></div>`}
</dl>
</div>
${!session.current && renderActionForm({ action: `${base}/settings/sessions/end`, label: strings.signOutSessionButton, name: 'session', value: session.id, style: 'secondary', srDetail: session.label }, csrfToken)}
</li>
`;
}

function sessionsSection(model: SettingsPageModel, base: string): SafeHtml {
  // This session first, then the most recently active.
  const sessions = [...model.sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt);
  return html`<ul class="session-list">
${sessions.map((s) => sessionItem(s, base, model.csrfToken))}</ul>
${sessions.some((s) => !s.current) && renderActionForm({ action: `${base}/settings/sessions/end-others`, label: strings.signOutOthersButton, style: 'secondary' }, model.csrfToken)}`;
}

function devicesSection(model: SettingsPageModel, base: string): SafeHtml {
  if (model.devices.length === 0) return html`<p class="muted">${strings.devicesEmpty}</p>`;
  // The current browser first, then the most recently used; the caller's array is left alone.
  const devices = [...model.devices].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt - a.lastUsedAt);
  return html`<p class="muted">${strings.devicesIntro}</p>
<ul class="device-list">
${devices.map((d) => deviceItem(d, base, model.csrfToken))}</ul>
${renderActionForm({ action: `${base}/settings/devices/revoke-all`, label: strings.revokeAllButton, style: 'secondary' }, model.csrfToken)}`;
}

function status(model: SettingsPageModel): SafeHtml {
  const [kind, text] = model.enforcedByAccount
    ? ['on', strings.statusEnforced]
    : model.required
      ? ['on', strings.statusOn]
      : ['off', strings.statusOff];
  return html`<p class="status status-${kind}">${text}</p>`;
}

/** The user's own 2FA settings: method, phone, trusted browsers and recovery codes. */
export function renderSettingsPage(model: SettingsPageModel): string {
  const base = basePath(model.mountPath);
  const left = Math.max(0, Math.floor(model.recoveryCodesLeft));

  const body = html`<p class="backlink"><a href="${safeHref(model.backHref)}">${strings.back}</a></p>
<h1>${strings.settingsTitle}</h1>
${status(model)}
${renderNotice(model.notice)}
${switchForm(model, base)}
${section('method-heading', strings.methodHeading, methodSection(model, `${base}/settings/method`))}
${section(
  'phone-heading',
  strings.phoneHeading,
  html`<div class="row">
<p class="value${model.phone === null ? ' muted' : ''}">${model.phone ?? strings.phoneNone}</p>
${renderActionForm(
  { action: `${base}/settings/phone/start`, label: model.phone === null ? strings.addPhoneButton : strings.changePhoneButton, style: 'secondary' },
  model.csrfToken,
)}
</div>`,
)}
${model.enrolments.map((view) => enrolmentSection(view, base, model.csrfToken))}
${section('sessions-heading', strings.sessionsHeading, sessionsSection(model, base))}
${section('devices-heading', strings.devicesHeading, devicesSection(model, base))}
${section('clients-heading', strings.clientsHeading, clientsSection(model, base))}
${section(
  'recovery-heading',
  strings.recoveryHeading,
  html`<p class="muted">${strings.recoveryIntro}</p>
<p>${strings.recoveryLeft(left)}</p>
${left > 0 && html`<p class="hint recovery-warning" id="recovery-warning">${strings.recoveryRegenerateWarning}</p>`}
<form method="post" action="${base}/settings/recovery-codes">
${csrfField(model.csrfToken)}
<button type="submit" class="btn-secondary"${left > 0 && html` aria-describedby="recovery-warning"`}>${strings.recoveryGenerateButton}</button>
</form>`,
)}`;

  return renderLayout({ title: strings.settingsTitle, siteName: model.siteName, logo: model.logo, body, width: 'medium' });
}
