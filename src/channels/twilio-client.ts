/**
 * The Twilio client shared by the SMS and voice channels: option checks, the `apiUrl` hook, and the
 * one mapping from Twilio errors to `DeliveryError`.
 *
 * "twilio" is an optional peer dependency: it is loaded on first use, not when the library is
 * imported, so hosts that send codes by email only never need it installed.
 */
import type twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import { isE164 } from '../core/phone';
import { ConfigurationError, DeliveryError } from '../errors';
import { DEFAULT_CHANNEL_TIMEOUT_MS, type ChannelClientOptions } from './timeouts';
import { maskPhone } from '../core/mask';
import type { TwilioOptions, TwilioRestClient } from '../types';

/** A checked Twilio set-up, shared by `SmsChannel` and `VoiceChannel`. */
export interface TwilioConnection {
  readonly client: TwilioRestClient;
  readonly from: string | undefined;
  readonly messagingServiceSid: string | undefined;
}

const KNOWN_OPTIONS = ['client', 'accountSid', 'authToken', 'apiUrl', 'from', 'messagingServiceSid'] as const;
const ACCOUNT_SID = /^AC[0-9a-fA-F]{32}$/;
const MESSAGING_SERVICE_SID = /^MG[0-9a-fA-F]{32}$/;

/**
 * Checks the options once and returns the client both Twilio channels use. Throws a
 * `ConfigurationError` that names the option and the fix. A client built from credentials gives up on
 * a request after `timeoutMs` (the SDK's default is 30 s); a `client` you pass keeps its own timeout.
 */
export function createTwilioClient(
  options: TwilioOptions,
  { timeoutMs = DEFAULT_CHANNEL_TIMEOUT_MS }: ChannelClientOptions = {},
): TwilioConnection {
  if (typeof options !== 'object' || options === null) {
    fail('Twilio options must be an object: `{ accountSid, authToken, from }` or `{ client, from }`.');
  }
  for (const key of Object.keys(options)) {
    if (!(KNOWN_OPTIONS as readonly string[]).includes(key)) {
      const guess = KNOWN_OPTIONS.find((known) => known.toLowerCase() === key.toLowerCase());
      fail(
        `received an unknown Twilio option \`${key}\`.${guess ? ` Did you mean \`${guess}\`?` : ''} ` +
          `The Twilio options are ${KNOWN_OPTIONS.map((k) => `\`${k}\``).join(', ')}.`,
      );
    }
  }
  const { from, messagingServiceSid } = options;
  if (from !== undefined && !isE164(from)) {
    fail(
      'Twilio `from` must be a phone number in E.164 form: "+", the country code and the number, digits only, ' +
        'e.g. "+15017122661". For an alphanumeric sender ID or a short code, use `messagingServiceSid`.',
    );
  }
  if (messagingServiceSid !== undefined && (typeof messagingServiceSid !== 'string' || !MESSAGING_SERVICE_SID.test(messagingServiceSid))) {
    fail('Twilio `messagingServiceSid` must be a Messaging Service SID: "MG" followed by 32 hexadecimal characters.');
  }
  if (from === undefined && messagingServiceSid === undefined) {
    fail('Twilio needs a sender: pass `from` (your Twilio number in E.164, e.g. "+15017122661") or, for SMS only, `messagingServiceSid`.');
  }
  return { client: buildClient(options, timeoutMs), from, messagingServiceSid };
}

function buildClient(options: TwilioOptions, timeout: number): TwilioRestClient {
  const hasCredentials = options.accountSid !== undefined || options.authToken !== undefined || options.apiUrl !== undefined;
  if (options.client !== undefined) {
    if (hasCredentials) {
      fail(
        'pass either a Twilio `client` or `accountSid` and `authToken` (with an optional `apiUrl`), not both: a client you built already carries its credentials.',
      );
    }
    const client = options.client as Partial<TwilioRestClient> | null;
    if (
      typeof client !== 'object' ||
      client === null ||
      typeof client.messages?.create !== 'function' ||
      typeof client.calls?.create !== 'function'
    ) {
      fail('Twilio `client` must be a Twilio REST client, as returned by `twilio(accountSid, authToken)` from the "twilio" package.');
    }
    return options.client;
  }

  const { accountSid, authToken, apiUrl } = options;
  if (accountSid === undefined || accountSid === '') {
    fail(
      'Twilio `accountSid` is missing: pass your Account SID ("AC" and 32 hexadecimal characters, shown in the Twilio Console), or pass a `client` you built yourself.',
    );
  }
  if (typeof accountSid !== 'string' || !ACCOUNT_SID.test(accountSid)) {
    const apiKey = typeof accountSid === 'string' && accountSid.startsWith('SK');
    fail(
      apiKey
        ? 'Twilio `accountSid` looks like an API key SID ("SK…"). Pass the Account SID ("AC…") here, or build a client with your API key yourself (`twilio(apiKeySid, apiKeySecret, { accountSid })`) and pass it as `client`.'
        : 'Twilio `accountSid` must be an Account SID: "AC" followed by 32 hexadecimal characters, as shown in the Twilio Console.',
    );
  }
  if (typeof authToken !== 'string' || authToken.trim() === '') {
    fail(
      'Twilio `authToken` is missing: pass the Auth Token shown next to the Account SID in the Twilio Console (from an environment variable, not from source code).',
    );
  }
  if (authToken !== authToken.trim()) {
    fail('Twilio `authToken` has leading or trailing white space: trim the value you read from the environment.');
  }
  // The SDK applies `timeout` only to the HTTP client it builds itself, so ours gets it too.
  const httpClient = apiUrl === undefined ? undefined : createApiUrlHttpClient(parseApiUrl(apiUrl), { timeout });
  // autoRetry stays off (the SDK default): a 429 becomes ERR_2FA_RATE_LIMITED at once instead of
  // holding the sign-in page for up to three jittered retries.
  return loadTwilio()(accountSid, authToken, httpClient ? { httpClient, timeout, autoRetry: false } : { timeout, autoRetry: false });
}

let sdk: typeof twilio | undefined;

function loadTwilio(): typeof twilio {
  if (!sdk) {
    try {
      sdk = require('twilio') as typeof twilio;
    } catch (error) {
      if ((error as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /'twilio'/.test(String((error as Error).message))) {
        fail('SMS and voice codes need the "twilio" package: run `npm install twilio` (version 6).');
      }
      throw error;
    }
  }
  return sdk;
}

function parseApiUrl(value: unknown): URL {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    // The value is echoed only when it cannot hold credentials.
    const received = String(value).includes('@') ? '' : `; received ${JSON.stringify(String(value))}`;
    fail(
      `Twilio \`apiUrl\` must be an http(s) URL without credentials, query or fragment, such as "http://127.0.0.1:4010" or "https://api.twilio.com"${received}.`,
    );
  }
  return url;
}

/**
 * The SDK's supported hook for a different REST base URL: a custom `httpClient`, a subclass of the
 * SDK's `RequestClient` whose `request()` sends every request to `apiUrl` instead of
 * `https://api.twilio.com` (see `rewriteTwilioUri`), then lets the SDK do the rest. The SDK itself is
 * not patched. Hosts that build their own client can use it too:
 * `twilio(sid, token, { httpClient: createApiUrlHttpClient('http://127.0.0.1:4010') })`.
 */
export function createApiUrlHttpClient(apiUrl: string | URL, options?: RequestClient.RequestClientOptions): RequestClient {
  const base = typeof apiUrl === 'string' ? parseApiUrl(apiUrl) : apiUrl;
  const { RequestClient: SdkRequestClient } = loadTwilio();
  class ApiUrlRequestClient extends SdkRequestClient {
    override request<TData>(opts: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
      return super.request({ ...opts, uri: rewriteTwilioUri(opts.uri, base) });
    }
  }
  return new ApiUrlRequestClient(options);
}

/**
 * `https://api.twilio.com/2010-04-01/…?q` → `<apiUrl>/2010-04-01/…?q`: the protocol and host (with
 * any region or edge the SDK put in it) are replaced by `apiUrl`'s, which may add a path prefix.
 */
export function rewriteTwilioUri(uri: string, apiUrl: URL): string {
  const original = new URL(uri);
  const prefix = apiUrl.pathname.replace(/\/+$/, '');
  return `${apiUrl.origin}${prefix}${original.pathname}${original.search}`;
}

// ---- Errors ----

/** What the delivery error's `code` says went wrong, to decide what the page tells the user. */
export type TwilioFailureCode = 'ERR_2FA_INVALID_NUMBER' | 'ERR_2FA_UNREACHABLE' | 'ERR_2FA_RATE_LIMITED' | 'ERR_2FA_PROVIDER';

/** Twilio error codes (https://www.twilio.com/docs/api/errors) by what they mean for the user. */
const TWILIO_ERROR_CODES: ReadonlyMap<number, TwilioFailureCode> = new Map<number, TwilioFailureCode>([
  // The number cannot receive this kind of message at all: ask for another number or method.
  [21211, 'ERR_2FA_INVALID_NUMBER'], // Invalid 'To' phone number
  [21217, 'ERR_2FA_INVALID_NUMBER'], // Phone number does not appear to be valid
  [21401, 'ERR_2FA_INVALID_NUMBER'], // Invalid phone number
  [21407, 'ERR_2FA_INVALID_NUMBER'], // This phone number type does not support SMS
  [21614, 'ERR_2FA_INVALID_NUMBER'], // 'To' number is not a valid mobile number
  [21265, 'ERR_2FA_INVALID_NUMBER'], // 'To' number cannot be a short code
  [13223, 'ERR_2FA_INVALID_NUMBER'], // Dial: invalid phone number format
  [13224, 'ERR_2FA_INVALID_NUMBER'], // Dial: invalid phone number / not supported
  // A valid number Twilio will not deliver to from this account right now.
  [21610, 'ERR_2FA_UNREACHABLE'], // Attempt to send to unsubscribed recipient (the user replied STOP)
  [21612, 'ERR_2FA_UNREACHABLE'], // The 'To' number is not currently reachable via SMS
  [21408, 'ERR_2FA_UNREACHABLE'], // Permission to send an SMS has not been enabled for the region
  [21215, 'ERR_2FA_UNREACHABLE'], // Geo permission configuration is not permitting the call
  [21216, 'ERR_2FA_UNREACHABLE'], // Account not allowed to call this number (e.g. premium)
  [21608, 'ERR_2FA_UNREACHABLE'], // Trial account: the number is not verified
  // Twilio's own limits.
  [20429, 'ERR_2FA_RATE_LIMITED'], // Too many requests
  [14107, 'ERR_2FA_RATE_LIMITED'], // SMS send rate limit exceeded
]);

/**
 * What a failed Twilio request is attached to `DeliveryError.cause` as: status and Twilio code
 * only, with a message from which phone numbers and the code are removed. The SDK's own error is
 * not kept, because it carries the request (number, code, credentials) and Twilio's message repeats
 * the number.
 */
export class TwilioRequestError extends Error {
  /** The HTTP status, when Twilio answered. */
  readonly status: number | undefined;
  /** Twilio's error code (e.g. 21211), or a network error code (e.g. "ECONNREFUSED"). */
  readonly twilioCode: number | string | undefined;
  readonly moreInfo: string | undefined;
  constructor(message: string, details: { status?: number; twilioCode?: number | string; moreInfo?: string }) {
    super(message);
    this.name = 'TwilioRequestError';
    this.status = details.status;
    this.twilioCode = details.twilioCode;
    this.moreInfo = details.moreInfo;
  }
}

/**
 * The one mapping from anything `messages.create` / `calls.create` threw to a `DeliveryError`.
 * Every Twilio failure leaves email working, so `tryAnotherMethod` is true throughout; the `code`
 * says what went wrong. Messages show the number masked, never whole, and never the code.
 */
export function twilioDeliveryError(error: unknown, context: { method: 'sms' | 'voice'; to: string; code: string }): DeliveryError {
  const { status, twilioCode, moreInfo, message } = describe(error);
  const numericCode = typeof twilioCode === 'number' ? twilioCode : undefined;
  const code: TwilioFailureCode =
    (numericCode !== undefined ? TWILIO_ERROR_CODES.get(numericCode) : undefined) ??
    (status === 429 ? 'ERR_2FA_RATE_LIMITED' : 'ERR_2FA_PROVIDER');

  const what = context.method === 'sms' ? 'The text message' : 'The call';
  const number = maskPhone(context.to);
  const reason =
    code === 'ERR_2FA_INVALID_NUMBER'
      ? `could not be sent to ${number}: Twilio says the number is not valid for this.`
      : code === 'ERR_2FA_UNREACHABLE'
        ? `could not be delivered to ${number}: Twilio will not reach this number (opted out, not reachable, or region not permitted).`
        : code === 'ERR_2FA_RATE_LIMITED'
          ? `to ${number} was refused: Twilio's rate limit was reached.`
          : status === undefined
            ? `to ${number} could not be sent: Twilio could not be reached.`
            : `to ${number} could not be sent: Twilio answered with an error.`;
  const reference = [
    numericCode !== undefined ? `Twilio error ${numericCode}` : undefined,
    status !== undefined ? `HTTP ${status}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');

  const cause = new TwilioRequestError(scrub(message, context), { status, twilioCode, moreInfo });
  return new DeliveryError(`${what} ${reason}${reference ? ` (${reference})` : ''}`, { tryAnotherMethod: true, code, cause });
}

function describe(error: unknown): { status?: number; twilioCode?: number | string; moreInfo?: string; message: string } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = error as { status?: unknown; code?: unknown; moreInfo?: unknown; message?: unknown; response?: { status?: unknown } };
  // RestException and TwilioServiceException carry a numeric `status` and `code`; an axios network
  // error carries a string `code` (ECONNREFUSED, ECONNABORTED…) and no response.
  const status = typeof e.status === 'number' ? e.status : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const twilioCode = typeof e.code === 'number' || typeof e.code === 'string' ? e.code : undefined;
  const moreInfo = typeof e.moreInfo === 'string' ? e.moreInfo : undefined;
  return { status, twilioCode, moreInfo, message: typeof e.message === 'string' ? e.message : '' };
}

/** Removes the destination, the code and anything that looks like a phone number from `text`. */
function scrub(text: string, context: { to: string; code: string }): string {
  let result = text;
  for (const secret of [context.to, context.to.replace(/^\+/, ''), context.code]) {
    if (secret.length > 0) result = result.split(secret).join('•••');
  }
  return result.replace(/\+?\d[\d\s().-]{5,}\d/g, '•••');
}

function fail(message: string): never {
  throw new ConfigurationError(message);
}
