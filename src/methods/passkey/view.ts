import type { Json } from '../../core/method';
import { basePath, csrfField, renderActionForm, renderNotice } from '../../views/components';
import { html, type SafeHtml } from '../../views/html';
import type { MethodFormModel, MethodView } from '../../views/method-view';
import { MAX_LABEL_LENGTH } from './method';
import { passkeyScript, webAuthnBundle } from './script';
import { PASSKEY_STRINGS as text } from './strings';

const BUNDLE = 'passkey-webauthn.js';
const SCRIPT = 'passkey.js';
const JAVASCRIPT = 'text/javascript; charset=utf-8';

/** The options the browser is asked with: `options` of the sign-in state, or of what enrolment presented. */
function optionsOf(value: Json | undefined): string {
  const options = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.options : undefined;
  return JSON.stringify(options ?? null);
}

/**
 * The form passkey.js drives: the button and the alert region stay hidden until the script runs
 * (without it, only the <noscript> line shows), and the answer goes in the hidden `credential`.
 */
function passkeyForm(model: MethodFormModel, mode: 'sign-in' | 'enrol', options: string, inner: SafeHtml, button: string): SafeHtml {
  const base = basePath(model.mountPath);
  return html`<form method="post" action="${model.action}" data-passkey="${mode}" data-passkey-options="${options}">
${csrfField(model.csrfToken)}
<input type="hidden" name="credential" value="">
${inner}
<div role="alert" data-passkey-alert></div>
<div data-passkey-controls hidden>
<button type="button" class="btn-primary" data-passkey-start${model.disabled && html` disabled aria-describedby="passkey-locked"`}>${button}</button>
<p class="hint" role="status" data-passkey-status></p>
</div>
${model.disabled && html`<p class="hint" id="passkey-locked">${text.locked}</p>`}
<noscript><p class="hint">${text.noScript}</p></noscript>
</form>
<script src="${base}/assets/${BUNDLE}" defer></script>
<script src="${base}/assets/${SCRIPT}" defer></script>`;
}

export const passkeyView: MethodView = {
  prompt: (model) => passkeyForm(model, 'sign-in', optionsOf(model.state), html`${model.fields}`, text.useButton),

  enrol: (model) => html`<h1>${text.enrolment.add}</h1>
<p class="lead">${text.enrolIntro}</p>
${renderNotice(model.notice)}
${passkeyForm(
  model,
  'enrol',
  optionsOf(model.shown),
  html`<div class="field">
<label for="passkey-label">${text.labelField}</label>
<input class="text-input" id="passkey-label" name="label" type="text" maxlength="${MAX_LABEL_LENGTH}" autocomplete="off" spellcheck="false" aria-describedby="passkey-label-hint"${model.disabled && html` disabled`}>
<p class="hint" id="passkey-label-hint">${text.labelHint}</p>
</div>
${model.fields}`,
  text.createButton,
)}
<div class="section">
${renderActionForm({ action: model.cancel.action, label: model.cancel.label, style: 'secondary' }, model.csrfToken)}
</div>`,

  assets: {
    [BUNDLE]: { type: JAVASCRIPT, body: webAuthnBundle() },
    [SCRIPT]: { type: JAVASCRIPT, body: passkeyScript() },
  },
};
