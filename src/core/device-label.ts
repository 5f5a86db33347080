import { UAParser } from 'ua-parser-js';

/**
 * A label such as "Chrome 131 (macOS)" from a User-Agent header: names only, no word of any
 * language, since it is stored and later shown to readers of every language. '' when the header
 * names no browser and no system (the pages then say "Unknown browser" in the reader's words).
 */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return '';
  const { browser, os } = new UAParser(userAgent.slice(0, 512)).getResult();
  const name = browser.name ? [browser.name, browser.major].filter(Boolean).join(' ') : '';
  if (!os.name) return name;
  return name ? `${name} (${os.name})` : os.name;
}
