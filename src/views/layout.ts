import type { LogoOptions } from '../types';
import { html, raw, type SafeHtml } from './html';
import { STYLESHEET } from './styles';

export interface LayoutModel {
  /** The page's own title; the document title becomes "title · siteName". */
  title: string;
  siteName: string;
  /** The page body, built with `html`. Plain strings are not accepted, so nothing unescaped slips in. */
  body: SafeHtml;
  /** The document's language, the page's table's tag ("de"). */
  lang: string;
  /** A wide page (the development outbox) instead of the narrow sign-in card. Same as width "wide". */
  wide?: boolean;
  /** The card's width: "narrow" (sign-in pages, default), "medium" (settings) or "wide" (outbox). */
  width?: 'narrow' | 'medium' | 'wide';
  /** The site's logo, above the site's name (the `logo` option, its `src` already checked). */
  logo?: LogoOptions | undefined;
}

function renderLogo(logo: LogoOptions | undefined): SafeHtml {
  if (!logo) return html``;
  const { src, alt, width, height } = logo;
  return html`<img class="site-logo" src="${src}" alt="${alt}"${width !== undefined && html` width="${width}"`}${height !== undefined && html` height="${height}"`}>`;
}

/**
 * A complete HTML5 document. No scripts but those the body loads by src, no external resources but
 * the host's logo: the only style is STYLESHEET, embedded byte for byte so its CSP hash
 * (STYLESHEET_HASH) matches.
 */
export function renderLayout({ title, siteName, body, lang, wide = false, width = wide ? 'wide' : 'narrow', logo }: LayoutModel): string {
  const size = width === 'narrow' ? '' : width;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title} · ${siteName}</title>
<style>${raw(STYLESHEET)}</style>
</head>
<body>
<header class="site${size && ` ${size}`}">${renderLogo(logo)}${siteName}</header>
<main${size && html` class="${size}"`}>
<div class="card">
${body}
</div>
</main>
</body>
</html>
`.toString();
}
