/**
 * The kinds of option the option table (`options.ts`) is made of. Each row says how an option is
 * read (checked, its default filled) and how the README's option table shows it; a group's rows are
 * its nested options, so the unknown-option check with its "did you mean" reaches every level.
 */
import { ConfigurationError, type ConfigurationErrorCode } from './errors';
import type { RateWindow } from './core/store';

/** What a default may depend on besides the option itself; read before the rest. */
export interface ParseContext {
  readonly development: boolean;
}

/** What every row has, whatever it reads: its line in the README's option table and its reader. */
export interface OptionRow {
  /** The line of the README's option table. */
  readonly doc: string;
  /** The default as that table shows it ("required" for a required option). */
  readonly shown: string;
  /** Checks what the host gave (`undefined` when absent) and returns it resolved, default filled. */
  readonly parse: (value: unknown, path: string, context: ParseContext) => unknown;
  /** A group's own options. */
  readonly children?: Readonly<Record<string, OptionRow>>;
}

/**
 * A row for an option of type `In` that resolves to `Out`. `In` appears in both positions of the
 * phantom `_in`, so a row fits exactly the type it was made for: a table typed
 * `OptionSchema<DeviceTwoFactorOptions>` fails to compile when an option is missing, extra, or of
 * another type, at every level.
 */
export interface Option<In, Out> extends OptionRow {
  readonly parse: (value: unknown, path: string, context: ParseContext) => Out;
  readonly _in?: (value: In) => In;
}

/**
 * One row per option of `T`, optional ones included, each made for that option's type. What a row
 * resolves to is left out: `parse` there would make the compiler infer `unknown` for a row such as
 * `fn(…)` instead of the option's own type.
 */
export type OptionSchema<T> = { readonly [K in keyof Required<T>]: Pick<OptionRow, 'doc' | 'shown'> & Pick<Option<T[K], never>, '_in'> };

/** The rows of a group: made by the kinds below, so each has its reader. */
function rowsOf(children: object): Readonly<Record<string, OptionRow>> {
  return children as Readonly<Record<string, OptionRow>>;
}

type OutOf<R> = R extends { readonly parse: (...args: never[]) => infer Out } ? Out : never;

/** What a table of rows resolves to. */
export type Resolved<S> = { -readonly [K in keyof S]: OutOf<S[K]> };

/** What a group resolves to: a nested option that resolves to nothing is left out (`channels.sms`). */
type Nested<C> = { -readonly [K in keyof C as undefined extends OutOf<C[K]> ? never : K]: OutOf<C[K]> } & {
  -readonly [K in keyof C as undefined extends OutOf<C[K]> ? K : never]?: OutOf<C[K]>;
};

/** Refuses the options with a message that names the option and the fix. */
export function fail(message: string, code?: ConfigurationErrorCode): never {
  throw new ConfigurationError(`express-device-2fa: ${message}`, code);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A row that reads its value with `parse`. */
export function leaf<In, Out>(
  doc: string,
  shown: string,
  parse: (value: unknown, path: string, context: ParseContext) => Out,
): Option<In, Out> {
  return { doc, shown, parse };
}

// ---- Kinds ----

/** A positive integer count. */
export function count(doc: string, fallback: number): Option<number | undefined, number> {
  return leaf(doc, code(String(fallback)), (value, path) => positiveInteger(path, value ?? fallback));
}

/** A time in milliseconds, shown in the table in words. Zero only with `allowZero`. */
export function duration(doc: string, fallback: number, { allowZero = false } = {}): Option<number | undefined, number> {
  return leaf(doc, inWords(fallback), (value, path) =>
    allowZero ? nonNegativeInteger(path, value ?? fallback) : positiveInteger(path, value ?? fallback),
  );
}

export function bool(
  doc: string,
  fallback: boolean | ((context: ParseContext) => boolean),
  shown = code(String(fallback)),
): Option<boolean | undefined, boolean> {
  return leaf(
    doc,
    shown,
    (value, path, context) => readBoolean(path, value) ?? (typeof fallback === 'function' ? fallback(context) : fallback),
  );
}

export function text(doc: string, fallback: string): Option<string | undefined, string> {
  return leaf(doc, code(JSON.stringify(fallback)), (value, path) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') fail(`\`${path}\` must be a non-empty string.`);
    return value;
  });
}

export function oneOf<const T extends string>(doc: string, values: readonly T[], fallback: T): Option<T | undefined, T> {
  return leaf(doc, code(JSON.stringify(fallback)), (value, path) => {
    if (value === undefined) return fallback;
    if (!(values as readonly unknown[]).includes(value))
      fail(`\`${path}\` must be ${values.map((v) => JSON.stringify(v)).join(' or ')} (got ${JSON.stringify(value)}).`);
    return value as T;
  });
}

/**
 * A function the library calls (a hook, a clock). Its type comes from the option's own type
 * (`fn<Options['exempt']>(…)`): the compiler cannot infer a function type from where it is used.
 */
export function fn<F>(doc: string, signature: string): Option<F, F>;
export function fn<F>(doc: string, signature: string, fallback: NonNullable<F>, shown: string): Option<F, NonNullable<F>>;
export function fn<F>(doc: string, signature: string, fallback?: NonNullable<F>, shown = 'none'): Option<F, F> {
  return leaf(`\`${signature}\`: ${doc}`, shown, (value, path) => {
    if (value === undefined) return fallback as F;
    if (typeof value !== 'function') fail(`\`${path}\` must be a function \`${signature}\`.`);
    return value as F;
  });
}

/**
 * An option of a `shape`, read by the part that uses it (a Twilio option, say). It fits an option of
 * any type: the compiler still holds the shape's keys to the type's, and the part its values.
 */
// biome-ignore lint/suspicious/noExplicitAny: `In` is invariant in `Option`, so only `any` fits an option of every type; a type parameter is not inferred here.
export function asGiven(doc: string, shown: string): Option<any, unknown> {
  return leaf(doc, shown, (value) => value);
}

/** Sliding windows `{ windowMs, max }`, each of which must have room. */
export function windows(doc: string, fallback: readonly RateWindow[]): Option<readonly RateWindow[] | undefined, RateWindow[]> {
  const per = (ms: number) => (ms === HOUR ? 'hour' : ms === DAY ? 'day' : inWords(ms));
  return leaf(doc, fallback.map((w) => `${w.max} per ${per(w.windowMs)}`).join(', '), (value, path) => {
    const given = value ?? fallback;
    if (!Array.isArray(given) || given.length === 0) fail(`\`${path}\` must be a non-empty array of \`{ windowMs, max }\`.`);
    return given.map((w: { windowMs?: unknown; max?: unknown } | undefined, i) => ({
      windowMs: positiveInteger(`${path}[${i}].windowMs`, w?.windowMs),
      max: positiveInteger(`${path}[${i}].max`, w?.max),
    }));
  });
}

interface GroupOptions<R> {
  /** A check across the group's options once each is read. */
  check?: (resolved: R, path: string) => void;
  /** What the group's keys are, for the unknown-key message ("delivery method"). */
  keysAre?: string;
}

/**
 * Nested options: an object whose keys are checked against its rows (with a "did you mean") and
 * whose values are read by them. Absent, every nested option takes its default.
 */
export function group<T extends object, const C extends OptionSchema<NoInfer<T>>>(
  doc: string,
  children: C & Record<Exclude<keyof C, keyof T>, never>,
  options: GroupOptions<Nested<C>> = {},
): Option<T | undefined, Nested<C>> {
  return {
    doc,
    shown: '',
    children: rowsOf(children),
    parse: (value, path, context) => {
      const resolved = readGroup(value === undefined ? {} : value, path, rowsOf(children), context, options.keysAre) as Nested<C>;
      options.check?.(resolved, path);
      return resolved;
    },
  };
}

/** A group that is either given whole or absent (`email`): no defaults of its own. */
export function optionalGroup<T extends object, const C extends OptionSchema<NoInfer<T>>>(
  doc: string,
  children: C & Record<Exclude<keyof C, keyof T>, never>,
): Option<T | undefined, Nested<C> | undefined> {
  return {
    doc,
    shown: 'none',
    children: rowsOf(children),
    parse: (value, path, context) => (value === undefined ? undefined : (readGroup(value, path, rowsOf(children), context) as Nested<C>)),
  };
}

/** A group that may also be `false` (`trustedDevices`): off, with the defaults still resolved. */
export function switchableGroup<T extends object, const C extends OptionSchema<NoInfer<T>>>(
  doc: string,
  children: C & Record<Exclude<keyof C, keyof T>, never>,
): Option<false | T | undefined, Nested<C> & { enabled: boolean }> {
  return {
    doc,
    shown: 'on',
    children: rowsOf(children),
    parse: (value, path, context) => {
      if (value !== undefined && value !== false && !isObject(value)) {
        fail(`\`${path}\` must be false (switched off) or an object: ${outline(rowsOf(children))}; leave it out for the defaults.`);
      }
      return { enabled: value !== false, ...(readGroup(value || {}, path, rowsOf(children), context) as Nested<C>) };
    },
  };
}

/**
 * A group whose checks belong to the part that uses it (`phone`, `twilio`): its keys are checked
 * here, its values by `check`, and it resolves to the object as given.
 */
export function shape<T extends object, const C extends OptionSchema<NoInfer<T>>, D extends T | undefined = undefined>(
  doc: string,
  children: C & Record<Exclude<keyof C, keyof T>, never>,
  options: { check?: (value: T, path: string) => void; fallback?: D } = {},
): Option<T | undefined, T | D> {
  return {
    doc,
    shown: 'none',
    children: rowsOf(children),
    parse: (value, path, context) => {
      if (value === undefined) return options.fallback as D;
      readGroup(value, path, rowsOf(children), context);
      options.check?.(value as T, path);
      return value as T;
    },
  };
}

/** Reads an object of options against its rows: keys first (a typo is the likeliest mistake), then values. */
export function readGroup(
  value: unknown,
  path: string,
  rows: Readonly<Record<string, OptionRow>>,
  context: ParseContext,
  keysAre?: string,
): Record<string, unknown> {
  if (!isObject(value)) fail(`\`${path}\` must be an object: ${outline(rows)}.`);
  rejectUnknownKeys(value, path, Object.keys(rows), keysAre);
  const resolved: Record<string, unknown> = {};
  for (const [key, row] of Object.entries(rows)) {
    const option = row.parse(value[key], join(path, key), context);
    if (option !== undefined) resolved[key] = option;
  }
  return resolved;
}

/**
 * Refuses a key of `value` that is not `known`, naming it with its path and the closest known one.
 * With `keysAre` ("delivery method") the keys are names of things, listed instead.
 */
export function rejectUnknownKeys(value: Record<string, unknown>, path: string, known: readonly string[], keysAre?: string): void {
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    if (keysAre !== undefined) fail(`\`${join(path, key)}\` is not a ${keysAre}. Use one of: ${known.join(', ')}.`);
    const guess = closest(key, known);
    if (guess !== undefined) fail(`Unknown option \`${join(path, key)}\`. Did you mean \`${join(path, guess)}\`?`);
    fail(
      path === ''
        ? `Unknown option \`${key}\`: deviceTwoFactor() has no such option (the README's Options section lists them all).`
        : `Unknown option \`${join(path, key)}\`: \`${path}\` takes ${known.map((k) => `\`${k}\``).join(', ')}.`,
    );
  }
}

/** Every option of a table with its full path, depth first, as the README's option table lists them. */
export function* optionPaths(rows: Readonly<Record<string, OptionRow>>, path = ''): Generator<[string, OptionRow]> {
  for (const [key, row] of Object.entries(rows)) {
    yield [join(path, key), row];
    if (row.children) yield* optionPaths(row.children, join(path, key));
  }
}

// ---- Checks ----

function positiveInteger(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0)
    fail(`\`${path}\` must be a positive integer (got ${String(value)}).`);
  return value;
}

function nonNegativeInteger(path: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail(`\`${path}\` must be an integer of 0 or more (got ${String(value)}).`);
  return value;
}

export function readBoolean(path: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(`\`${path}\` must be true or false.`);
  return value;
}

// ---- Helpers ----

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** `{ transport, from }` or `{ idleMs?, warningMs? }`, from a group's rows. */
function outline(rows: Readonly<Record<string, OptionRow>>): string {
  return `{ ${Object.entries(rows)
    .map(([key, row]) => (row.shown === 'required' ? key : `${key}?`))
    .join(', ')} }`;
}

function code(text: string): string {
  return `\`${text}\``;
}

/** 600000 → "10 min", 2592000000 → "30 days". */
function inWords(ms: number): string {
  const units: [number, string, string][] = [
    [DAY, ' day', ' days'],
    [HOUR, ' h', ' h'],
    [MINUTE, ' min', ' min'],
    [SECOND, ' s', ' s'],
  ];
  for (const [size, one, many] of units) if (ms >= size && ms % size === 0) return `${ms / size}${ms === size ? one : many}`;
  return `${ms} ms`;
}

/**
 * The known name closest to a typo, for "did you mean": case aside, at most 3 edits (Levenshtein)
 * and at most half the longer word, so that `x` does not suggest `now`.
 */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    const allowed = Math.min(3, Math.ceil(Math.max(word.length, candidate.length) / 2));
    if (distance <= allowed && distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
