import type { DeliveryMethod } from '../types';
import { renderTime } from './format';
import { html, type SafeHtml } from './html';
import { renderLayout } from './layout';
import { strings } from './strings';
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
  /** The site's logo in the page's header (see the layout). */
  logo?: LogoOptions | undefined;
  messages: readonly OutboxMessage[];
}

/** Seconds matter when reading a development log: `2024-01-01 10:05:00 UTC`. */
function outboxTime(at: number): SafeHtml {
  return renderTime(at, (ms) => {
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? String(ms) : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  });
}

/** Development only: the codes that would have been sent, newest first, under a warning banner. */
export function renderOutboxPage({ siteName, logo, messages }: OutboxPageModel): string {
  const c = strings.outboxColumns;
  const sorted = [...messages].sort((a, b) => b.at - a.at);
  const list =
    sorted.length === 0
      ? html`<p class="lead">${strings.outboxEmpty}</p>`
      : // Scrolls sideways on a narrow screen: focusable, so a keyboard can scroll it too.
        html`<div class="table-wrap" tabindex="0" role="region" aria-labelledby="outbox-heading">
<table>
<thead><tr><th scope="col">${c.code}</th><th scope="col">${c.to}</th><th scope="col">${c.method}</th><th scope="col">${c.purpose}</th><th scope="col">${c.at}</th></tr></thead>
<tbody>
${sorted.map(
  (m) =>
    html`<tr><td class="code-cell">${m.code}</td><td>${m.to}</td><td>${strings.methodName[m.method] ?? m.method}</td><td>${m.purpose}</td><td>${outboxTime(m.at)}</td></tr>
`,
)}</tbody>
</table>
</div>`;

  const body = html`<p class="banner-dev" role="note">${strings.outboxBanner}</p>
<h1 id="outbox-heading">${strings.outboxTitle}</h1>
<p class="lead">${strings.outboxIntro}</p>
${list}`;
  return renderLayout({ title: strings.outboxTitle, siteName, logo, body, width: 'wide' });
}
