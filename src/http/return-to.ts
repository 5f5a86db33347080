/** A base no request can name: any value that resolves elsewhere is not a path on this site. */
const BASE = new URL('https://same-origin.invalid');

/**
 * The path on this site a browser reaches from `value`, or undefined. `value` is judged after
 * resolving it exactly as a browser does (WHATWG URL: tabs and newlines dropped, "\" read as "/",
 * dot segments and "%2e" removed), and the resolved form is what comes back: "/a/./b" → "/a/b",
 * while "/.//evil.test" (which resolves to the protocol-relative "//evil.test") comes back undefined.
 */
export function sameOriginPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return undefined;
  // A path only: nothing with a scheme or host, nothing relative to a page we do not know.
  if (!value.startsWith('/')) return undefined;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return undefined;
  }
  if (url.origin !== BASE.origin) return undefined;
  // The serialisation is percent-encoded ASCII, so it is a valid Location header as it stands. A
  // pathname starting "//" would be read as another host, wherever the dot segments came from.
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? undefined : path;
}

/** Only same-origin paths survive as a post-login destination; anything else becomes `fallback`. */
export function safeReturnTo(value: unknown, fallback: string): string {
  return sameOriginPath(value) ?? fallback;
}
