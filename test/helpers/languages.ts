import { METHODS } from '../../src/methods/registry';
import { SHIPPED_STRINGS } from '../../src/views/catalog';

/**
 * Arguments every string function of the tables is tried with: numbers (0, 1, several), the kinds
 * of text they take (a site name, a destination, a code), the purposes and phone methods, booleans.
 * A function answers a string for the ones it takes; what it answers for the others is ignored.
 */
const ARGUMENTS: unknown[][] = [
  [],
  [0],
  [1],
  [2],
  [5],
  [10],
  [15],
  [30],
  [64],
  ['Acme'],
  ['Acme', 1],
  ['Acme', 5],
  ['Acme', 0],
  ['Acme', true],
  ['Acme', false],
  ['Acme', null],
  ['Acme', '•••• 0006'],
  ['Acme', 'passkey'],
  ['Acme', 'sign-in'],
  ['Acme', 'reauth'],
  ['Acme', 'enroll-phone'],
  ['123456', 'Acme'],
  ['123456', 'Acme', 1],
  ['123456', 'Acme', 10],
  ['Acme', '1, 2, 3, 4, 5, 6'],
  [true],
  [false],
  ['sign-in'],
  ['reauth'],
  ['enroll-phone'],
  ['sms'],
  ['voice'],
  ['a•••e@acme.test'],
];

/** Every sentence of a table, depth first, by path: strings, list items, and what each function says for each set of arguments it takes. */
export function sentences(table: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, at: string): void => {
    if (typeof value === 'string') found.set(at, value);
    else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) walk(item, `${at}[${i}]`);
    } else if (typeof value === 'function') {
      for (const args of ARGUMENTS) {
        let said: unknown;
        try {
          said = (value as (...a: unknown[]) => unknown)(...args);
        } catch {
          said = undefined;
        }
        // Arguments of another kind than the function takes ("NaN days") are no sentence of it.
        if (typeof said === 'string' && !/NaN|undefined|\[object|null/.test(said))
          found.set(`${at}(${args.map((a) => JSON.stringify(a)).join(', ')})`, said);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) walk(inner, at === '' ? key : `${at}.${key}`);
    }
  };
  walk(table, path);
  return found;
}

/** The shape of a table: every key, depth first, with the kind of its value (a sentence, a list, a function, a group). */
export function shape(table: unknown, path = ''): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (value: unknown, at: string): void => {
    const kind = Array.isArray(value) ? `list of ${value.length}` : typeof value;
    found.set(at, kind);
    if (kind === 'object' && value !== null)
      for (const [key, inner] of Object.entries(value as object)) walk(inner, at === '' ? key : `${at}.${key}`);
  };
  walk(table, path);
  return found;
}

/** The shape of a shipped language, every registered method's table included. */
export function allShapes(lang: string): Map<string, string> {
  const all = shape(SHIPPED_STRINGS[lang], '');
  for (const plugin of METHODS) for (const [path, kind] of shape(plugin.strings[lang], `methods.${plugin.id}`)) all.set(path, kind);
  return all;
}

/** The sentences of a shipped language: the library's table and every registered method's. */
export function allSentences(lang: string): Map<string, string> {
  const all = sentences(SHIPPED_STRINGS[lang], '');
  for (const plugin of METHODS) for (const [path, text] of sentences(plugin.strings[lang], `methods.${plugin.id}`)) all.set(path, text);
  return all;
}

/** Paths whose text is the same in `lang` as in English on purpose: names and words both languages use. */
export function sameAsEnglish(lang: string): string[] {
  const english = allSentences('en');
  return [...allSentences(lang)].filter(([path, text]) => english.get(path) === text).map(([path]) => path);
}

/** The English sentences that must never show up on a page in `lang` (those it rightly shares with English aside). */
export function englishSentencesFor(lang: string): string[] {
  const english = allSentences('en');
  const shared = new Set([...allSentences(lang)].filter(([path, text]) => english.get(path) === text).map(([, text]) => text));
  // Format tags and bare numbers are no English a reader sees.
  return [...new Set(english.values())].filter((text) => !shared.has(text) && /\p{L}{3}/u.test(text) && !/^[a-z]{2}-[A-Z]{2}$/.test(text));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The English sentences found in `text` as whole words (so "Code" in "Codes" does not count). */
export function englishIn(text: string, lang: string): string[] {
  return englishSentencesFor(lang).filter((english) => new RegExp(`(?<![\\p{L}])${escapeRegExp(english)}(?![\\p{L}])`, 'u').test(text));
}

/** GSM 03.38: the basic alphabet and its extension table, what an SMS carries 160 to a segment. */
export const GSM_7 = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
  ...'^{}\\[~]|€',
]);
