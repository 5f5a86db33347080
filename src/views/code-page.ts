import { formatClockTime, renderTime } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import type { Words } from './words';
import {
  codeField,
  csrfField,
  NOTICE_ID,
  renderActions,
  renderNotice,
  trustCheckbox,
  withPart,
  withStrong,
  type Notice,
  type PageAction,
  type PageActionGroup,
} from './components';
import type { LogoOptions } from '../types';

export type { Notice, PageAction, PageActionGroup };

/** When the code on its way expires and when a new one can be sent (ms), as of `now`. */
export interface CodeTimesModel {
  now: number;
  codeExpiresAt?: number | undefined;
  resendAt?: number | undefined;
}

export interface CodePageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  /** The document title ("title · siteName"). */
  title: string;
  heading: string;
  /** Plain text, e.g. a method's `strings.intro(destination)`. */
  intro: string;
  /** The part of `intro` (its first occurrence) to show in <strong>: the masked destination. */
  introStrong?: string;
  /**
   * A sign-in's "Not you? Sign out" under the intro, posting here: whoever sees the page of someone
   * else's sign-in (a shared computer, the wrong account) gets out in one click.
   */
  notYouAction?: string;
  notice?: Notice;
  /** The code form's action; the code is posted as "code". */
  verifyAction: string;
  /** Show the "Trust this browser for N days" checkbox (name "trust", value "1"). */
  offerTrust: boolean;
  /** Show "Also sign out my other sessions" (name "endOthers", value "1"), ticked. */
  offerEndOthers?: boolean;
  /** Whether that checkbox starts ticked. */
  trustChecked: boolean;
  trustDays: number;
  /** True while locked out: the code and recovery inputs, the checkboxes and their buttons are disabled. */
  codeDisabled: boolean;
  /**
   * Said under the code field as clock times, without script: "The code expires at 10:42" (or
   * "expired", once past) and "You can ask for a new code at 10:33" while that is still ahead.
   */
  codeTimes?: CodeTimesModel | undefined;
  /**
   * A method's own control (a passkey button) in place of the code field and the Verify button; it
   * posts through the same form.
   */
  answer?: SafeHtml;
  /**
   * When set, a "Use a recovery code instead" <details> with a form posting "recoveryCode" (and
   * "trust" when offered) here.
   */
  recoveryAction?: string;
  /** Open that <details> (e.g. to show it again after a wrong recovery code). */
  recoveryOpen?: boolean;
  /**
   * The answer just posted was refused (a wrong, expired or malformed code; with `recoveryOpen`, a
   * wrong recovery code): its field says aria-invalid. A send that failed or waits, which the error
   * notice also reports, marks no field: nothing typed was wrong.
   */
  answerRefused?: boolean;
  /**
   * Groups of secondary buttons, each button its own POST form, in one section under the code form.
   * When there are several groups and the last has no heading (e.g. "Cancel and sign out"), it is
   * set apart at the bottom, centred.
   */
  actions: PageActionGroup[];
}

function renderRecovery(model: CodePageModel, action: string): SafeHtml {
  const { t } = model.words;
  const disabled = model.codeDisabled;
  const describedBy = ['recovery-hint', model.recoveryOpen && model.notice?.kind === 'error' ? NOTICE_ID : ''].filter(Boolean).join(' ');
  const invalid = model.recoveryOpen === true && model.answerRefused === true;
  return html`<details class="recovery"${model.recoveryOpen && html` open`}>
<summary>${t.recoverySummary}</summary>
<form method="post" action="${action}">
${csrfField(model.csrfToken)}
<div class="field">
<label for="recovery-code">${t.recoveryLabel}</label>
<input class="text-input mono" id="recovery-code" name="recoveryCode" type="text" autocomplete="off" maxlength="20" spellcheck="false" autocapitalize="off" required aria-describedby="${describedBy}"${invalid && html` aria-invalid="true"`}${disabled ? html` disabled` : model.recoveryOpen && html` autofocus`}>
<p class="hint" id="recovery-hint">${t.recoveryHint}</p>
</div>
${model.offerTrust && trustCheckbox({ id: 'trust-recovery', days: model.trustDays, checked: model.trustChecked, disabled, hintId: 'trust-hint', withHint: false }, t)}
<button type="submit" class="btn-secondary"${disabled && html` disabled`}>${t.recoveryButton}</button>
</form>
</details>`;
}

/** A sentence around a clock time, the time marked up as a <time>. */
function sentenceAt(sentence: (time: string) => string, ms: number, words: Words): SafeHtml {
  const time = formatClockTime(ms, words);
  return withPart(sentence(time), time, () => renderTime(ms, words, (at) => formatClockTime(at, words)));
}

function codeNote(times: CodeTimesModel | undefined, words: Words): SafeHtml | undefined {
  if (!times) return undefined;
  const { t } = words;
  const { now, codeExpiresAt, resendAt } = times;
  const parts = [
    codeExpiresAt !== undefined && sentenceAt(codeExpiresAt > now ? t.codeExpiresAt : t.codeExpiredAt, codeExpiresAt, words),
    // Up to the minute: a clock time without seconds must never name a moment the send is still refused.
    resendAt !== undefined && resendAt > now && sentenceAt(t.newCodeAt, Math.ceil(resendAt / 60_000) * 60_000, words),
  ].filter((part): part is SafeHtml => part !== false);
  return parts.length === 0 ? undefined : html`${parts.map((part, i) => html`${i > 0 && ' '}${part}`)}`;
}

/**
 * A page where the user types a code: sign-in (the verify page), phone enrolment, re-authentication.
 * The one code form of the library.
 */
export function renderCodePage(model: CodePageModel): string {
  const { t } = model.words;
  const disabled = model.codeDisabled;
  const recoveryFocus = model.recoveryAction !== undefined && model.recoveryOpen === true;
  const recovery = model.recoveryAction !== undefined ? renderRecovery(model, model.recoveryAction) : undefined;
  const nonEmpty = model.actions.filter((g) => g.actions.length > 0);
  const last = nonEmpty[nonEmpty.length - 1];
  const footer = last && nonEmpty.length > 1 && last.heading === undefined ? last : undefined;
  const main = footer ? nonEmpty.slice(0, -1) : nonEmpty;

  const groups = main.map((g, i) =>
    g.heading === undefined
      ? html`${renderActions(g.actions, model.csrfToken)}
`
      : html`<div class="action-group" role="group" aria-labelledby="actions-${i}">
<h2 id="actions-${i}">${g.heading}</h2>
${renderActions(g.actions, model.csrfToken)}
</div>
`,
  );

  const body = html`<h1>${model.heading}</h1>
<p class="lead">${withStrong(model.intro, model.introStrong)}</p>
${
  model.notYouAction !== undefined &&
  html`<form class="not-you" method="post" action="${model.notYouAction}">
${csrfField(model.csrfToken)}
<p>${t.notYouPrompt} <button type="submit" class="btn-link">${t.notYouButton}</button></p>
</form>`
}
${renderNotice(model.notice, t)}
<form method="post" action="${model.verifyAction}">
${csrfField(model.csrfToken)}
${model.answer ?? codeField({ invalid: model.answerRefused === true && !recoveryFocus, described: model.notice?.kind === 'error' && !recoveryFocus, disabled, autofocus: !recoveryFocus, note: codeNote(model.codeTimes, model.words) }, t)}
${model.offerTrust && trustCheckbox({ id: 'trust', days: model.trustDays, checked: model.trustChecked, disabled, hintId: 'trust-hint', withHint: true }, t)}
${
  model.offerEndOthers === true &&
  html`<div class="check">
<input type="checkbox" id="end-others" name="endOthers" value="1" checked${disabled && html` disabled`}>
<label for="end-others">${t.endOthersLabel}</label>
</div>`
}
${model.answer === undefined && html`<button type="submit" class="btn-primary"${disabled && html` disabled`}>${t.verifyButton}</button>`}
</form>
${
  (groups.length > 0 || recovery) &&
  html`<div class="section">
${groups}${recovery}
</div>`
}
${
  footer &&
  html`<div class="section footer-actions">
${renderActions(footer.actions, model.csrfToken)}
</div>`
}`;

  return renderLayout({ title: model.title, siteName: model.siteName, logo: model.logo, body, lang: model.words.lang });
}
