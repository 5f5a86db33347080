import type { Json } from '../core/method';
import type { SafeHtml } from './html';
import type { Words } from './words';

/** Words a method brings to the pages, in one language; `destination` is masked. */
export interface MethodStrings {
  /** Capitalised, for radio buttons and lists ("Authenticator app"). */
  label: string;
  /** In running text, after an article or "your" ("authenticator app", "passkey"). */
  name: string;
  /** The page heading while this method is the one in use. */
  heading: string;
  /** The sentence under it. */
  intro(destination: string): string;
  /** The same, before a change to the second factor. */
  reauthIntro(destination: string): string;
  /** The button that switches to it ("Use my authenticator app"). */
  switchTo: string;
  /** The settings page's line after it became the preferred method. */
  chosen: string;
  /** After "send a new code", for methods that are `resendable`. */
  newCodeSent?: string;
  /** On the settings page while the user cannot use it yet ("Add a phone number first"). */
  unavailable: string;
  /** When an answer is not even of the right shape. Default: the code's ("The code is 6 digits…"). */
  malformed?: string;
}

/** The settings page's section of a method with an enrolment, and why an enrolment was refused. */
export interface EnrolmentStrings {
  heading: string;
  add: string;
  none: string;
  added: string;
  removed: string;
  /** What a credential the user named nothing is listed as (stored unnamed, worded when shown). */
  defaultLabel: string;
  /** By the reason `Enrolment.finish` refused an answer: a sentence, or a function of its `args`. */
  refused: Readonly<Record<string, string | ((...args: number[]) => string)>>;
}

/**
 * All of a method's words in one language: what the pages need of every method, its enrolment
 * section, and whatever its own views say. Each method folder has one table per language, typed by
 * its English table, so a translation missing a key fails to compile.
 */
export interface MethodWords extends MethodStrings {
  enrolment?: EnrolmentStrings;
}

/**
 * Each method's words type by id, added by the method's folder (like `MethodIds`), so that a host's
 * `strings.<lang>.methods.<id>` is typed: `declare module '../../views/method-view' { interface MethodWordsById { totp: TotpWords } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: empty on purpose, the methods' folders fill it in by declaration merging (a type alias cannot be merged).
export interface MethodWordsById {}

/** What a method's page part is given: the form it answers through, and its words in the page's language. */
export interface MethodFormModel<W extends MethodWords = MethodWords> {
  csrfToken: string;
  /** Where the answer is posted. */
  action: string;
  /** True while locked out: the control is disabled. */
  disabled: boolean;
  /** Base path of the library's routes (for the method's own assets: `${mountPath}/assets/<name>`). */
  mountPath: string;
  /** The method's own words, in the page's language. */
  words: W;
  /** The page's language: the library's table, for the shared parts (a notice, the code field). */
  page: Words;
}

/**
 * A method's own views, beside its core part. Methods whose answer is a code need none: the code page
 * renders the code field.
 */
export interface MethodView<W extends MethodWords = MethodWords> {
  /**
   * The answer control on the code page, for methods whose `answer` is `prompt` (a passkey button).
   * It is rendered INSIDE the page's own form (which already carries the CSRF token and the flow's
   * fields, "Trust this browser" and the like, and posts to `action`), in place of the code field and
   * the Verify button: render controls, never a `<form>`.
   */
  prompt?(model: MethodFormModel<W> & { state: Json | undefined }): SafeHtml;
  /**
   * The enrolment page's body, for what `Enrolment.present` returned, below the page's heading (the
   * enrolment's `heading`) and notice, which the flow renders. This one is a whole form posting to
   * `action`. After a refused answer `invalid` is set and `answer` holds what was posted (the fields
   * to fill in again; a code field should then say `aria-invalid` and point at the notice).
   */
  enrol?(
    model: MethodFormModel<W> & {
      shown: Json;
      cancel: { action: string; label: string };
      invalid?: boolean;
      answer?: Readonly<Record<string, string>>;
    },
  ): SafeHtml;
  /**
   * Static files its pages load, served from `${mountPath}/assets/<name>` (scripts are never inline:
   * the CSP allows only the library's own). The same for every language: a script takes its words
   * from the page (a data attribute), never from its own text.
   */
  assets?: Readonly<Record<string, { type: string; body: string }>>;
}
