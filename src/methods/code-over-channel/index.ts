import { DeliveryError } from '../../errors';
import { maskDestination } from '../../core/mask';
import type { Method } from '../../core/method';
import type { LoadedUser } from '../../core/users';
import type { DeliveryMethod } from '../../types';
import type { LocaleTables } from '../../views/words';
import type { MethodPlugin } from '../plugin';
import { en, type ChannelStrings, type ChannelWords } from './strings';
import { de } from './strings.de';
import { es } from './strings.es';

declare module '../../views/method-view' {
  interface MethodWordsById {
    email: ChannelWords;
    sms: ChannelWords;
    voice: ChannelWords;
  }
}

/** The folder's tables, one per language. */
const TABLES: LocaleTables<ChannelStrings> = { en, de, es };

/** One channel's words in each language of the folder's tables. */
function wordsOf(id: DeliveryMethod): LocaleTables<ChannelWords> {
  return Object.fromEntries(Object.entries(TABLES).map(([lang, table]) => [lang, table?.[id]])) as LocaleTables<ChannelWords>;
}

/**
 * Where a code by `method` goes: the email address (unless the user with a verified phone switched
 * email codes off), or the verified phone (never an unverified one).
 */
export function destinationFor(method: DeliveryMethod, user: LoadedUser): string | null {
  if (method !== 'email') return user.settings.phone;
  return user.settings.emailCodes === false && user.settings.phone !== null ? null : user.identity.email;
}

/** A one-time code sent over one of the library's channels: email, SMS or a voice call. */
function codeOverChannel(id: DeliveryMethod): MethodPlugin<ChannelWords> {
  return {
    id,
    strings: wordsOf(id),
    create({ channels }) {
      if (!channels[id]) return undefined;
      const method: Method = {
        id,
        answer: 'code',
        resendable: true,
        usableBy: (user) => destinationFor(id, user) !== null,
        destinationOf(user) {
          const to = destinationFor(id, user);
          return to === null ? undefined : maskDestination(id, to);
        },
        async start({ user, ref, clientIp, locale }, services) {
          const to = destinationFor(id, user);
          if (to === null)
            return {
              status: 'delivery-failed',
              error: new DeliveryError(`The user has no ${id} destination.`, { tryAnotherMethod: true }),
              destination: '',
            };
          const outcome = await services.challenges.send({
            userId: user.identity.id,
            ...ref,
            method: id,
            destination: to,
            locale,
            ...(clientIp ? { clientIp } : {}),
          });
          return { ...outcome, destination: maskDestination(id, to) };
        },
        check: ({ userId, ref, answer }, services) => services.challenges.check(userId, ref, answer.code ?? ''),
        discard: ({ userId, ref }, services) => services.challenges.discard(userId, ref),
      };
      return method;
    },
  };
}

export const email = codeOverChannel('email');
export const sms = codeOverChannel('sms');
export const voice = codeOverChannel('voice');
