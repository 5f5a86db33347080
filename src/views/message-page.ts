import { html } from './html';
import { renderLayout } from './layout';
import type { Words } from './words';
import type { LogoOptions } from '../types';

export interface MessagePageModel {
  siteName: string;
  /** The page's language (the title and text are already in it). */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  title: string;
  text: string;
  /** An optional way on, shown as a button-styled link. */
  link?: { href: string; label: string };
}

/**
 * Only same-site paths ("/login") and http(s) URLs are used as link targets; anything else
 * ("javascript:", "//evil.test", "/\evil.test") becomes "/".
 */
export function safeHref(href: string): string {
  const value = href.trim();
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value;
  if (/^https?:\/\/[^\s]+$/i.test(value)) return value;
  return '/';
}

/** A simple page for 4xx and 503 answers: a heading, a sentence, and optionally a link. */
export function renderMessagePage({ siteName, logo, words, title, text, link }: MessagePageModel): string {
  const body = html`<h1>${title}</h1>
<p class="lead">${text}</p>
${link && html`<p><a class="btn-primary" href="${safeHref(link.href)}">${link.label}</a></p>`}`;
  return renderLayout({ title, siteName, logo, body, lang: words.lang });
}
