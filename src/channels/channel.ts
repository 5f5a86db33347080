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

/**
 * How long one send may take, start to finish, unless `channelTimeoutMs` says otherwise. A mail
 * server or API that stops answering must not hold the sign-in page; the user is offered another
 * method instead.
 */
export const DEFAULT_CHANNEL_TIMEOUT_MS = 8000;

/** Settings for the network clients of the built-in channels. */
export interface ChannelClientOptions {
  /**
   * Handed to the client as its own timeouts (nodemailer's connection, greeting, socket and DNS
   * timeouts; the Twilio SDK's request timeout). Default `DEFAULT_CHANNEL_TIMEOUT_MS`.
   */
  timeoutMs?: number;
}
