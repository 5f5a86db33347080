import type { LogoOptions } from '../types';
import { renderNotice, type Notice } from './components';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import type { Words } from './words';

export interface EnrolPageModel {
  siteName: string;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  /** The page's language. */
  words: Words;
  /** The enrolment's heading (and the document's title). */
  heading: string;
  notice?: Notice | undefined;
  /** The method's own view of what it presents (MethodView.enrol). */
  form: SafeHtml;
}

/** A method's enrolment page (an authenticator app's set-up, a new passkey): heading, notice, the method's form. */
export function renderEnrolPage({ siteName, logo, words, heading, notice, form }: EnrolPageModel): string {
  const body = html`<h1>${heading}</h1>
${renderNotice(notice, words.t)}
${form}`;
  return renderLayout({ title: heading, siteName, logo, body, lang: words.lang });
}
