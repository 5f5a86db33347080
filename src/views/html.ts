/**
 * A tiny, dependency-free HTML templating helper.
 *
 * `html\`<p>${value}</p>\`` escapes every interpolated value, except values produced by `raw()` or by
 * another `html` template. Trusted markup is an instance of `SafeHtml`, recognised by a private-field
 * brand check, so no string, parsed JSON or look-alike object can pass as markup.
 */

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes `& < > " '`, which makes a value safe in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Markup that is already safe. Only `raw()` and `html` create it. */
class SafeHtml {
  readonly #html: string;

  constructor(markup: string) {
    this.#html = markup;
  }

  static is(value: unknown): value is SafeHtml {
    return typeof value === 'object' && value !== null && #html in value;
  }

  toString(): string {
    return this.#html;
  }
}

export type { SafeHtml };

/**
 * What may be interpolated. `null`, `undefined`, `true` and `false` render nothing (so
 * `${condition && html\`...\`}` works); numbers are written out; arrays are rendered item by item and
 * joined without a separator.
 */
export type HtmlValue = string | number | bigint | boolean | null | undefined | SafeHtml | readonly HtmlValue[];

/** Marks `markup` as trusted HTML. Never pass user input here. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(String(markup));
}

/** True for values made by `html` or `raw()`. */
export function isSafeHtml(value: unknown): value is SafeHtml {
  return SafeHtml.is(value);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || typeof value === 'boolean') return '';
  if (SafeHtml.is(value)) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/** The tagged template. Interpolations are escaped unless they are `SafeHtml`. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? '');
  }
  return new SafeHtml(out);
}
