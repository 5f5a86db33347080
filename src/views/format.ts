import { html, type SafeHtml } from './html';
import { strings } from './strings';

const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
});

function validDate(ms: number): Date | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A date and time as shown on pages and in emails, always in UTC (the server does not know the
 * reader's time zone): `23 Nov 2026, 18:05 UTC`. An invalid value gives `strings.unknownDate`.
 */
export function formatDate(ms: number): string {
  const date = validDate(ms);
  return date ? `${DATE_TIME.format(date)} UTC` : strings.unknownDate;
}

/** A <time> element with a machine-readable datetime and `format(ms)` as its text. */
export function renderTime(ms: number, format: (ms: number) => string = formatDate): SafeHtml {
  const date = validDate(ms);
  if (!date) return html`${format(ms)}`;
  return html`<time datetime="${date.toISOString()}">${format(ms)}</time>`;
}
