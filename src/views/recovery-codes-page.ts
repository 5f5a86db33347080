import { basePath } from './components';
import { html } from './html';
import { renderLayout } from './layout';
import { safeHref } from './message-page';
import type { Words } from './words';
import { RECOVERY_CODES_SCRIPT } from './recovery-codes-script';
import type { LogoOptions } from '../types';

export interface RecoveryCodesPageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** The page's script comes from `${mountPath}/assets/`. */
  mountPath: string;
  /** The new codes, in plain text. Shown once: serve this page with Cache-Control: no-store. */
  codes: string[];
  /** Where "Done" goes (a same-site path or an http(s) URL; anything else becomes "/"). */
  backHref: string;
}

/** What the downloaded file holds: the codes, one a line. */
export function recoveryCodesText(codes: readonly string[]): string {
  return codes.map((code) => `${code}\n`).join('');
}

/** "Acme Files" → "acme-files-recovery-codes.txt": a file name every system accepts. */
export function recoveryCodesFileName(siteName: string): string {
  const slug = siteName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 48)
    .replace(/^-+|-+$/g, '');
  return `${slug && `${slug}-`}recovery-codes.txt`;
}

/**
 * The freshly generated recovery codes, shown once, with ways to keep them: a download (a data: URL,
 * so nothing is fetched again), and without script the browser's own printing (the print stylesheet
 * prints the site's name and the codes only); Copy and Print buttons once its script runs.
 */
export function renderRecoveryCodesPage({ siteName, logo, words, mountPath, codes, backHref }: RecoveryCodesPageModel): string {
  const { t } = words;
  const file = `data:text/plain;charset=utf-8,${encodeURIComponent(recoveryCodesText(codes))}`;
  const body = html`<h1>${t.recoveryCodesTitle}</h1>
<p class="lead">${t.recoveryCodesIntro}</p>
<div class="recovery-sheet" data-recovery-codes>
<ol class="recovery-codes" aria-label="${t.recoveryCodesListLabel}">
${codes.map(
  (code) => html`<li>${code}</li>
`,
)}</ol>
<div class="actions recovery-save" role="group" aria-label="${t.recoveryCodesActionsLabel}">
<a class="btn-secondary" href="${file}" download="${recoveryCodesFileName(siteName)}">${t.recoveryCodesDownload}</a>
<button type="button" class="btn-secondary" data-recovery-copy hidden>${t.recoveryCodesCopy}</button>
<button type="button" class="btn-secondary" data-recovery-print hidden>${t.recoveryCodesPrint}</button>
</div>
<p class="hint" role="status" data-recovery-status data-copied="${t.recoveryCodesCopied}" data-copy-failed="${t.recoveryCodesCopyFailed}"></p>
</div>
<p class="hint">${t.recoveryCodesHint}</p>
<p class="done"><a class="btn-primary" href="${safeHref(backHref)}">${t.done}</a></p>
<script src="${basePath(mountPath)}/assets/${RECOVERY_CODES_SCRIPT}" defer></script>`;
  return renderLayout({ title: t.recoveryCodesTitle, siteName, logo, body, lang: words.lang });
}
