import { csrfField, NOTICE_ID, renderActions, renderNotice, type Notice, type PageAction } from './components';
import { html } from './html';
import { renderLayout } from './layout';
import type { Words } from './words';
import type { LogoOptions } from '../types';

export interface PhoneEntryPageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  /** "sign-in": the account needs a phone before the sign-in can finish; "settings": a change. */
  context: 'sign-in' | 'settings';
  /** The form posts "phone" and "method" here. */
  action: string;
  /** What the user typed before (shown again after an error). */
  phone?: string;
  /** The preselected way to send the confirmation code. */
  method: 'sms' | 'voice';
  notice?: Notice;
  /** Settings only: whether a number is on file ("Change" rather than "Add"). Default true. */
  hasPhone?: boolean;
  /** Its own form under the main one, e.g. "Cancel and sign out" or "Cancel". */
  cancel: PageAction;
}

const PHONE_METHODS = ['sms', 'voice'] as const;

/** Asks for a phone number and how to send the code that confirms it. */
export function renderPhoneEntryPage(model: PhoneEntryPageModel): string {
  const { t } = model.words;
  const adding = model.context === 'sign-in' || model.hasPhone === false;
  const heading = adding ? t.phoneAddHeading : t.phoneChangeHeading;
  const intro = model.context === 'sign-in' ? t.phoneSignInIntro : adding ? t.phoneAddIntro : t.phoneChangeIntro;
  const error = model.notice?.kind === 'error';
  const describedBy = ['phone-hint', error ? NOTICE_ID : ''].filter(Boolean).join(' ');
  const method = PHONE_METHODS.includes(model.method) ? model.method : 'sms';

  const body = html`<h1>${heading}</h1>
<p class="lead">${intro}</p>
${renderNotice(model.notice, t)}
<form method="post" action="${model.action}">
${csrfField(model.csrfToken)}
<div class="field">
<label for="phone">${t.phoneLabel}</label>
<input class="text-input" id="phone" name="phone" type="tel" autocomplete="tel" inputmode="tel" maxlength="32" spellcheck="false" required aria-describedby="${describedBy}"${error && html` aria-invalid="true"`}${model.phone !== undefined && html` value="${model.phone}"`} autofocus>
<p class="hint" id="phone-hint">${t.phoneHint}</p>
</div>
<fieldset class="choices">
<legend>${t.phoneMethodLegend}</legend>
${PHONE_METHODS.map(
  (m) => html`<div class="check">
<input type="radio" id="method-${m}" name="method" value="${m}"${m === method && html` checked`}>
<label for="method-${m}">${model.words.method(m)?.label ?? m}</label>
</div>
`,
)}</fieldset>
<button type="submit" class="btn-primary">${t.sendCodeButton}</button>
</form>
<div class="section footer-actions">
${renderActions([model.cancel], model.csrfToken)}
</div>`;

  return renderLayout({ title: heading, siteName: model.siteName, logo: model.logo, body, lang: model.words.lang });
}
