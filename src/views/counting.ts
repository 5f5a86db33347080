/** The forms of a counted word by plural category; `other` stands in for any category a table does not name. */
export type CountForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The plural categories of `Intl.PluralRules`: a table's count forms may name any of them. */
export const PLURAL_CATEGORIES: readonly Intl.LDMLPluralRule[] = ['zero', 'one', 'two', 'few', 'many', 'other'];

/**
 * A language's counting, by its plural rules (`Intl.PluralRules`), never an English "n === 1":
 * `count(3, { one: 'day', other: 'days' })` → "3 days"; `pick(3, { one: '{n} Sitzung wurde', other:
 * '{n} Sitzungen wurden' })` → "3 Sitzungen wurden" (the form alone, `{n}` in it the number). Each
 * table makes its own.
 */
export function plurals(locale: string): {
  count: (n: number, forms: CountForms) => string;
  pick: (n: number, forms: CountForms) => string;
} {
  const rules = new Intl.PluralRules(locale);
  const digits = new Intl.NumberFormat(locale, { useGrouping: false });
  const pick = (n: number, forms: CountForms): string => (forms[rules.select(n)] ?? forms.other).replace('{n}', digits.format(n));
  return { count: (n, forms) => `${digits.format(n)} ${pick(n, forms)}`, pick };
}

/** Whole minutes or seconds for a wait, at least 1 (a wait of 20 s is "1 minute", never "0 minutes"). */
export function atLeastOne(n: number): number {
  return Math.max(1, Math.ceil(n));
}
