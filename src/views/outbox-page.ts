import type { DeliveryMethod } from '../types';
import { html } from './html';
import { renderLayout } from './layout';
import { strings } from './strings';

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
  messages: readonly OutboxMessage[];
}

function formatTime(at: number): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return String(at);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Development only: the codes that would have been sent, newest first, under a warning banner. */
export function renderOutboxPage({ siteName, messages }: OutboxPageModel): string {
  const c = strings.outboxColumns;
  const sorted = [...messages].sort((a, b) => b.at - a.at);
  const list =
    sorted.length === 0
      ? html`<p class="lead">${strings.outboxEmpty}</p>`
      : html`<div class="table-wrap">
<table>
<thead><tr><th scope="col">${c.at}</th><th scope="col">${c.method}</th><th scope="col">${c.to}</th><th scope="col">${c.purpose}</th><th scope="col">${c.code}</th></tr></thead>
<tbody>
${sorted.map(
  (m) =>
    html`<tr><td><time datetime="${Number.isNaN(new Date(m.at).getTime()) ? '' : new Date(m.at).toISOString()}">${formatTime(m.at)}</time></td><td>${strings.methodName[m.method] ?? m.method}</td><td>${m.to}</td><td>${m.purpose}</td><td class="code-cell">${m.code}</td></tr>
`,
)}</tbody>
</table>
</div>`;

  const body = html`<p class="banner-dev" role="note">${strings.outboxBanner}</p>
<h1>${strings.outboxTitle}</h1>
<p class="lead">${strings.outboxIntro}</p>
${list}`;
  return renderLayout({ title: strings.outboxTitle, siteName, body, wide: true });
}
