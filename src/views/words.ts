import type { MethodWords, MethodWordsById } from './method-view';
import type { Strings } from './strings';

/** A table with any of its strings left out: functions and lists are given whole. */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (...args: never[]) => unknown
    ? T[K]
    : T[K] extends readonly unknown[]
      ? T[K]
      : T[K] extends object
        ? DeepPartial<T[K]>
        : T[K];
};

/** A host's words for one language, over the library's and the methods' (by method id). */
export type StringsOverride = DeepPartial<Strings> & {
  methods?: { readonly [K in keyof MethodWordsById]?: DeepPartial<MethodWordsById[K]> };
};

/**
 * The `strings` option: by language tag, the host's words merged over the shipped tables
 * (`{ de: { verifyTitle: '…' } }`), or a whole table for a language the library does not ship
 * (`{ fr: { ...everyString, methods: { ...everyMethod } } }`).
 */
export type StringsOption = { readonly [lang: string]: StringsOverride };

/** One table per language; English is always there (the language of last resort). */
export type LocaleTables<T> = { readonly en: T } & { readonly [lang: string]: T | undefined };

/**
 * The language a page or a message is in: the library's table and the methods' words for it, and
 * the time zone its times are shown in. The HTTP layer picks it for each request (or, for a message
 * sent out of band, for its reader) and hands it to the views: no module holds a "current language".
 */
export interface Words {
  /** The table's language tag, as `<html lang>` says it ("de"). */
  readonly lang: string;
  readonly t: Strings;
  /** The IANA time zone times are shown in ("Europe/Berlin"). */
  readonly timeZone: string;
  /** A method's own words in this language; undefined for an id no method has. */
  method(id: string): MethodWords | undefined;
}
