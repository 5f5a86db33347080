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

const CLOCK_TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' });

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

/**
 * A time of today as a clock time, in the same zone as `formatDate`, which it names: `10:42 UTC`.
 * For what happens within minutes (a code expiring), where a date would be noise.
 */
export function formatClockTime(ms: number): string {
  const date = validDate(ms);
  return date ? `${CLOCK_TIME.format(date)} UTC` : strings.unknownDate;
}
