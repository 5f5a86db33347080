import type { Json } from '../../core/method';
import { codeField, csrfField, renderActions, renderNotice } from '../../views/components';
import { html, raw, type SafeHtml } from '../../views/html';
import type { MethodView } from '../../views/method-view';
import { LABEL_MAX_LENGTH, type TotpSetup } from './method';
import type { TotpWords } from './strings';

/**
 * Exactly what the qrcode package's SVG renderer writes: one <svg> of <path>s with colours and path
 * data only. Checked before the markup is trusted, so nothing else can reach the page unescaped.
 */
const QR_SVG =
  /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+" shape-rendering="crispEdges">(?:<path (?:fill|stroke)="#[0-9a-fA-F]{6}" d="[0-9MmHhVvz. ]*"\/>)+<\/svg>\n?$/;

const KEY = /^[A-Z2-7]{4}(?: [A-Z2-7]{1,4})*$/;

function isSetup(shown: Json): shown is TotpSetup {
  if (typeof shown !== 'object' || shown === null || Array.isArray(shown)) return false;
  const { qrSvg, key, replaces } = shown;
  return typeof qrSvg === 'string' && QR_SVG.test(qrSvg) && typeof key === 'string' && KEY.test(key) && typeof replaces === 'boolean';
}

/** The set-up page's body: the QR code, the key to type, the first code, an optional name. */
function renderSetup({
  csrfToken,
  action,
  disabled,
  shown,
  cancel,
  invalid = false,
  answer = {},
  words,
  page,
}: Parameters<NonNullable<MethodView<TotpWords>['enrol']>>[0]): SafeHtml {
  const text = words.setup;
  const footer = html`<div class="section footer-actions">
${renderActions([{ action: cancel.action, label: cancel.label }], csrfToken)}
</div>`;
  if (!isSetup(shown))
    return html`<p class="lead">${text.expired}</p>
${footer}`;
  const off = disabled && html` disabled`;
  return html`${shown.replaces && renderNotice({ kind: 'info', text: text.replaces }, page.t, 'totp-replaces')}
<ol class="steps">
${text.steps.map(
  (step) => html`<li>${step}</li>
`,
)}</ol>
<div class="qr" role="img" aria-label="${text.qrLabel}">${raw(shown.qrSvg.trim())}</div>
<p>${text.keyLabel}</p>
<p class="secret-key" translate="no">${shown.key}</p>
<form method="post" action="${action}">
${csrfField(csrfToken)}
${codeField({ invalid, disabled, autofocus: invalid }, page.t)}
<div class="field">
<label for="totp-label">${text.nameLabel}</label>
<input class="text-input" id="totp-label" name="label" type="text"${answer.label !== undefined && html` value="${answer.label}"`} maxlength="${LABEL_MAX_LENGTH}" autocomplete="off" aria-describedby="totp-label-hint"${off}>
<p class="hint" id="totp-label-hint">${text.nameHint}</p>
</div>
<button type="submit" class="btn-primary"${off}>${text.submit}</button>
</form>
${footer}`;
}

export const totpView: MethodView<TotpWords> = { enrol: renderSetup };
