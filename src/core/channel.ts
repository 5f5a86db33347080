import type { DeliveryMethod } from '../types';

/** Why a code is being sent; channels may word the message differently. */
export type CodePurpose = 'sign-in' | 'enroll-phone' | 'reauth';

/** Everything a channel needs to deliver one code. */
export interface CodeMessage {
  /** Email address or E.164 phone number. */
  to: string;
  code: string;
  purpose: CodePurpose;
  siteName: string;
  expiresInMinutes: number;
  /**
   * The language to word it in: one of the library's languages ("en", "de", "es", or one the host
   * added), the user's own (`UserIdentity.locale`) when it has one, else that of the request that
   * asked for the code.
   */
  locale: string;
}

/**
 * A delivery channel has one job: deliver this code to this destination, or throw a
 * `DeliveryError` that says whether another method is worth trying.
 */
export interface Channel {
  readonly method: DeliveryMethod;
  send(message: CodeMessage): Promise<void>;
}
