import type { DeliveryMethod } from '../types';

const DOTS = '•••';

/**
 * Shows enough of an email address for the user to recognise it: the first and last character of
 * the local part and the whole domain. `alice@acme.test` → `a•••e@acme.test`; a local part of one or
 * two characters keeps only its first (`al@acme.test` → `a•••@acme.test`).
 */
export function maskEmail(email: string): string {
  const value = email.trim();
  const at = value.lastIndexOf('@');
  const local = Array.from(at === -1 ? value : value.slice(0, at));
  const domain = at === -1 ? '' : value.slice(at);
  const first = local[0] ?? '';
  const last = local.length > 2 ? (local[local.length - 1] ?? '') : '';
  return `${first}${DOTS}${last}${domain}`;
}

/**
 * Shows the last four digits of a phone number: `+15005550006` → `•••• 0006`. Numbers too short to
 * be real show fewer (two digits from four to six, none below four), so a short value is never
 * shown whole.
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  const shown = digits.length >= 7 ? 4 : digits.length >= 4 ? 2 : 0;
  return shown === 0 ? '••••' : `•••• ${digits.slice(-shown)}`;
}

/** The masked destination for a delivery method. */
export function maskDestination(method: DeliveryMethod, to: string): string {
  return method === 'email' ? maskEmail(to) : maskPhone(to);
}
