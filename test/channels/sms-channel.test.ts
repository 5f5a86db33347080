import { inspect } from 'node:util';
import twilio from 'twilio';
import { SmsChannel } from '../../src/channels/sms-channel';
import { createApiUrlHttpClient, createTwilioClient } from '../../src/channels/twilio-client';
import { DeliveryError } from '../../src/errors';
import type { CodeMessage } from '../../src/core/channel';
import {
  INVALID_TO_NUMBER,
  NOT_A_MOBILE_NUMBER,
  NOT_REACHABLE,
  REGION_NOT_PERMITTED,
  SERVER_ERROR,
  SERVICE_UNAVAILABLE,
  startTwilioStandIn,
  TOO_MANY_REQUESTS,
  UNSUBSCRIBED,
  type StandInError,
  type TwilioStandIn,
} from '../helpers/twilio-stand-in';

const ACCOUNT_SID = `AC${'a1'.repeat(16)}`;
const AUTH_TOKEN = 'f'.repeat(32);
const MESSAGING_SERVICE_SID = `MG${'b2'.repeat(16)}`;
const FROM = '+15017122661';
const TO = '+14155552671';
const CODE = '493817';

function message(overrides: Partial<CodeMessage> = {}): CodeMessage {
  return { to: TO, code: CODE, purpose: 'sign-in', siteName: 'Acme', expiresInMinutes: 10, locale: 'en', ...overrides };
}

/** Everything a host might log about an error: message, stack, cause, own properties. */
function everythingIn(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}\n${JSON.stringify(error)}`;
}

let standIn: TwilioStandIn;
beforeEach(async () => {
  standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
});
afterEach(() => standIn.stop());

function smsChannel(sender: { from?: string; messagingServiceSid?: string } = { from: FROM }): SmsChannel {
  return new SmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: standIn.url, ...sender });
}

describe('SmsChannel through the real Twilio SDK and the Twilio stand-in', () => {
  test('sends the code from the From number, with Basic auth', async () => {
    await smsChannel().send(message());
    const sms = await standIn.nextSms(TO);
    expect(sms).toMatchObject({ kind: 'sms', to: TO, from: FROM });
    expect(sms.messagingServiceSid).toBeUndefined();
    expect(sms.body).toContain(CODE);
    expect(sms.body).toContain('Acme');
    expect(sms.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(standIn.requests).toHaveLength(1);
  });

  test('sends through the Messaging Service when one is configured (and then no From)', async () => {
    await smsChannel({ messagingServiceSid: MESSAGING_SERVICE_SID }).send(message());
    const sms = await standIn.nextSms(TO);
    expect(sms.messagingServiceSid).toBe(MESSAGING_SERVICE_SID);
    expect(sms.from).toBeUndefined();
    expect(sms.body).toContain(CODE);
  });

  test('with both a Messaging Service and a From number, SMS uses the service', async () => {
    await smsChannel({ from: FROM, messagingServiceSid: MESSAGING_SERVICE_SID }).send(message());
    const sms = await standIn.nextSms(TO);
    expect(sms.messagingServiceSid).toBe(MESSAGING_SERVICE_SID);
    expect(sms.from).toBeUndefined();
  });

  test('a client the host built itself is used as it is', async () => {
    // The host's own client (here pointed at the stand-in the same supported way: a custom httpClient).
    const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { httpClient: createApiUrlHttpClient(standIn.url) });
    const connection = createTwilioClient({ client, from: FROM });
    expect(connection.client).toBe(client);
    await new SmsChannel(connection).send(message());
    expect((await standIn.nextSms(TO)).body).toContain(CODE);
  });

  test('a wrong auth token is a provider failure (the stand-in answers 401 / 20003)', async () => {
    const channel = new SmsChannel({ accountSid: ACCOUNT_SID, authToken: 'e'.repeat(32), apiUrl: standIn.url, from: FROM });
    await expect(channel.send(message())).rejects.toMatchObject({ code: 'ERR_2FA_PROVIDER', tryAnotherMethod: true });
    expect(standIn.requests[0]?.status).toBe(401);
  });

  test('a destination that is not E.164 is refused without calling Twilio', async () => {
    const error = await smsChannel()
      .send(message({ to: '4155552671' }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'ERR_2FA_INVALID_NUMBER', tryAnotherMethod: true });
    expect(everythingIn(error)).not.toContain('4155552671');
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('SmsChannel maps each Twilio failure to a DeliveryError', () => {
  test.each<[string, string, StandInError]>([
    ['21211 invalid To', 'ERR_2FA_INVALID_NUMBER', INVALID_TO_NUMBER],
    ['21614 not a mobile', 'ERR_2FA_INVALID_NUMBER', NOT_A_MOBILE_NUMBER],
    ['21610 unsubscribed', 'ERR_2FA_UNREACHABLE', UNSUBSCRIBED],
    ['21612 not reachable', 'ERR_2FA_UNREACHABLE', NOT_REACHABLE],
    ['21408 region not permitted', 'ERR_2FA_UNREACHABLE', REGION_NOT_PERMITTED],
    ['20429 too many requests', 'ERR_2FA_RATE_LIMITED', TOO_MANY_REQUESTS],
    ['500', 'ERR_2FA_PROVIDER', SERVER_ERROR],
    ['503', 'ERR_2FA_PROVIDER', SERVICE_UNAVAILABLE],
    ['an unknown 4xx code', 'ERR_2FA_PROVIDER', { status: 400, code: 29999, message: 'Something new about {to}' }],
    ['a 429 without a code', 'ERR_2FA_RATE_LIMITED', { status: 429, code: 0, message: 'slow down' }],
  ])('%s → %s', async (_name, code, failure) => {
    standIn.failNext(failure);
    const error = await smsChannel()
      .send(message())
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code, tryAnotherMethod: true });
    const delivery = error as DeliveryError;
    expect(delivery.message).toContain('•••• 2671');
    if (failure.code) expect(delivery.message).toContain(`Twilio error ${failure.code}`);
    expect(delivery.message).toContain(`HTTP ${failure.status}`);
    expect(delivery.cause).toMatchObject({ name: 'TwilioRequestError', status: failure.status });

    // Twilio's own message repeats the number; none of it, nor the code, nor the credentials may leak.
    const everything = everythingIn(error);
    expect(everything).not.toContain('4155552671');
    expect(everything).not.toContain(CODE);
    expect(everything).not.toContain(AUTH_TOKEN);
    expect(everything).not.toContain(Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64'));

    // The request was made once (no SDK retries, even on 429) and the next one goes through.
    expect(standIn.requests).toHaveLength(1);
    await smsChannel().send(message());
    expect((await standIn.nextSms(TO)).body).toContain(CODE);
  });

  test('Twilio not reachable at all → ERR_2FA_PROVIDER, another method worth trying', async () => {
    const url = standIn.url;
    await standIn.stop();
    const channel = new SmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: url, from: FROM });
    const error = await channel.send(message()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_2FA_PROVIDER', tryAnotherMethod: true });
    expect((error as Error).message).toContain('Twilio could not be reached');
    expect((error as DeliveryError).cause).toMatchObject({ twilioCode: 'ECONNREFUSED' });
    const everything = everythingIn(error);
    expect(everything).not.toContain('4155552671');
    expect(everything).not.toContain(CODE);
    expect(everything).not.toContain(AUTH_TOKEN);
    standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }); // for afterEach
  });
});
