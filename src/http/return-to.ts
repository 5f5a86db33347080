/**
 * Only same-origin paths survive as a post-login destination: "/dashboard?tab=2" yes;
 * "https://evil.test", "//evil.test", "/\\evil.test", "javascript:…" and control characters no.
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // Browsers treat "\" as "/" and drop tabs and newlines, so "/\t/evil.test" would become "//evil.test".
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  try {
    const base = 'http://same-origin.invalid';
    const url = new URL(value, base);
    if (url.origin !== base) return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
