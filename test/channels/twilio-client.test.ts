import twilio from 'twilio';
import { createApiUrlHttpClient, createTwilioClient, rewriteTwilioUri, twilioDeliveryError } from '../../src/channels/twilio-client';
import type { TwilioOptions } from '../../src/types';
import { SmsChannel } from '../../src/channels/sms-channel';
import { VoiceChannel } from '../../src/channels/voice-channel';
import { ConfigurationError, DeliveryError } from '../../src/errors';
import { startTwilioStandIn } from '../helpers/twilio-stand-in';

const ACCOUNT_SID = `AC${'e5'.repeat(16)}`;
const AUTH_TOKEN = 'a'.repeat(32);
const FROM = '+15017122661';

describe('createTwilioClient option checks', () => {
  test('accepts credentials, an optional apiUrl, and a sender', () => {
    const connection = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM });
    expect(connection).toMatchObject({ from: FROM, messagingServiceSid: undefined });
    expect(typeof connection.client.messages.create).toBe('function');
    expect(
      createTwilioClient({
        accountSid: ACCOUNT_SID,
        authToken: AUTH_TOKEN,
        apiUrl: 'http://127.0.0.1:4010',
        messagingServiceSid: `MG${'0'.repeat(32)}`,
      }),
    ).toMatchObject({ from: undefined, messagingServiceSid: `MG${'0'.repeat(32)}` });
  });

  test.each<[string, unknown, RegExp]>([
    ['no options', undefined, /Twilio options must be an object/],
    ['no accountSid', { authToken: AUTH_TOKEN, from: FROM }, /Twilio `accountSid` is missing/],
    ['an empty accountSid', { accountSid: '', authToken: AUTH_TOKEN, from: FROM }, /Twilio `accountSid` is missing/],
    [
      'an accountSid of the wrong shape',
      { accountSid: 'AC123', authToken: AUTH_TOKEN, from: FROM },
      /"AC" followed by 32 hexadecimal characters/,
    ],
    ['an API key SID as accountSid', { accountSid: `SK${'1'.repeat(32)}`, authToken: AUTH_TOKEN, from: FROM }, /looks like an API key SID/],
    ['no authToken', { accountSid: ACCOUNT_SID, from: FROM }, /Twilio `authToken` is missing/],
    ['a blank authToken', { accountSid: ACCOUNT_SID, authToken: '  ', from: FROM }, /Twilio `authToken` is missing/],
    ['an authToken with a newline', { accountSid: ACCOUNT_SID, authToken: `${AUTH_TOKEN}\n`, from: FROM }, /trailing white space: trim/],
    ['no sender', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN }, /Twilio needs a sender: pass `from`/],
    [
      'a national from number',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '(501) 712-2661' },
      /`from` must be a phone number in E.164/,
    ],
    [
      'a from number without +',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: '15017122661' },
      /`from` must be a phone number in E.164/,
    ],
    ['an alphanumeric from', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: 'Acme' }, /use `messagingServiceSid`/],
    ['a bad messagingServiceSid', { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: 'PN123' }, /"MG" followed by 32/],
    [
      'an ftp apiUrl',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: 'ftp://127.0.0.1' },
      /`apiUrl` must be an http\(s\) URL/,
    ],
    [
      'an apiUrl that is no URL',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: '127.0.0.1:4010' },
      /`apiUrl` must be an http\(s\) URL.*"127.0.0.1:4010"/,
    ],
    [
      'an apiUrl with credentials',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: 'http://u:p@127.0.0.1' },
      /without credentials/,
    ],
    [
      'an apiUrl with a query',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, apiUrl: 'http://127.0.0.1/?x=1' },
      /without credentials, query or fragment/,
    ],
    [
      'a client and credentials',
      { client: twilio(ACCOUNT_SID, AUTH_TOKEN), accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM },
      /either a Twilio `client` or `accountSid`/,
    ],
    ['a client that is not one', { client: { messages: {} }, from: FROM }, /`client` must be a Twilio REST client/],
    [
      'a typo in an option',
      { accountSid: ACCOUNT_SID, authtoken: AUTH_TOKEN, from: FROM },
      /unknown Twilio option `authtoken`\. Did you mean `authToken`\?/,
    ],
    [
      'an unknown option',
      { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM, region: 'ie1' },
      /unknown Twilio option `region`\. The Twilio options are `client`, `accountSid`/,
    ],
  ])('%s is refused with a message that says what to fix', (_name, options, message) => {
    const attempt = (): unknown => createTwilioClient(options as TwilioOptions);
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(message);
    let error: unknown;
    try {
      attempt();
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: 'ERR_2FA_CONFIGURATION' });
    expect(String((error as Error).message)).not.toContain(AUTH_TOKEN);
  });

  test('the channels check their options when they are built, not at the first send', () => {
    expect(() => new SmsChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN } as TwilioOptions)).toThrow(ConfigurationError);
    expect(() => new VoiceChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: `MG${'0'.repeat(32)}` })).toThrow(
      /Twilio voice calls need `from`/,
    );
  });
});

describe('apiUrl', () => {
  test('only the protocol and host (and any path prefix) change; path and query stay', () => {
    expect(
      rewriteTwilioUri(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, new URL('http://127.0.0.1:4010')),
    ).toBe(`http://127.0.0.1:4010/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`);
    expect(
      rewriteTwilioUri(
        'https://api.dublin.ie1.twilio.com/2010-04-01/Accounts/AC1/Calls.json?PageSize=5',
        new URL('https://proxy.test/twilio/'),
      ),
    ).toBe('https://proxy.test/twilio/2010-04-01/Accounts/AC1/Calls.json?PageSize=5');
  });

  test('createApiUrlHttpClient gives a RequestClient of the SDK and checks its URL', () => {
    expect(createApiUrlHttpClient('http://127.0.0.1:4010')).toBeInstanceOf(twilio.RequestClient);
    expect(() => createApiUrlHttpClient('file:///etc/passwd')).toThrow(ConfigurationError);
  });

  test('a region or edge set on the client does not escape apiUrl', async () => {
    const standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    try {
      const client = twilio(ACCOUNT_SID, AUTH_TOKEN, { region: 'ie1', edge: 'dublin', httpClient: createApiUrlHttpClient(standIn.url) });
      await new SmsChannel({ client, from: FROM }).send({
        to: '+33612345678',
        code: '555123',
        purpose: 'sign-in',
        siteName: 'Acme',
        expiresInMinutes: 10,
        locale: 'en',
      });
      expect((await standIn.nextSms('+33612345678')).body).toContain('555123');
    } finally {
      await standIn.stop();
    }
  });

  test('one client serves both channels', async () => {
    const standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
    try {
      const connection = createTwilioClient({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: standIn.url, from: FROM });
      const sms = new SmsChannel(connection);
      const voice = new VoiceChannel(connection);
      const message = {
        to: '+33612345678',
        code: '104729',
        purpose: 'enroll-phone',
        siteName: 'Acme',
        expiresInMinutes: 10,
        locale: 'en',
      } as const;
      await sms.send(message);
      await voice.send(message);
      expect((await standIn.nextSms('+33612345678')).body).toContain('104729');
      expect((await standIn.nextCall('+33612345678')).twiml).toContain('1, 0, 4, 7, 2, 9');
    } finally {
      await standIn.stop();
    }
  });
});

describe('twilioDeliveryError', () => {
  test('an error that is not from Twilio at all is a provider failure', () => {
    const error = twilioDeliveryError(new TypeError('boom +14155552671 123456'), { method: 'sms', to: '+14155552671', code: '123456' });
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code: 'ERR_2FA_PROVIDER', tryAnotherMethod: true });
    expect((error.cause as Error).message).toBe('boom ••• •••');
  });
});

describe('"twilio" is an optional peer dependency', () => {
  test('without it the channels still import, and building one says to install it', () => {
    jest.isolateModules(() => {
      jest.doMock('twilio', () => {
        throw Object.assign(new Error("Cannot find module 'twilio' from 'src/channels/twilio-client.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { SmsChannel: IsolatedSms } = require('../../src/channels/sms-channel') as typeof import('../../src/channels/sms-channel');
      const { ConfigurationError: IsolatedConfigurationError } = require('../../src/errors') as typeof import('../../src/errors');
      const attempt = (): unknown => new IsolatedSms({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, from: FROM });
      expect(attempt).toThrow(IsolatedConfigurationError);
      expect(attempt).toThrow(/need the "twilio" package: run `npm install twilio`/);
    });
  });
});
