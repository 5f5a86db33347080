import Negotiator from 'negotiator';
import { fail, isObject, rejectUnknownKeys } from '../options-schema';
import { PLURAL_CATEGORIES } from './counting';
import type { MethodWords } from './method-view';
import { en, type Strings } from './strings';
import { de } from './strings.de';
import { es } from './strings.es';
import type { LocaleTables, Words } from './words';

/** The library's own tables, one per language it ships. */
export const SHIPPED_STRINGS: LocaleTables<Strings> = { en, de, es };

/** What a catalog is made of: the library's tables and each method's (from its folder). */
export interface CatalogSource {
  core: LocaleTables<Strings>;
  methods: readonly { readonly id: string; readonly strings: LocaleTables<MethodWords> }[];
}

interface Table {
  t: Strings;
  methods: ReadonlyMap<string, MethodWords>;
}

/**
 * Every language the library can speak in this configuration: the shipped tables with the host's
 * `strings` merged over them, and any language the host added. Built once, at start-up.
 */
export class Catalog {
  /** The languages, English first: what `Accept-Language` is negotiated against. */
  readonly locales: readonly string[];
  private readonly cache = new Map<string, Words>();

  constructor(private readonly tables: ReadonlyMap<string, Table>) {
    this.locales = [...tables.keys()];
  }

  /** The words of `lang` (English for a language the catalog does not have), with times in `timeZone`. */
  words(lang: string, timeZone = 'UTC'): Words {
    const key = `${lang} ${timeZone}`;
    let words = this.cache.get(key);
    if (!words) {
      const name = this.tables.has(lang) ? lang : 'en';
      const table = this.tables.get(name) as Table;
      words = { lang: name, t: table.t, timeZone, method: (id) => table.methods.get(id) };
      // Bounded by the languages times the time zones in use (zones are checked before they get here).
      if (this.cache.size < 10_000) this.cache.set(key, words);
    }
    return words;
  }

  /**
   * The catalog's language that best fits an `Accept-Language` header, or a single tag such as a
   * user's ("de-CH" → "de", "es-419" → "es"), quality values honoured (negotiator); undefined when
   * nothing was asked for or nothing fits ("fr").
   */
  match(header: string | undefined): string | undefined {
    if (typeof header !== 'string' || header.trim() === '') return undefined;
    return new Negotiator({ headers: { 'accept-language': header } }).language([...this.locales]);
  }
}

/**
 * The shipped tables with the host's `strings` option merged over them: `{ de: { verifyTitle: '…',
 * methods: { totp: { label: '…' } } } }`. Each key is checked against the English table (an unknown
 * one is refused with a "did you mean"), each value against the kind of the one it replaces (a
 * sentence, a function of the same parameters, a list). A language the library does not ship must
 * come whole, the methods' words included: a missing key is refused, never shown in English.
 */
export function buildCatalog(source: CatalogSource, overrides: unknown, path = 'strings'): Catalog {
  const tables = new Map<string, Table>();
  for (const lang of Object.keys(source.core)) {
    const t = source.core[lang] as Strings;
    tables.set(lang, { t, methods: new Map(source.methods.map((m) => [m.id, m.strings[lang] ?? m.strings.en])) });
  }
  if (overrides === undefined) return new Catalog(tables);
  if (!isObject(overrides))
    fail(`\`${path}\` must be an object of languages, e.g. \`{ de: { verifyTitle: 'Bestätigen Sie, dass Sie es sind' } }\`.`);
  for (const [lang, given] of Object.entries(overrides)) {
    const where = `${path}.${lang}`;
    checkTag(lang, path);
    if (!isObject(given)) fail(`\`${where}\` must be an object of strings (and \`methods\`), like the English table.`);
    const shipped = tables.get(lang);
    const whole = shipped === undefined;
    const { methods: methodsGiven, ...core } = given;
    const t = merge(shipped?.t ?? source.core.en, core, where, whole) as Strings;
    checkIntlLocale(t.intlLocale, `${where}.intlLocale`);
    if (methodsGiven !== undefined && !isObject(methodsGiven))
      fail(`\`${where}.methods\` must be an object of methods' words by method id, e.g. \`{ totp: { label: '…' } }\`.`);
    if (methodsGiven)
      rejectUnknownKeys(
        methodsGiven,
        `${where}.methods`,
        source.methods.map((m) => m.id),
        'method',
      );
    const methods = new Map<string, MethodWords>();
    for (const method of source.methods) {
      const own = methodsGiven?.[method.id];
      const at = `${where}.methods.${method.id}`;
      if (whole && own === undefined)
        fail(`\`${at}\` is missing: a language the library does not ship needs every method's words too (start from the English ones).`);
      methods.set(method.id, merge(shipped?.methods.get(method.id) ?? method.strings.en, own ?? {}, at, whole) as unknown as MethodWords);
    }
    tables.set(lang, { t, methods });
  }
  return new Catalog(tables);
}

type Sentences = Readonly<Record<string, unknown>>;

function merge(base: object, given: unknown, path: string, whole: boolean): Sentences {
  if (!isObject(given)) fail(`\`${path}\` must be an object of strings, like the English one.`);
  const shipped = base as Sentences;
  // Count forms (`{ one, other }`) may name any plural category the language has (`few`, `many`).
  if (isCountForms(shipped)) return countForms(shipped, given, path);
  rejectUnknownKeys(given, path, Object.keys(shipped));
  if (whole) {
    const missing = Object.keys(shipped).filter((key) => given[key] === undefined);
    if (missing.length > 0) {
      fail(
        `\`${path}\` is missing ${missing.map((key) => `\`${key}\``).join(', ')}: a language the library does not ship needs a full table (start from the English one).`,
      );
    }
  }
  const merged: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(shipped)) {
    merged[key] = given[key] === undefined ? value : mergeValue(value, given[key], `${path}.${key}`, whole);
  }
  return merged;
}

function isCountForms(table: Sentences): boolean {
  const keys = Object.keys(table);
  return keys.includes('other') && keys.every((key) => (PLURAL_CATEGORIES as readonly string[]).includes(key));
}

function countForms(shipped: Sentences, given: Record<string, unknown>, path: string): Sentences {
  rejectUnknownKeys(given, path, PLURAL_CATEGORIES);
  const merged: Record<string, unknown> = { ...shipped, ...given };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'string' || value.trim() === '') fail(`\`${path}.${key}\` must be a non-empty string.`);
  }
  return merged;
}

function mergeValue(shipped: unknown, value: unknown, path: string, whole: boolean): unknown {
  if (typeof shipped === 'string') {
    if (typeof value !== 'string' || value.trim() === '') fail(`\`${path}\` must be a non-empty string.`);
    return value;
  }
  if (typeof shipped === 'function') {
    if (typeof value !== 'function')
      fail(`\`${path}\` must be a function, as in the English table: it is given ${shipped.length} parameter(s) to word.`);
    return value;
  }
  if (Array.isArray(shipped)) {
    if (!Array.isArray(value) || value.length !== shipped.length || value.some((v) => typeof v !== 'string' || v.trim() === '')) {
      fail(`\`${path}\` must be a list of ${shipped.length} non-empty strings, as in the English table.`);
    }
    return [...value];
  }
  return merge(shipped as object, value, path, whole);
}

/** A language is named by its BCP 47 tag as `Intl` writes it ("pt-BR", not "pt_br"). */
function checkTag(lang: string, path: string): void {
  let canonical: string | undefined;
  try {
    canonical = Intl.getCanonicalLocales(lang)[0];
  } catch {
    canonical = undefined;
  }
  if (canonical !== lang) {
    fail(
      `\`${path}\` has a language "${lang}" that is not a BCP 47 tag as Intl writes it${canonical ? ` (did you mean "${canonical}"?)` : ' (e.g. "fr" or "pt-BR")'}.`,
    );
  }
}

function checkIntlLocale(value: unknown, path: string): void {
  try {
    if (typeof value === 'string' && Intl.getCanonicalLocales(value).length === 1) return;
  } catch {
    // Refused below.
  }
  fail(`\`${path}\` must be the BCP 47 tag Intl formats the language's dates in, e.g. "fr-FR".`);
}
