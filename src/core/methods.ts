import type { Channel } from './channel';
import type { DeliveryMethod } from '../types';
import type { LoadedUser } from './users';

const ORDER: readonly DeliveryMethod[] = ['email', 'sms', 'voice'];

/**
 * Where a code for `method` would go: the email address (unless the user with a verified phone
 * switched email codes off), or the verified phone (never an unverified one).
 */
export function destinationFor(method: DeliveryMethod, user: LoadedUser): string | null {
  if (method !== 'email') return user.settings.phone;
  return user.settings.emailCodes === false && user.settings.phone !== null ? null : user.identity.email;
}

/** Methods that can reach this user now: a channel exists and the user has a destination for it. */
export function availableMethods(user: LoadedUser, channels: Partial<Record<DeliveryMethod, Channel>>): DeliveryMethod[] {
  return ORDER.filter((method) => channels[method] !== undefined && destinationFor(method, user) !== null);
}

/** The user's preferred method when it can reach them, else the first that can (email first). */
export function preferredMethod(user: LoadedUser, channels: Partial<Record<DeliveryMethod, Channel>>): DeliveryMethod | undefined {
  const available = availableMethods(user, channels);
  return available.includes(user.settings.method) ? user.settings.method : available[0];
}
