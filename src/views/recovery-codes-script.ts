/** Where the recovery-codes page loads its script: `<mountPath>/assets/<name>`. */
export const RECOVERY_CODES_SCRIPT = 'recovery-codes.js';

/**
 * recovery-codes.js: the page's Copy and Print buttons, hidden until it runs (downloading and
 * printing need no script). It copies exactly what the download link holds, and says how that went
 * in the page's status line, in the page's own words (its data attributes): the script has none.
 */
export function recoveryCodesScript(): string {
  return `(function () {
  'use strict';
  var root = document.querySelector('[data-recovery-codes]');
  if (!root) return;
  var link = root.querySelector('a[download]');
  var status = root.querySelector('[data-recovery-status]');
  var copy = root.querySelector('[data-recovery-copy]');
  var print = root.querySelector('[data-recovery-print]');
  var href = link.getAttribute('href');
  var text = decodeURIComponent(href.slice(href.indexOf(',') + 1));

  function say(attribute) {
    // Emptied first, so the same words said twice are announced twice.
    status.textContent = '';
    setTimeout(function () { status.textContent = status.getAttribute(attribute); }, 50);
  }

  if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      navigator.clipboard.writeText(text).then(
        function () { say('data-copied'); },
        function () { say('data-copy-failed'); }
      );
    });
  }
  if (typeof window.print === 'function') {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
`;
}
