import { html } from './html';
import { renderLayout } from './layout';
import { safeHref } from './message-page';
import type { Words } from './words';

export interface RecoveryCodesPageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The new codes, in plain text. Shown once: serve this page with Cache-Control: no-store. */
  codes: string[];
  /** Where "Done" goes (a same-site path or an http(s) URL; anything else becomes "/"). */
  backHref: string;
}

/** The freshly generated recovery codes, shown once. */
export function renderRecoveryCodesPage({ siteName, words, codes, backHref }: RecoveryCodesPageModel): string {
  const { t } = words;
  const body = html`<h1>${t.recoveryCodesTitle}</h1>
<p class="lead">${t.recoveryCodesIntro}</p>
<ol class="recovery-codes" aria-label="${t.recoveryCodesListLabel}">
${codes.map((code) => html`<li>${code}</li>
`)}</ol>
<p class="hint">${t.recoveryCodesHint}</p>
<p class="done"><a class="btn-primary" href="${safeHref(backHref)}">${t.done}</a></p>`;
  return renderLayout({ title: t.recoveryCodesTitle, siteName, body, lang: words.lang });
}
