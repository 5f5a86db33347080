import { html, type SafeHtml } from './html';
import type { Words } from './words';

// One formatter per language and zone: building one costs far more than formatting with it.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, timeZone: string, clock: boolean): Intl.DateTimeFormat {
  const key = `${locale} ${timeZone} ${clock ? 'clock' : 'date'}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      ...(clock ? {} : { day: 'numeric', month: 'short', year: 'numeric' }),
      hour: '2-digit',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    formatters.set(key, format);
  }
  return format;
}

function validDate(ms: number): Date | null {
  if (!Number.isFinite(ms)) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * A date and time as shown on pages and in emails, in the reader's language (the table's
 * `intlLocale`) and time zone, which it names: `23 Nov 2026, 18:05 UTC`, `23. Nov. 2026, 19:05 MEZ`.
 * An invalid value gives the table's `unknownDate`.
 */
export function formatDate(ms: number, words: Pick<Words, 't' | 'timeZone'>): string {
  const date = validDate(ms);
  return date ? formatter(words.t.intlLocale, words.timeZone, false).format(date) : words.t.unknownDate;
}

/** A <time> element with a machine-readable datetime and the date as its text (`format`, or `formatDate`). */
export function renderTime(
  ms: number,
  words: Pick<Words, 't' | 'timeZone'>,
  format: (ms: number) => string = (at) => formatDate(at, words),
): SafeHtml {
  const date = validDate(ms);
  if (!date) return html`${format(ms)}`;
  return html`<time datetime="${date.toISOString()}">${format(ms)}</time>`;
}

/**
 * A time of today as a clock time, in the same language and zone as `formatDate`, which it names:
 * `10:42 UTC`. For what happens within minutes (a code expiring), where a date would be noise.
 */
export function formatClockTime(ms: number, words: Pick<Words, 't' | 'timeZone'>): string {
  const date = validDate(ms);
  return date ? formatter(words.t.intlLocale, words.timeZone, true).format(date) : words.t.unknownDate;
}

/** Whether `zone` is an IANA time zone this runtime knows ("Europe/Berlin"); remembered, as the check builds a formatter. */
const zones = new Map<string, boolean>();
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '' || zone.length > 64) return false;
  let known = zones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    // Bounded: a user adapter could hand out any string.
    if (zones.size < 1000) zones.set(zone, known);
  }
  return known;
}
