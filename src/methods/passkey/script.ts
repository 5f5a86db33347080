import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PASSKEY_STRINGS } from './strings';

/**
 * @simplewebauthn/browser's UMD bundle (it defines `window.SimpleWebAuthnBrowser`), read once when
 * the library loads. The package exports no path to it, so it is found beside its CommonJS entry.
 */
export function webAuthnBundle(): string {
  const entry = require.resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

/**
 * passkey.js: wires each `[data-passkey]` control to the browser's passkey prompt. It shows the
 * button (hidden until this runs, so a page without script offers only the other ways), asks for a
 * passkey with the options in `data-passkey-options`, puts the JSON answer in the hidden
 * `credential` field and submits the form around it. Served from the library's path (CSP `script-src 'self'`);
 * no inline code, no eval. Its strings come from strings.ts as JSON.
 */
export function passkeyScript(): string {
  const text = JSON.stringify({ ...PASSKEY_STRINGS.script, unsupported: PASSKEY_STRINGS.unsupported }).replace(/</g, '\\u003c');
  return `(function () {
  'use strict';
  var text = ${text};
  var webauthn = window.SimpleWebAuthnBrowser;

  function show(box, className, message) {
    box.textContent = '';
    if (!message) return;
    var notice = document.createElement('div');
    notice.className = className;
    var p = document.createElement('p');
    p.textContent = message;
    notice.appendChild(p);
    box.appendChild(notice);
  }

  function messageFor(error) {
    if (error && error.code === 'ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED') return text.alreadyRegistered;
    if (error && (error.name === 'NotAllowedError' || error.name === 'AbortError')) return text.cancelled;
    return text.failed;
  }

  function wire(control) {
    var form = control.closest('form');
    var controls = control.querySelector('[data-passkey-controls]');
    var button = control.querySelector('[data-passkey-start]');
    var field = control.querySelector('input[name="credential"]');
    var alert = control.querySelector('[data-passkey-alert]');
    var status = control.querySelector('[data-passkey-status]');
    var enrol = control.getAttribute('data-passkey') === 'enrol';
    if (!form) return;
    if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
      show(alert, 'notice notice-info', text.unsupported);
      return;
    }
    var options = JSON.parse(control.getAttribute('data-passkey-options'));
    controls.hidden = false;

    function start() {
      if (button.disabled) return;
      button.disabled = true;
      show(alert, '', '');
      status.textContent = text.working;
      var asked = enrol ? webauthn.startRegistration({ optionsJSON: options }) : webauthn.startAuthentication({ optionsJSON: options });
      asked.then(function (answer) {
        field.value = JSON.stringify(answer);
        form.submit();
      }, function (error) {
        button.disabled = false;
        status.textContent = '';
        show(alert, 'notice notice-error', messageFor(error));
        button.focus();
      });
    }

    button.addEventListener('click', start);
    // Enter in the name field submits the form: ask for the passkey instead of posting no answer.
    form.addEventListener('submit', function (event) {
      if (field.value) return;
      event.preventDefault();
      start();
    });
  }

  var controls = document.querySelectorAll('[data-passkey]');
  for (var i = 0; i < controls.length; i++) wire(controls[i]);
})();
`;
}
