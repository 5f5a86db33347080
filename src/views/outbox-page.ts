import type { DeliveryMethod } from '../types';
import { renderTime } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import type { Words } from './words';
import type { LogoOptions } from '../types';

export interface OutboxMessage {
  /** When it was sent, ms since the epoch. */
  at: number;
  method: DeliveryMethod;
  /** The unmasked destination: this page exists only in development. */
  to: string;
  code: string;
  purpose: string;
}

export interface OutboxPageModel {
  siteName: string;
  /** The page's language. */
  words: Words;
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  messages: readonly OutboxMessage[];
}

/** Seconds matter when reading a development log: `2024-01-01 10:05:00 UTC`. */
function outboxTime(at: number, words: Words): SafeHtml {
  return renderTime(at, words, (ms) => {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? String(ms) : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  });
}

/** Development only: the codes that would have been sent, newest first, under a warning banner. */
export function renderOutboxPage({ siteName, logo, words, messages }: OutboxPageModel): string {
  const { t } = words;
  const c = t.outboxColumns;
  const sorted = [...messages].sort((a, b) => b.at - a.at);
  const list =
    sorted.length === 0
      ? html`<p class="lead">${t.outboxEmpty}</p>`
      : // Scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too.
        html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="outbox-heading">
<table>
<thead><tr><th scope="col">${c.code}</th><th scope="col">${c.to}</th><th scope="col">${c.method}</th><th scope="col">${c.purpose}</th><th scope="col">${c.at}</th></tr></thead>
<tbody>
${sorted.map(
  (m) =>
    html`<tr><td class="code-cell">${m.code}</td><td>${m.to}</td><td>${words.method(m.method)?.name ?? m.method}</td><td>${m.purpose}</td><td>${outboxTime(m.at, words)}</td></tr>
`,
)}</tbody>
</table>
</div>`;

  const body = html`<p class="banner-dev" role="note">${t.outboxBanner}</p>
<h1 id="outbox-heading">${t.outboxTitle}</h1>
<p class="lead">${t.outboxIntro}</p>
${list}`;
  return renderLayout({ title: t.outboxTitle, siteName, logo, body, width: 'wide', lang: words.lang });
}
