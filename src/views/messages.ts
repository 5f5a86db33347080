import type { Strings } from './strings';
import type { Words } from './words';

/** What a stored message may carry to its wording: JSON, so it survives the session store. */
export type MessageArg = string | number | boolean | null;

/** The keys of the library's table that are a sentence, or a function of JSON arguments. */
export type StringKey = {
  [K in keyof Strings]: Strings[K] extends string
    ? K
    : Strings[K] extends (...args: infer A) => string
      ? A extends MessageArg[]
        ? K
        : never
      : never;
}[keyof Strings];

type ArgsOf<K extends StringKey> = Strings[K] extends (...args: infer A) => string ? A : [];

/** Where in a method's words a message is: one of its sentences, or why its enrolment refused an answer. */
export type MethodKey =
  | 'chosen'
  | 'newCodeSent'
  | 'malformed'
  | 'unavailable'
  | 'enrolment.added'
  | 'enrolment.removed'
  | `enrolment.refused.${string}`;

/**
 * A message by key, worded only when it is shown, in the reader's language: what the flow keeps in
 * the session for the page after a redirect (never the rendered text), and what it renders with.
 */
export type Message = { key: StringKey; args?: MessageArg[] } | { method: string; key: MethodKey; args?: MessageArg[] };

/** A message of the library's own table: `say('wrongCode', 3)`. */
export function say<K extends StringKey>(key: K, ...args: ArgsOf<K>): Message {
  return args.length > 0 ? { key, args: args as MessageArg[] } : { key };
}

/** A message in a method's own words: `methodSays('totp', 'chosen')`. */
export function methodSays(method: string, key: MethodKey, args?: readonly MessageArg[]): Message {
  return args && args.length > 0 ? { method, key, args: [...args] } : { method, key };
}

/**
 * The message in `words`' language, or undefined when its key is in no table (a message stored by
 * another release of the library, say: the page then shows none rather than failing).
 */
export function word(message: Message | undefined, words: Words): string | undefined {
  if (!message || typeof message.key !== 'string') return undefined;
  const table: unknown = 'method' in message ? words.method(message.method) : words.t;
  let value: unknown = table;
  for (const part of 'method' in message ? message.key.split('.') : [message.key]) {
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  const args = Array.isArray(message.args) ? message.args : [];
  if (typeof value === 'function') {
    const text: unknown = (value as (...a: MessageArg[]) => unknown)(...args);
    return typeof text === 'string' ? text : undefined;
  }
  return typeof value === 'string' ? value : undefined;
}
