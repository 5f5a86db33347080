import type { DeliveryMethod } from '../types';
import { renderCodePage } from './code-page';
import { basePath, type Notice, type PageActionGroup } from './components';
import { strings } from './strings';

export { renderNotice, type Notice, type PageAction, type PageActionGroup } from './components';
export { renderCodePage, type CodePageModel } from './code-page';

export interface VerifyPageModel {
  siteName: string;
  /** Forms post to `${mountPath}/verify`, `${mountPath}/resend` and `${mountPath}/sign-out`. */
  mountPath: string;
  /** Sent as the hidden input "_csrf" in every form. */
  csrfToken: string;
  method: DeliveryMethod;
  /** e.g. "a•••e@acme.test" or "•••• 0006" (see mask.ts). */
  maskedDestination: string;
  /** Replaces the "We sent a code to …" sentence (which must still contain `maskedDestination`). */
  intro?: string;
  notice?: Notice;
  /** Show the "Trust this browser for N days" checkbox (name "trust", value "1"). */
  offerTrust: boolean;
  /** Whether that checkbox starts ticked. */
  trustChecked: boolean;
  trustDays: number;
  /** "Send the code another way": one submit button per method (name "method", value the method). */
  otherMethods: DeliveryMethod[];
  /** True while locked out: the code input, the checkbox and the Verify button are disabled. */
  codeDisabled: boolean;
  /** When set, offer "Use a recovery code instead", posting "recoveryCode" (and "trust") here. */
  recoveryAction?: string;
  /** Open the recovery-code form, e.g. after a wrong recovery code. */
  recoveryOpen?: boolean;
}

/** The sign-in page where the user types the code: `renderCodePage` with resend, other methods and sign out. */
export function renderVerifyPage(model: VerifyPageModel): string {
  const base = basePath(model.mountPath);
  const otherMethods = model.otherMethods.filter((m, i, all) => m !== model.method && all.indexOf(m) === i);

  const actions: PageActionGroup[] = [
    { heading: strings.resendHeading, actions: [{ action: `${base}/resend`, label: strings.resendButton }] },
  ];
  if (otherMethods.length > 0) {
    actions.push({
      heading: strings.otherMethodsHeading,
      actions: otherMethods.map((m) => ({ action: `${base}/resend`, label: strings.otherMethodButton(m), name: 'method', value: m })),
    });
  }
  actions.push({ actions: [{ action: `${base}/sign-out`, label: strings.signOutButton }] });

  return renderCodePage({
    siteName: model.siteName,
    csrfToken: model.csrfToken,
    title: strings.verifyTitle,
    heading: strings.heading(model.method),
    intro: model.intro ?? strings.codeSentTo(model.method, model.maskedDestination),
    introStrong: model.maskedDestination,
    ...(model.notice ? { notice: model.notice } : {}),
    verifyAction: `${base}/verify`,
    offerTrust: model.offerTrust,
    trustChecked: model.trustChecked,
    trustDays: model.trustDays,
    codeDisabled: model.codeDisabled,
    ...(model.recoveryAction !== undefined ? { recoveryAction: model.recoveryAction } : {}),
    ...(model.recoveryOpen !== undefined ? { recoveryOpen: model.recoveryOpen } : {}),
    actions,
  });
}
