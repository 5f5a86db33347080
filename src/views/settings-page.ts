import type { SignedInSession } from '../types';
import { basePath, csrfField, renderActionForm, renderNotice, type Notice } from './components';
import { renderTime } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import { safeHref } from './message-page';
import type { EnrolmentStrings } from './method-view';
import type { Words } from './words';
import type { LogoOptions } from '../types';

export { formatDate } from './format';

/** A trusted browser as the settings page shows it. */
export interface DeviceView {
  /** Public id, posted back as "deviceId" to revoke it. */
  id: string;
  /** e.g. "Chrome 131 (macOS)" (from the User-Agent: attacker-influenced, always escaped); '' for an unknown browser. */
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
  /** The page's language, and the user's time zone for the times shown. */
  words: Words;
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
  strings: Pick<EnrolmentStrings, 'heading' | 'add' | 'none' | 'defaultLabel'>;
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
  const { t } = model.words;
  return html`<form method="post" action="${action}">
${csrfField(model.csrfToken)}
<fieldset class="choices" aria-labelledby="method-heading">
${methodChoices(model, 'method')}</fieldset>
<button type="submit" class="btn-secondary">${t.saveButton}</button>
</form>
${emailCodesForm(model, `${basePath(model.mountPath)}/settings/email-codes`)}`;
}

/** With a verified phone, the user may stop codes going by email ("phone only"), and allow them again. */
function emailCodesForm(model: SettingsPageModel, action: string): SafeHtml {
  if (model.phone === null) return html``;
  const { t } = model.words;
  const allowed = model.emailCodes;
  return html`${!allowed && html`<p class="hint">${t.emailCodesOffHint}</p>`}
${renderActionForm({ action, label: allowed ? t.emailCodesOffButton : t.emailCodesOnButton, name: 'allowed', value: allowed ? '0' : '1', style: 'secondary' }, model.csrfToken)}`;
}

/** Off: the user may switch it on (after proving the chosen method); on by their own choice: off again. */
function switchForm(model: SettingsPageModel, base: string): SafeHtml {
  if (model.enforcedByAccount) return html``;
  const { t } = model.words;
  if (!model.enabled) {
    return html`<form method="post" action="${base}/settings/enable">
${csrfField(model.csrfToken)}
<fieldset class="choices">
<legend>${t.enableLegend}</legend>
${methodChoices(model, 'enable')}</fieldset>
<button type="submit" class="btn-primary">${t.enableButton}</button>
</form>`;
  }
  return renderActionForm({ action: `${base}/settings/disable`, label: t.disableButton, style: 'secondary' }, model.csrfToken);
}

/** Mapped drives, desktop sync, API tokens: blocking them is one click; allowing them again needs a code. */
function clientsSection(model: SettingsPageModel, base: string): SafeHtml {
  const action = `${base}/settings/clients`;
  const { t } = model.words;
  const state = model.clientsBlockedByAccount ? t.clientsBlockedByAccount : model.blockClients ? t.clientsBlocked : t.clientsAllowed;
  return html`<p class="muted">${t.clientsIntro}</p>
<p>${state}</p>
${
  model.clientsBlockedByAccount
    ? html``
    : model.blockClients
      ? html`<p class="hint">${t.allowClientsHint}</p>
${renderActionForm({ action, label: t.allowClientsButton, name: 'blocked', value: '0', style: 'secondary' }, model.csrfToken)}`
      : renderActionForm({ action, label: t.blockClientsButton, name: 'blocked', value: '1', style: 'secondary' }, model.csrfToken)
}`;
}

/** A method's credentials (each removable, behind a code) and "add one" (behind a code too). */
function enrolmentSection(view: EnrolmentView, base: string, csrfToken: string, words: Words): SafeHtml {
  const { t } = words;
  const c = t.credentialColumns;
  const items = view.credentials.map((credential) => {
    const label = credential.label || view.strings.defaultLabel;
    return html`<li class="device">
<div class="device-info">
<p class="device-name">${label}</p>
<dl class="meta">
<div><dt>${c.added}</dt><dd>${renderTime(credential.createdAt, words)}</dd></div>
${credential.lastUsedAt !== null && html`<div><dt>${c.lastUsed}</dt><dd>${renderTime(credential.lastUsedAt, words)}</dd></div>`}
</dl>
</div>
<form method="post" action="${base}/settings/methods/remove">
${csrfField(csrfToken)}
<input type="hidden" name="method" value="${view.method}">
<button type="submit" class="btn-secondary" name="credential" value="${credential.id}">${t.removeButton}<span class="visually-hidden"> ${label}</span></button>
</form>
</li>
`;
  });
  return section(
    `method-${view.method}-heading`,
    view.strings.heading,
    html`${
      view.credentials.length === 0
        ? html`<p class="muted">${view.strings.none}</p>`
        : html`<ul class="device-list">
${items}</ul>`
    }
${renderActionForm({ action: `${base}/settings/methods/add`, label: view.strings.add, name: 'method', value: view.method, style: 'secondary' }, csrfToken)}`,
  );
}

function deviceItem(device: DeviceView, base: string, csrfToken: string, words: Words): SafeHtml {
  const { t } = words;
  const c = t.deviceColumns;
  const label = device.label || t.unknownBrowser;
  return html`<li class="device">
<div class="device-info">
<p class="device-name">${label}${device.current && html` <span class="badge">${t.thisBrowser}</span>`}</p>
<dl class="meta">
<div><dt>${c.trusted}</dt><dd>${renderTime(device.createdAt, words)}</dd></div>
<div><dt>${c.lastUsed}</dt><dd>${renderTime(device.lastUsedAt, words)}</dd></div>
${device.placeHint && html`<div><dt>${c.place}</dt><dd>${device.placeHint}</dd></div>`}
<div><dt>${c.expires}</dt><dd>${renderTime(device.expiresAt, words)}</dd></div>
</dl>
${device.current && html`<p class="hint">${t.revokeCurrentHint}</p>`}
</div>
${renderActionForm(
  {
    action: `${base}/settings/devices/revoke`,
    label: t.revokeButton,
    name: 'deviceId',
    value: device.id,
    style: 'secondary',
    srDetail: device.current ? `${label} (${t.thisBrowserInText})` : label,
  },
  csrfToken,
)}
</li>
`;
}

function sessionItem(session: SignedInSession, base: string, csrfToken: string, words: Words): SafeHtml {
  const { t } = words;
  const c = t.sessionColumns;
  const label = session.label || t.unknownBrowser;
  return html`<li class="session">
<div class="session-info">
<p class="session-name">${label}${session.current && html` <span class="badge">${t.thisSession}</span>`}</p>
<dl class="meta">
<div><dt>${c.signedIn}</dt><dd>${renderTime(session.signedInAt, words)}</dd></div>
<div><dt>${c.lastActive}</dt><dd>${renderTime(session.lastActiveAt, words)}</dd></div>
${session.placeHint && html`<div><dt>${c.place}</dt><dd>${session.placeHint}</dd></div>`}
</dl>
</div>
${!session.current && renderActionForm({ action: `${base}/settings/sessions/end`, label: t.signOutSessionButton, name: 'session', value: session.id, style: 'secondary', srDetail: label }, csrfToken)}
</li>
`;
}

function sessionsSection(model: SettingsPageModel, base: string): SafeHtml {
  const { t } = model.words;
  // This session first, then the most recently active.
  const sessions = [...model.sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastActiveAt - a.lastActiveAt);
  return html`<ul class="session-list">
${sessions.map((s) => sessionItem(s, base, model.csrfToken, model.words))}</ul>
${sessions.some((s) => !s.current) && renderActionForm({ action: `${base}/settings/sessions/end-others`, label: t.signOutOthersButton, style: 'secondary' }, model.csrfToken)}`;
}

function devicesSection(model: SettingsPageModel, base: string): SafeHtml {
  const { t } = model.words;
  if (model.devices.length === 0) return html`<p class="muted">${t.devicesEmpty}</p>`;
  // The current browser first, then the most recently used; the caller's array is left alone.
  const devices = [...model.devices].sort((a, b) => Number(b.current) - Number(a.current) || b.lastUsedAt - a.lastUsedAt);
  return html`<p class="muted">${t.devicesIntro}</p>
<ul class="device-list">
${devices.map((d) => deviceItem(d, base, model.csrfToken, model.words))}</ul>
${renderActionForm({ action: `${base}/settings/devices/revoke-all`, label: t.revokeAllButton, style: 'secondary' }, model.csrfToken)}`;
}

function status(model: SettingsPageModel): SafeHtml {
  const { t } = model.words;
  const [kind, text] = model.enforcedByAccount ? ['on', t.statusEnforced] : model.required ? ['on', t.statusOn] : ['off', t.statusOff];
  return html`<p class="status status-${kind}">${text}</p>`;
}

/** The user's own 2FA settings: method, phone, trusted browsers and recovery codes. */
export function renderSettingsPage(model: SettingsPageModel): string {
  const base = basePath(model.mountPath);
  const { t } = model.words;
  const left = Math.max(0, Math.floor(model.recoveryCodesLeft));

  const body = html`<p class="backlink"><a href="${safeHref(model.backHref)}">${t.back}</a></p>
<h1>${t.settingsTitle}</h1>
${status(model)}
${renderNotice(model.notice, t)}
${switchForm(model, base)}
${section('method-heading', t.methodHeading, methodSection(model, `${base}/settings/method`))}
${section(
  'phone-heading',
  t.phoneHeading,
  html`<div class="row">
<p class="value${model.phone === null ? ' muted' : ''}">${model.phone ?? t.phoneNone}</p>
${renderActionForm(
  { action: `${base}/settings/phone/start`, label: model.phone === null ? t.addPhoneButton : t.changePhoneButton, style: 'secondary' },
  model.csrfToken,
)}
</div>`,
)}
${model.enrolments.map((view) => enrolmentSection(view, base, model.csrfToken, model.words))}
${section('sessions-heading', t.sessionsHeading, sessionsSection(model, base))}
${section('devices-heading', t.devicesHeading, devicesSection(model, base))}
${section('clients-heading', t.clientsHeading, clientsSection(model, base))}
${section(
  'recovery-heading',
  t.recoveryHeading,
  html`<p class="muted">${t.recoveryIntro}</p>
<p>${t.recoveryLeft(left)}</p>
${left > 0 && html`<p class="hint recovery-warning" id="recovery-warning">${t.recoveryRegenerateWarning}</p>`}
<form method="post" action="${base}/settings/recovery-codes">
${csrfField(model.csrfToken)}
<button type="submit" class="btn-secondary"${left > 0 && html` aria-describedby="recovery-warning"`}>${t.recoveryGenerateButton}</button>
</form>`,
)}`;

  return renderLayout({
    title: t.settingsTitle,
    siteName: model.siteName,
    logo: model.logo,
    body,
    width: 'medium',
    lang: model.words.lang,
  });
}
