import type { Request } from 'express';
import type { Logger, UserIdentity } from '../types';
import type { Catalog } from '../views/catalog';
import { isTimeZone } from '../views/format';
import { word, type Message } from '../views/messages';
import type { Notice as ShownNotice } from '../views/components';
import type { Words } from '../views/words';
import type { Notice } from './session-state';

export interface LanguageOptions {
  /** The host's `locale(req)`: a language tag for the request, or undefined. */
  locale: ((req: Request) => string | undefined) | undefined;
  /** Times on pages and in emails: the `timeZone` option, for users without their own. */
  timeZone: string;
  logger: Logger;
}

/**
 * Which language each request's pages, and each user's messages, are in. A request's: the host's
 * `locale(req)`, else its `Accept-Language`, else English, each matched to the catalog's languages
 * ("de-CH" → "de"). Out of band (a code by email, SMS or call; a security email): the user's own
 * `locale`, else the language of the request that caused it, else English. Nothing is kept in a
 * module: each request gets its own, remembered for that request only.
 */
export class Languages {
  private readonly ofRequest = new WeakMap<object, Words>();

  constructor(
    readonly catalog: Catalog,
    private readonly options: LanguageOptions,
  ) {}

  /** The words of the request's pages, in the library's default time zone. */
  of(req: Request): Words {
    let words = this.ofRequest.get(req);
    if (!words) {
      words = this.catalog.words(this.requestLocale(req), this.options.timeZone);
      this.ofRequest.set(req, words);
    }
    return words;
  }

  /** The same, with times in the user's own time zone when they have one (the settings page). */
  forUser(req: Request, identity: UserIdentity): Words {
    return this.catalog.words(this.of(req).lang, this.timeZoneOf(identity));
  }

  /** The language of what is sent to the user out of band: theirs, else the request's (when one caused it), else English. */
  outOfBand(identity: UserIdentity | undefined, requestLocale?: string): string {
    return this.catalog.match(typeof identity?.locale === 'string' ? identity.locale : undefined) ?? requestLocale ?? 'en';
  }

  /** The user's own time zone when it is one, else the `timeZone` option. */
  timeZoneOf(identity: UserIdentity | undefined): string {
    return isTimeZone(identity?.timeZone) ? identity.timeZone : this.options.timeZone;
  }

  /** A notice kept or made by the flow, worded in the page's language; undefined when its message is in no table. */
  shown(notice: Notice | undefined, words: Words): ShownNotice | undefined {
    const text = notice && word(notice.message, words);
    return notice && text !== undefined ? { kind: notice.kind === 'error' ? 'error' : 'info', text } : undefined;
  }

  /** A message in the page's language ('' when it is in no table). */
  say(message: Message, words: Words): string {
    return word(message, words) ?? '';
  }

  private requestLocale(req: Request): string {
    let chosen: unknown;
    try {
      chosen = this.options.locale?.(req);
    } catch (error) {
      // A bug in the host's function must not take the page down: its language falls back.
      this.options.logger.error(
        { option: 'locale', err: error },
        'express-device-2fa: `locale(req)` threw; the request’s language comes from its Accept-Language.',
      );
    }
    const header = req.headers?.['accept-language'];
    return (
      (typeof chosen === 'string' ? this.catalog.match(chosen) : undefined) ??
      this.catalog.match(Array.isArray(header) ? header.join(',') : header) ??
      'en'
    );
  }
}
