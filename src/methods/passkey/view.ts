import type { Json } from '../../core/method';
import { basePath, csrfField, renderActionForm } from '../../views/components';
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
 * The control passkey.js drives, inside a form: the button and the alert region stay hidden until the
 * script runs (without it, only the <noscript> line shows), and the answer goes in the hidden `credential`.
 */
function passkeyControl(model: MethodFormModel, mode: 'sign-in' | 'enrol', options: string, button: string): SafeHtml {
  const base = basePath(model.mountPath);
  return html`<div data-passkey="${mode}" data-passkey-options="${options}">
<input type="hidden" name="credential" value="">
<div role="alert" data-passkey-alert></div>
<div data-passkey-controls hidden>
<button type="button" class="btn-primary" data-passkey-start${model.disabled && html` disabled aria-describedby="passkey-locked"`}>${button}</button>
<p class="hint" role="status" data-passkey-status></p>
</div>
${model.disabled && html`<p class="hint" id="passkey-locked">${text.locked}</p>`}
<noscript><p class="hint">${text.noScript}</p></noscript>
</div>
<script src="${base}/assets/${BUNDLE}" defer></script>
<script src="${base}/assets/${SCRIPT}" defer></script>`;
}

export const passkeyView: MethodView = {
  // Inside the code page's form, which carries the CSRF token and the flow's own fields ("Trust this browser").
  prompt: (model) => passkeyControl(model, 'sign-in', optionsOf(model.state), text.useButton),

  // Under the page's heading and notice, which the flow renders.
  enrol: (model) => html`<p class="lead">${text.enrolIntro}</p>
<form method="post" action="${model.action}">
${csrfField(model.csrfToken)}
<div class="field">
<label for="passkey-label">${text.labelField}</label>
<input class="text-input" id="passkey-label" name="label" type="text" maxlength="${MAX_LABEL_LENGTH}" autocomplete="off" spellcheck="false" aria-describedby="passkey-label-hint"${model.disabled && html` disabled`}>
<p class="hint" id="passkey-label-hint">${text.labelHint}</p>
</div>
${passkeyControl(model, 'enrol', optionsOf(model.shown), text.createButton)}
</form>
<div class="section">
${renderActionForm({ action: model.cancel.action, label: model.cancel.label, style: 'secondary' }, model.csrfToken)}
</div>`,

  assets: {
    [BUNDLE]: { type: JAVASCRIPT, body: webAuthnBundle() },
    [SCRIPT]: { type: JAVASCRIPT, body: passkeyScript() },
  },
};
