import type { DeliveryMethod } from '../types';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import { strings } from './strings';

export interface Notice {
  kind: 'error' | 'info';
  text: string;
}

export interface VerifyPageModel {
  siteName: string;
  /** Forms post to `${mountPath}/verify`, `${mountPath}/resend` and `${mountPath}/sign-out`. */
  mountPath: string;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  method: DeliveryMethod;
  /** e.g. "a•••e@acme.test" or "•••• 0006" (see mask.ts). */
  maskedDestination: string;
  notice?: Notice;
  /** Show the "Trust this browser for N days" checkbox (name "trust", value "1"). */
  offerTrust: boolean;
  /** Whether that checkbox starts ticked. */
  trustChecked: boolean;
  trustDays: number;
  /** "Send the code another way": one submit button per method (name "method", value the method). */
  otherMethods: DeliveryMethod[];
  /** True while locked out: the code input, the checkbox and the Verify button are disabled. */
  codeDisabled: boolean;
}

const NOTICE_ID = 'notice';
/** Splits a translated sentence around the destination so the page can wrap it in <strong>. */
const MARK = '\uE000';

/** The notice region: role="alert" for errors (announced at once), role="status" for information. */
export function renderNotice(notice: Notice | undefined, id = NOTICE_ID): SafeHtml {
  if (!notice) return html``;
  return html`<div class="notice notice-${notice.kind}" id="${id}" role="${notice.kind === 'error' ? 'alert' : 'status'}"><p><span class="visually-hidden">${strings.noticePrefix[notice.kind]} </span>${notice.text}</p></div>`;
}

function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

function sentTo(method: DeliveryMethod, destination: string): SafeHtml {
  const [before = '', ...rest] = strings.codeSentTo(method, MARK).split(MARK);
  return html`${before}<strong>${destination}</strong>${rest.join('')}`;
}

/** The page where the user types the code. */
export function renderVerifyPage(model: VerifyPageModel): string {
  const base = model.mountPath.replace(/\/+$/, '');
  const disabled = model.codeDisabled;
  const errorNotice = model.notice?.kind === 'error';
  const describedBy = [errorNotice ? NOTICE_ID : '', disabled ? 'code-locked' : ''].filter(Boolean).join(' ');
  const otherMethods = model.otherMethods.filter((m, i, all) => m !== model.method && all.indexOf(m) === i);

  const trust = model.offerTrust
    ? html`
<div class="check">
<input type="checkbox" id="trust" name="trust" value="1" aria-describedby="trust-hint"${model.trustChecked && html` checked`}${disabled && html` disabled`}>
<label for="trust">${strings.trustLabel(model.trustDays)}</label>
<p class="hint" id="trust-hint">${strings.trustHint}</p>
</div>`
    : html``;

  const others =
    otherMethods.length > 0
      ? html`
<form class="other-methods" method="post" action="${base}/resend" aria-labelledby="other-methods">
${csrfField(model.csrfToken)}
<p class="hint" id="other-methods">${strings.otherMethodsHeading}</p>
<div class="actions">
${otherMethods.map((m) => html`<button type="submit" class="btn-link" name="method" value="${m}">${strings.otherMethodButton(m)}</button>`)}
</div>
</form>`
      : html``;

  const body = html`<h1>${strings.heading(model.method)}</h1>
<p class="lead">${sentTo(model.method, model.maskedDestination)}</p>
${renderNotice(model.notice)}
<form method="post" action="${base}/verify">
${csrfField(model.csrfToken)}
<div class="field">
<label for="code">${strings.codeLabel}</label>
<input class="code-input" id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="7" spellcheck="false" autocapitalize="off" required${describedBy && html` aria-describedby="${describedBy}"`}${disabled ? html` disabled` : html` autofocus`}>
${disabled && html`<p class="hint" id="code-locked">${strings.lockedHint}</p>`}
</div>
${trust}
<button type="submit" class="btn-primary"${disabled && html` disabled`}>${strings.verifyButton}</button>
</form>
<div class="section">
<h2 id="resend">${strings.resendHeading}</h2>
<form method="post" action="${base}/resend" aria-labelledby="resend">
${csrfField(model.csrfToken)}
<button type="submit" class="btn-link">${strings.resendButton}</button>
</form>
${others}
</div>
<div class="section signout">
<form method="post" action="${base}/sign-out">
${csrfField(model.csrfToken)}
<button type="submit" class="btn-link">${strings.signOutButton}</button>
</form>
</div>`;

  return renderLayout({ title: strings.verifyTitle, siteName: model.siteName, body });
}
