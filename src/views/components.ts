import { CODE_FIELD_PATTERN, MAX_TYPED_CODE } from '../core/challenges';
import { html, type SafeHtml } from './html';
import type { Strings } from './strings';

/** A message shown at the top of a page: an error (announced at once) or information. */
export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

/** A secondary button, posted in its own <form method="post"> with the page's _csrf. */
export interface PageAction {
  /** The form's action (a path). */
  action: string;
  label: string;
  /** Sent as `name=value` when both are given (e.g. name "method", value "sms"). */
  name?: string;
  value?: string;
  /** "link" (default): an underlined text button; "secondary": an outlined button. */
  style?: 'link' | 'secondary';
  /**
   * Extra words for screen readers only, read after the label: "Revoke" + "Chrome 131 (macOS)"
   * tells apart several buttons with the same visible label.
   */
  srDetail?: string;
}

/** Buttons that belong together, optionally under a heading. */
export interface PageActionGroup {
  heading?: string;
  actions: PageAction[];
}

export const NOTICE_ID = 'notice';

/** The notice region: role="alert" for errors (announced at once), role="status" for information. */
export function renderNotice(notice: Notice | undefined, t: Strings, id = NOTICE_ID): SafeHtml {
  if (!notice) return html``;
  return html`<div class="notice notice-${notice.kind}" id="${id}" role="${notice.kind === 'error' ? 'alert' : 'status'}"><p><span class="visually-hidden">${t.noticePrefix[notice.kind]} </span>${notice.text}</p></div>`;
}

/** The hidden CSRF field every form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

/** A mount path without trailing slashes, so `${base}/verify` never has "//". */
export function basePath(mountPath: string): string {
  return mountPath.replace(/\/+$/, '');
}

/** Plain text with the first occurrence of `part` (if any) replaced by `markup(part)`. */
export function withPart(text: string, part: string | undefined, markup: (part: string) => SafeHtml): SafeHtml {
  const at = part ? text.indexOf(part) : -1;
  if (!part || at === -1) return html`${text}`;
  return html`${text.slice(0, at)}${markup(part)}${text.slice(at + part.length)}`;
}

/** Plain text with the first occurrence of `strong` (if any) wrapped in <strong>. */
export function withStrong(text: string, strong: string | undefined): SafeHtml {
  return withPart(text, strong, (part) => html`<strong>${part}</strong>`);
}

/** One action as its own POST form. */
export function renderActionForm(action: PageAction, csrfToken: string): SafeHtml {
  const cls = action.style === 'secondary' ? 'btn-secondary' : 'btn-link';
  const nameValue = action.name !== undefined && action.value !== undefined ? html` name="${action.name}" value="${action.value}"` : html``;
  return html`<form method="post" action="${action.action}">
${csrfField(csrfToken)}
<button type="submit" class="${cls}"${nameValue}>${action.label}${action.srDetail && html`<span class="visually-hidden"> ${action.srDetail}</span>`}</button>
</form>`;
}

/** A row of action forms. */
export function renderActions(actions: readonly PageAction[], csrfToken: string): SafeHtml {
  return html`<div class="actions">
${actions.map(
  (a) => html`${renderActionForm(a, csrfToken)}
`,
)}</div>`;
}

/** A "trust this browser" checkbox (name "trust", value "1"). */
export function trustCheckbox(
  opts: { id: string; days: number; checked: boolean; disabled: boolean; hintId: string; withHint: boolean },
  t: Strings,
): SafeHtml {
  return html`<div class="check">
<input type="checkbox" id="${opts.id}" name="trust" value="1" aria-describedby="${opts.hintId}"${opts.checked && html` checked`}${opts.disabled && html` disabled`}>
<label for="${opts.id}">${t.trustLabel(opts.days)}</label>
${opts.withHint && html`<p class="hint" id="${opts.hintId}">${t.trustHint}</p>`}
</div>`;
}

/**
 * The one 6-digit code field (name "code"). `invalid`: what was typed was refused (aria-invalid);
 * `described`: the page's error notice describes it (by default when invalid); `disabled` (locked
 * out): with the hint saying when it comes back; `note`: a hint under it that describes it too
 * (when the code expires).
 */
export function codeField(
  {
    invalid,
    described = invalid,
    disabled,
    autofocus,
    note,
  }: { invalid: boolean; described?: boolean; disabled: boolean; autofocus: boolean; note?: SafeHtml | undefined },
  t: Strings,
): SafeHtml {
  const describedBy = [described ? NOTICE_ID : '', disabled ? 'code-locked' : '', note ? 'code-note' : ''].filter(Boolean).join(' ');
  const state = disabled ? html` disabled` : autofocus && html` autofocus`;
  return html`<div class="field">
<label for="code">${t.codeLabel}</label>
<input class="code-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="${CODE_FIELD_PATTERN}" maxlength="${MAX_TYPED_CODE}" spellcheck="false" autocapitalize="off" required${invalid && html` aria-invalid="true"`}${describedBy && html` aria-describedby="${describedBy}"`}${state}>
${disabled && html`<p class="hint" id="code-locked">${t.lockedHint}</p>`}
${note && html`<p class="hint" id="code-note">${note}</p>`}
</div>`;
}
