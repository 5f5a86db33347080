import { en as CHANNEL_STRINGS } from '../../src/methods/code-over-channel/strings';
import type { DeliveryMethod } from '../../src/types';
import type { Words } from '../../src/views/words';
import { EN } from '../helpers/words';
import type { MethodChoice } from '../../src/views/settings-page';
import type { MethodDisplay } from '../../src/views/verify-page';
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

/** EVIL as the views must write it: every significant character escaped. */
export const EVIL_ESCAPED = '&quot;&#39;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;';

/** Every start tag in the markup, whatever its name. */
export function allTags(markup: string): Tag[] {
  return Array.from(markup.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*>/g), (m) => tags(m[0], m[1] ?? '')[0] as Tag);
}

/** The markup without the <style> element, for checks that must not match the stylesheet's text. */
export function withoutStyle(markup: string): string {
  return markup.replace(/<style\b[\s\S]*?<\/style>/gi, '');
}

/**
 * What every page of the library must satisfy under its CSP: one <style>, byte for byte the
 * stylesheet whose hash the CSP allows; no inline script (a script only by src, from the library's
 * own `/2fa/assets/`, empty and deferred), no inline handler, no style attribute, no element that
 * loads something but the one image `logoSrc` names (the site's logo); every form a POST carrying
 * the hidden _csrf field with `csrfToken` (as written in markup).
 */
export function expectSafePage(
  page: string,
  csrfToken: string,
  stylesheet: string,
  hash: string,
  { logoSrc }: { logoSrc?: string } = {},
): void {
  const styles = styleContents(page);
  expect(styles).toEqual([stylesheet]);
  expect(sha256Source(styles[0] ?? '')).toBe(hash);
  const scripts = Array.from(page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi));
  expect(scripts.length).toBe(tags(page, 'script').length);
  for (const [whole, content] of scripts) {
    expect(content).toBe('');
    expect(whole).toMatch(/^<script src="\/2fa\/assets\/[a-z0-9-]+\.js" defer><\/script>$/);
  }
  const images = tags(page, 'img');
  for (const img of images) {
    expect(logoSrc).toBeDefined();
    expect(img.attrs.get('src')).toBe(logoSrc);
    expect([...img.attrs.keys()].filter((a) => !['src', 'alt', 'width', 'height', 'class'].includes(a))).toEqual([]);
  }
  expect(images.length).toBeLessThanOrEqual(1);
  const names = new Set(allTags(page).map((t) => t.name.toLowerCase()));
  for (const banned of ['iframe', 'object', 'embed', 'link', 'base', 'svg', 'audio', 'video', 'source']) {
    expect(names.has(banned)).toBe(false);
  }
  for (const tag of allTags(page)) {
    for (const attr of tag.attrs.keys()) {
      expect(attr).not.toMatch(/^on/);
      if (attr === 'src' && (tag.name === 'script' || tag.name === 'img')) continue;
      expect(['style', 'src', 'srcset', 'formaction', 'background']).not.toContain(attr);
    }
  }
  const all = forms(page);
  expect(all.length).toBe(tags(page, 'form').length);
  for (const form of all) {
    const formTag = only(tags(form, 'form'));
    expect(formTag.attrs.get('method')).toBe('post');
    const csrf = only(tags(form, 'input'), (t) => t.attrs.get('name') === '_csrf');
    expect(csrf.attrs.get('type')).toBe('hidden');
    expect(csrf.attrs.get('value')).toBe(csrfToken);
  }
}

/** The code-over-a-channel methods as the pages show them. */
export function channelMethod(id: DeliveryMethod, words: Words = EN): MethodDisplay {
  return { id, strings: words.method(id) ?? CHANNEL_STRINGS[id], resendable: true };
}

/**
 * The settings page's method choices: email, SMS and voice, `usable` ones with where their codes go
 * (the masked email, or the masked phone), the others with what to do first.
 */
export function channelChoices(
  usable: readonly DeliveryMethod[],
  to: { email: string; phone: string | null } = { email: 'a•••e@acme.test', phone: '•••• 0006' },
  words: Words = EN,
): MethodChoice[] {
  return (['email', 'sms', 'voice'] as const).map((id) => {
    const ok = usable.includes(id);
    const says = words.method(id) ?? CHANNEL_STRINGS[id];
    return { id, label: says.label, usable: ok, hint: ok ? (id === 'email' ? to.email : to.phone) : says.unavailable };
  });
}
