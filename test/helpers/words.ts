import { shippedCatalog } from '../../src/methods/shipped-catalog';
import type { Words } from '../../src/views/words';

/** The shipped words of a language (the library's and every method's), times in `timeZone`. */
export function wordsOf(lang: string, timeZone = 'UTC'): Words {
  return shippedCatalog().words(lang, timeZone);
}

/** English, times in UTC: what the view tests render with. */
export const EN = wordsOf('en');
