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
}

/**
 * A delivery channel has one job: deliver this code to this destination, or throw a
 * `DeliveryError` that says whether another method is worth trying.
 */
export interface Channel {
  readonly method: DeliveryMethod;
  send(message: CodeMessage): Promise<void>;
}
