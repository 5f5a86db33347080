/**
 * session.js, the session warning: asks how long the session has, and shortly before its end shows
 * an accessible modal dialog (Stay signed in / Sign out now). Served from the library's own path so
 * a host's CSP allows it as 'self'; no inline code or styles, no eval, nothing third-party. One file
 * for every language: its words (and the language, for `Intl.PluralRules`) come with the status it
 * asks for, in the language of that request.
 */
export function sessionScript(mountPath: string): string {
  const config = JSON.stringify({ base: mountPath }).replace(/</g, '\\u003c');
  return `(function () {
  'use strict';
  var config = ${config};
  var status, endsAt, timer, ticker, dialog, countdown, stayButton;

  function getStatus() {
    return fetch(config.base + '/session/status', { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } })
      .then(function (response) { return response.json(); });
  }

  function post(path) {
    return fetch(config.base + path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: '_csrf=' + encodeURIComponent(status.csrf),
    }).then(function (response) {
      if (!response.ok) throw new Error('HTTP ' + response.status);
      return response.json();
    });
  }

  function schedule(endsInMs) {
    endsAt = Date.now() + endsInMs;
    clearTimeout(timer);
    timer = setTimeout(check, Math.max(0, endsInMs - status.warningMs));
  }

  // Activity in another tab may have moved the end: ask again before warning.
  function check() {
    getStatus().then(function (now) {
      if (!now.active) return leave();
      status = now;
      if (now.endsInMs > now.warningMs + 1000) return schedule(now.endsInMs);
      endsAt = Date.now() + now.endsInMs;
      show();
    }, show);
  }

  function leave() {
    window.location.assign(status.loginPath);
  }

  function count(n, forms) {
    var form = forms[new Intl.PluralRules(status.lang).select(n)] || forms.other;
    return form.replace('{n}', String(n));
  }

  function update() {
    var left = endsAt - Date.now();
    if (left <= 0) return leave();
    countdown.textContent = left >= 60000
      ? count(Math.ceil(left / 60000), status.text.endsInMinutes)
      : count(Math.ceil(left / 1000), status.text.endsInSeconds);
  }

  function button(label, onClick) {
    var element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    element.style.marginRight = '0.5em';
    element.addEventListener('click', onClick);
    return element;
  }

  function build() {
    dialog = document.createElement('dialog');
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-labelledby', 'device-2fa-session-heading');
    dialog.setAttribute('aria-describedby', 'device-2fa-session-countdown');
    dialog.style.maxWidth = '28em';
    var heading = document.createElement('h2');
    heading.id = 'device-2fa-session-heading';
    heading.textContent = status.text.heading;
    countdown = document.createElement('p');
    countdown.id = 'device-2fa-session-countdown';
    stayButton = button(status.text.stay, stay);
    dialog.appendChild(heading);
    dialog.appendChild(countdown);
    dialog.appendChild(stayButton);
    dialog.appendChild(button(status.text.signOut, signOut));
    // Escape means "stay", not a silent close that leaves the timer running.
    dialog.addEventListener('cancel', function (event) {
      event.preventDefault();
      stay();
    });
    document.body.appendChild(dialog);
  }

  function show() {
    if (!dialog) build();
    update();
    if (!dialog.open) dialog.showModal();
    stayButton.focus();
    clearInterval(ticker);
    ticker = setInterval(update, 1000);
  }

  function close() {
    clearInterval(ticker);
    if (dialog && dialog.open) dialog.close();
  }

  function stay() {
    post('/session/keep-alive').then(function (kept) {
      close();
      schedule(kept.endsInMs);
    }, leave);
  }

  function signOut() {
    close();
    post('/session/sign-out-everywhere').then(function (done) {
      window.location.assign(done.loginPath);
    }, leave);
  }

  getStatus().then(function (first) {
    if (!first.active) return;
    status = first;
    schedule(first.endsInMs);
  }, function () {});
})();
`;
}
