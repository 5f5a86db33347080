import { UAParser } from 'ua-parser-js';

/** A readable label such as "Chrome 131 on macOS" from a User-Agent header. */
export function deviceLabel(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown browser';
  const { browser, os } = new UAParser(userAgent.slice(0, 512)).getResult();
  const name = browser.name ? [browser.name, browser.major].filter(Boolean).join(' ') : 'Unknown browser';
  return os.name ? `${name} on ${os.name}` : name;
}
