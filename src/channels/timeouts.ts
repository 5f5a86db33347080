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
