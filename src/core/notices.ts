import type { Logger, UserAdapter, UserIdentity } from '../types';
import { errorCodes } from './logger';
import { withDeadline } from './deadline';
import type { MethodId } from './method';

/** Security emails to the user, each one an independent signal that something changed. */
export type SecurityNotice =
  | { kind: 'device-trusted'; label: string; at: number }
  | { kind: 'phone-changed'; phone: string | null; at?: number }
  /** The method that is now the user's; the email says it in its own words ("From now on, we’ll send your codes by email."). */
  | { kind: 'method-changed'; method: MethodId; at?: number }
  /** `label`: the name the user gave it ('' for none: the email uses the method's word for one). */
  | { kind: 'credential-added'; method: MethodId; label: string; at?: number }
  | { kind: 'credential-removed'; method: MethodId; at?: number }
  | { kind: 'failed-codes'; failures: number; at?: number }
  | { kind: 'recovery-used'; remaining: number; at?: number }
  | { kind: 'recovery-generated'; at?: number }
  | { kind: 'locked-out'; at?: number }
  | { kind: 'two-factor-switched'; enabled: boolean; at?: number }
  | { kind: 'email-codes-switched'; allowed: boolean; at?: number }
  | { kind: 'phone-set-by-admin'; phone: string; at?: number }
  | { kind: 'clients-switched'; blocked: boolean; at?: number }
  /** A sign-in that did not come from a trusted browser. `place` is the host's coarse `placeHint`. */
  | { kind: 'new-sign-in'; label: string; place?: string; at: number };

/** Who reads a notice: the language it is worded in and the time zone its time is shown in. */
export interface NoticeReader {
  locale: string;
  timeZone: string;
}

/** Delivers a notice to an email address (the email channel, or the development outbox). */
export interface NoticeMailer {
  sendNotice(to: string, notice: SecurityNotice, siteName: string, reader: NoticeReader): Promise<void>;
}

const SWITCHES: Record<SecurityNotice['kind'], keyof NoticeSwitches> = {
  'device-trusted': 'deviceTrusted',
  'phone-changed': 'phoneChanged',
  'method-changed': 'methodChanged',
  'credential-added': 'methodChanged',
  'credential-removed': 'methodChanged',
  'failed-codes': 'failedCodes',
  'recovery-used': 'recoveryUsed',
  'recovery-generated': 'recoveryGenerated',
  'locked-out': 'lockedOut',
  'two-factor-switched': 'twoFactorSwitched',
  // How codes reach the user, like a change of method.
  'email-codes-switched': 'methodChanged',
  'phone-set-by-admin': 'phoneChanged',
  'clients-switched': 'clientsSwitched',
  'new-sign-in': 'newSignIn',
};

export interface NoticeSwitches {
  deviceTrusted: boolean;
  phoneChanged: boolean;
  methodChanged: boolean;
  failedCodes: boolean;
  recoveryUsed: boolean;
  recoveryGenerated: boolean;
  lockedOut: boolean;
  twoFactorSwitched: boolean;
  clientsSwitched: boolean;
  newSignIn: boolean;
}

/**
 * Sends notices in the background: a notice that cannot be sent is logged, and never delays or
 * fails the step that caused it.
 */
export class Notices {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly users: UserAdapter,
    private readonly mailer: NoticeMailer | undefined,
    private readonly switches: NoticeSwitches,
    private readonly siteName: string,
    private readonly now: () => number,
    private readonly logger: Logger,
    /** The user's language and time zone (their own, else `requestLocale`'s, else the defaults). */
    private readonly readerOf: (user: UserIdentity, requestLocale: string | undefined) => NoticeReader,
  ) {}

  /** `requestLocale`: the language of the request that caused it, for a user who has none of their own. */
  send(userId: string, notice: SecurityNotice, requestLocale?: string): void {
    const mailer = this.mailer;
    if (!mailer || !this.switches[SWITCHES[notice.kind]]) return;
    const sending = (async () => {
      const user = await this.users.find(userId);
      if (user) await mailer.sendNotice(user.email, { at: this.now(), ...notice }, this.siteName, this.readerOf(user, requestLocale));
    })()
      .catch((error: unknown) => {
        this.logger.error(
          { userId, notice: notice.kind, ...errorCodes(error) },
          `express-device-2fa: a ${notice.kind} notice could not be sent.`,
        );
      })
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  /** Resolves once the notices already on their way are sent (or failed), waiting at most `timeoutMs`. */
  async settle(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    await withDeadline(Promise.allSettled([...this.inFlight]), timeoutMs, () => new Error('notices still sending')).catch(() => undefined);
  }
}
