import type { LogoOptions } from '../types';
import { renderCodePage, type CodeTimesModel } from './code-page';
import { basePath, type Notice, type PageActionGroup } from './components';
import type { SafeHtml } from './html';
import type { MethodStrings } from './method-view';
import type { Words } from './words';

export { renderNotice, type Notice, type PageAction, type PageActionGroup } from './components';
export { renderCodePage, type CodePageModel, type CodeTimesModel } from './code-page';

/** A method as the pages show it. */
export interface MethodDisplay {
  id: string;
  /** Its words, in the page's language. */
  strings: MethodStrings;
  /** Offer "Send a new code". */
  resendable: boolean;
}

export interface VerifyPageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** Forms post to `${mountPath}/verify`, `${mountPath}/resend` and `${mountPath}/sign-out`. */
  mountPath: string;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  method: MethodDisplay;
  /** e.g. "a•••e@acme.test" or "•••• 0006" (see mask.ts); empty for a method that sends nothing. */
  maskedDestination: string;
  /** Replaces the method's "We sent a code to …" sentence (which must still contain `maskedDestination`). */
  intro?: string;
  notice?: Notice;
  /** Show the "Trust this browser for N days" checkbox (name "trust", value "1"). */
  offerTrust: boolean;
  /** Whether that checkbox starts ticked. */
  trustChecked: boolean;
  trustDays: number;
  /** "Use another way": one submit button per method (name "method", value the method's id). */
  otherMethods: MethodDisplay[];
  /** True while locked out: the code input, the checkbox and the Verify button are disabled. */
  codeDisabled: boolean;
  /** When the code expires and a new one can be sent, said under the code field. */
  codeTimes?: CodeTimesModel | undefined;
  /** The method's own control instead of the code field (a passkey button). */
  answer?: SafeHtml;
  /** When set, offer "Use a recovery code instead", posting "recoveryCode" (and "trust") here. */
  recoveryAction?: string;
  /** Open the recovery-code form, e.g. after a wrong recovery code. */
  recoveryOpen?: boolean;
  /** The answer just posted was refused: its field says so (see CodePageModel). */
  answerRefused?: boolean;
}

/** The sign-in page where the user proves the second factor: `renderCodePage` with resend, other methods and sign out. */
export function renderVerifyPage(model: VerifyPageModel): string {
  const base = basePath(model.mountPath);
  const { t } = model.words;
  const otherMethods = model.otherMethods.filter((m, i, all) => m.id !== model.method.id && all.findIndex((o) => o.id === m.id) === i);

  const actions: PageActionGroup[] = [];
  if (model.method.resendable) actions.push({ heading: t.resendHeading, actions: [{ action: `${base}/resend`, label: t.resendButton }] });
  if (otherMethods.length > 0) {
    actions.push({
      heading: t.otherMethodsHeading,
      actions: otherMethods.map((m) => ({ action: `${base}/resend`, label: m.strings.switchTo, name: 'method', value: m.id })),
    });
  }
  actions.push({ actions: [{ action: `${base}/sign-out`, label: t.signOutButton }] });

  return renderCodePage({
    siteName: model.siteName,
    words: model.words,
    logo: model.logo,
    csrfToken: model.csrfToken,
    title: t.verifyTitle,
    heading: model.method.strings.heading,
    intro: model.intro ?? model.method.strings.intro(model.maskedDestination),
    ...(model.maskedDestination ? { introStrong: model.maskedDestination } : {}),
    notYouAction: `${base}/sign-out`,
    ...(model.notice ? { notice: model.notice } : {}),
    verifyAction: `${base}/verify`,
    offerTrust: model.offerTrust,
    trustChecked: model.trustChecked,
    trustDays: model.trustDays,
    codeDisabled: model.codeDisabled,
    codeTimes: model.codeTimes,
    ...(model.answer ? { answer: model.answer } : {}),
    ...(model.recoveryAction !== undefined ? { recoveryAction: model.recoveryAction } : {}),
    ...(model.recoveryOpen !== undefined ? { recoveryOpen: model.recoveryOpen } : {}),
    answerRefused: model.answerRefused === true,
    actions,
  });
}
