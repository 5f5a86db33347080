import { html } from './html';
import { renderLayout } from './layout';
import { safeHref } from './message-page';
import { strings } from './strings';

export interface RecoveryCodesPageModel {
  siteName: string;
  /** The new codes, in plain text. Shown once: serve this page with Cache-Control: no-store. */
  codes: string[];
  /** Where "Done" goes (a same-site path or an http(s) URL; anything else becomes "/"). */
  backHref: string;
}

/** The freshly generated recovery codes, shown once. */
export function renderRecoveryCodesPage({ siteName, codes, backHref }: RecoveryCodesPageModel): string {
  const body = html`<h1>${strings.recoveryCodesTitle}</h1>
<p class="lead">${strings.recoveryCodesIntro}</p>
<ol class="recovery-codes" aria-label="${strings.recoveryCodesListLabel}">
${codes.map((code) => html`<li>${code}</li>
`)}</ol>
<p class="hint">${strings.recoveryCodesHint}</p>
<p class="done"><a class="btn-primary" href="${safeHref(backHref)}">${strings.done}</a></p>`;
  return renderLayout({ title: strings.recoveryCodesTitle, siteName, body });
}
