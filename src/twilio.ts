/**
 * `express-device-2fa/twilio`: the SMS and voice channels and the Twilio client they share, for hosts
 * that build channels themselves (the `twilio` option builds them for you). Needs the optional peer
 * "twilio".
 */
export { SmsChannel } from './channels/sms-channel';
export { VoiceChannel } from './channels/voice-channel';
export { createApiUrlHttpClient, createTwilioClient, type TwilioConnection } from './channels/twilio-client';
export type { TwilioOptions } from './types';
