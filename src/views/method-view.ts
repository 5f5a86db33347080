import type { Json } from '../core/method';
import type { SafeHtml } from './html';

/** What a method's page part is given: the form it answers through. */
export interface MethodFormModel {
  csrfToken: string;
  /** Where the answer is posted. */
  action: string;
  /** True while locked out: the control is disabled. */
  disabled: boolean;
  /** Base path of the library's routes (for the method's own assets: `${mountPath}/assets/<name>`). */
  mountPath: string;
}

/**
 * A method's own views, beside its core part. Methods whose answer is a code need none: the code page
 * renders the code field.
 */
export interface MethodView {
  /**
   * The answer control on the code page, for methods whose `answer` is `prompt` (a passkey button).
   * It is rendered INSIDE the page's own form (which already carries the CSRF token and the flow's
   * fields, "Trust this browser" and the like, and posts to `action`), in place of the code field and
   * the Verify button: render controls, never a `<form>`.
   */
  prompt?(model: MethodFormModel & { state: Json | undefined }): SafeHtml;
  /**
   * The enrolment page's body, for what `Enrolment.present` returned, below the page's heading (the
   * enrolment's `strings.heading`) and notice, which the flow renders. This one is a whole form
   * posting to `action`. After a refused answer `invalid` is set and `answer` holds what was posted
   * (the fields to fill in again; a code field should then say `aria-invalid` and point at the notice).
   */
  enrol?(
    model: MethodFormModel & { shown: Json; cancel: { action: string; label: string }; invalid?: boolean; answer?: Readonly<Record<string, string>> },
  ): SafeHtml;
  /**
   * Static files its pages load, served from `${mountPath}/assets/<name>` (scripts are never inline:
   * the CSP allows only the library's own).
   */
  assets?: Readonly<Record<string, { type: string; body: string }>>;
}
