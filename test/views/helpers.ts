import { createHash } from 'node:crypto';

/** A start tag found in rendered markup, with its attributes (a bare attribute has the value ""). */
export interface Tag {
  name: string;
  source: string;
  attrs: Map<string, string>;
}

/** Every start tag named `name`. The views always quote attribute values, which this relies on. */
export function tags(markup: string, name: string): Tag[] {
  const found: Tag[] = [];
  const re = new RegExp(`<${name}\\b([^>]*)>`, 'gi');
  for (const match of markup.matchAll(re)) {
    const attrs = new Map<string, string>();
    for (const a of (match[1] ?? '').matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?/g)) {
      attrs.set((a[1] ?? '').toLowerCase(), a[2] ?? '');
    }
    found.push({ name, source: match[0], attrs });
  }
  return found;
}

/** The one tag matching `predicate`; fails when there is not exactly one. */
export function only(list: Tag[], predicate: (t: Tag) => boolean = () => true): Tag {
  const matches = list.filter(predicate);
  if (matches.length !== 1) throw new Error(`expected exactly one tag, found ${matches.length}`);
  return matches[0] as Tag;
}

/** Every <form>…</form> block. */
export function forms(markup: string): string[] {
  return Array.from(markup.matchAll(/<form\b[^>]*>[\s\S]*?<\/form>/gi), (m) => m[0]);
}

/** The contents of every <style> element. */
export function styleContents(markup: string): string[] {
  return Array.from(markup.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi), (m) => m[1] ?? '');
}

export function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** Text with tags removed and the five escapes decoded, for checking what a reader sees. */
export function visibleText(markup: string): string {
  return markup
    .replace(/<style\b[\s\S]*?<\/style>/gi, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** An attacker-controlled value that breaks out of element content and of both kinds of attribute quotes. */
export const EVIL = `"'><script>alert(1)</script><img src=x onerror=alert(2)>`;
