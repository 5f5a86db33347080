/**
 * A stand-in for the Twilio REST API (the real one cannot be reached from here). It is a plain
 * HTTP server on a free loopback port that answers the two requests the library makes, the way
 * Twilio answers them:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json  (To, From | MessagingServiceSid, Body)
 *   POST /2010-04-01/Accounts/{AccountSid}/Calls.json     (To, From, Twiml | Url)
 * with HTTP Basic auth, Twilio's resource JSON (201) and Twilio's error bodies
 * (`{ code, message, more_info, status }`). The real `twilio` SDK talks to it through the
 * `apiUrl` option.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandInRequest {
  kind: 'sms' | 'call';
  to: string;
  from: string | undefined;
  messagingServiceSid?: string;
  body?: string;
  twiml?: string;
  url?: string;
  /** The raw Authorization header ('' when none was sent). */
  auth: string;
  /** Every form field as received. */
  fields: Record<string, string>;
  /** The HTTP status the stand-in answered with. */
  status: number;
}

/** A Twilio error as the API reports it. `{to}` in `message` is replaced by the request's To, as Twilio does. */
export interface StandInError {
  status: number;
  code: number;
  message: string;
}

export const INVALID_TO_NUMBER: StandInError = { status: 400, code: 21211, message: "The 'To' number {to} is not a valid phone number." };
export const NOT_A_MOBILE_NUMBER: StandInError = { status: 400, code: 21614, message: "'To' number {to} is not a valid mobile number" };
export const UNSUBSCRIBED: StandInError = { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' };
export const NOT_REACHABLE: StandInError = {
  status: 400,
  code: 21612,
  message: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number via SMS.",
};
export const REGION_NOT_PERMITTED: StandInError = {
  status: 400,
  code: 21408,
  message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: {to}.",
};
export const CALL_NUMBER_INVALID: StandInError = {
  status: 400,
  code: 13224,
  message: 'Dial: Twilio does not support calling this number or the number is invalid',
};
export const TOO_MANY_REQUESTS: StandInError = { status: 429, code: 20429, message: 'Too Many Requests' };
export const SERVER_ERROR: StandInError = { status: 500, code: 20500, message: 'Internal Server Error' };
export const SERVICE_UNAVAILABLE: StandInError = { status: 503, code: 20503, message: 'Service Unavailable' };

export interface TwilioStandIn {
  /** The base URL to pass as `apiUrl`, e.g. `http://127.0.0.1:40123`. */
  url: string;
  accountSid: string;
  /** Every request received, in order, including refused ones (see `status`). */
  requests: StandInRequest[];
  /** Makes the next request (whatever it is) fail with this Twilio error. Queued: call twice to fail two. */
  failNext(error: StandInError): void;
  /** Resolves with the next accepted text message to `to` not yet taken (or one already received). */
  nextSms(to: string, timeoutMs?: number): Promise<StandInRequest>;
  /** Marks every request so far as taken, so `nextSms`/`nextCall` wait for new ones. */
  drain(): void;
  /** Resolves with the next accepted call to `to` not yet taken (or one already received). */
  nextCall(to: string, timeoutMs?: number): Promise<StandInRequest>;
  stop(): Promise<void>;
}

const API_VERSION = '2010-04-01';
const ROUTE = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/;

export async function startTwilioStandIn({ accountSid, authToken }: { accountSid: string; authToken: string }): Promise<TwilioStandIn> {
  const requests: StandInRequest[] = [];
  const taken = new Set<StandInRequest>();
  const failures: StandInError[] = [];
  const waiters = new Set<() => void>();
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      sendJson(res, 500, errorBody({ status: 500, code: 20500, message: `Stand-in failure: ${String(error)}` }, ''));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const route = ROUTE.exec(path);
    if (req.method !== 'POST' || !route) {
      sendJson(res, 404, errorBody({ status: 404, code: 20404, message: `The requested resource ${path} was not found` }, ''));
      return;
    }
    const [, pathSid, resource] = route;
    const fields = Object.fromEntries(new URLSearchParams(raw));
    const auth = req.headers.authorization ?? '';
    const kind = resource === 'Messages' ? 'sms' : 'call';
    const to = fields.To ?? '';
    const record = (status: number): void => {
      requests.push({
        kind,
        to,
        from: fields.From,
        ...(fields.MessagingServiceSid !== undefined ? { messagingServiceSid: fields.MessagingServiceSid } : {}),
        ...(fields.Body !== undefined ? { body: fields.Body } : {}),
        ...(fields.Twiml !== undefined ? { twiml: fields.Twiml } : {}),
        ...(fields.Url !== undefined ? { url: fields.Url } : {}),
        auth,
        fields,
        status,
      });
      for (const wake of waiters) wake();
    };

    if (auth !== expectedAuth) {
      record(401);
      sendJson(res, 401, {
        code: 20003,
        detail: 'Your AccountSid or AuthToken was incorrect.',
        message: 'Authentication Error - invalid username',
        more_info: 'https://www.twilio.com/docs/errors/20003',
        status: 401,
      });
      return;
    }
    if (pathSid !== accountSid) {
      // Twilio answers a request for another account with 20404 "resource not found".
      record(404);
      sendJson(res, 404, errorBody({ status: 404, code: 20404, message: `The requested resource ${path} was not found` }, to));
      return;
    }
    const failure = failures.shift();
    if (failure) {
      record(failure.status);
      sendJson(res, failure.status, errorBody(failure, to));
      return;
    }
    const missing = kind === 'sms' ? missingSmsField(fields) : missingCallField(fields);
    if (missing) {
      record(400);
      sendJson(res, 400, errorBody(missing, to));
      return;
    }
    record(201);
    sendJson(res, 201, kind === 'sms' ? messageResource(accountSid, fields) : callResource(accountSid, fields));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  async function next(kind: 'sms' | 'call', to: string, timeoutMs = 5000): Promise<StandInRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = requests.find((r) => r.kind === kind && r.to === to && r.status === 201 && !taken.has(r));
      if (found) {
        taken.add(found);
        return found;
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`No ${kind === 'sms' ? 'text message' : 'call'} to ${to} reached the Twilio stand-in within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        waiters.add(wake);
      });
    }
  }

  return {
    url: `http://127.0.0.1:${port}`,
    accountSid,
    requests,
    failNext(error) {
      failures.push(error);
    },
    nextSms: (to, timeoutMs) => next('sms', to, timeoutMs),
    nextCall: (to, timeoutMs) => next('call', to, timeoutMs),
    drain() {
      for (const r of requests) taken.add(r);
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; close them so `stop()` does not wait for their timeout.
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Twilio-Request-Id': `RQ${hex(32)}`,
  });
  res.end(text);
}

function errorBody(error: StandInError, to: string): { code: number; message: string; more_info: string; status: number } {
  return {
    code: error.code,
    message: error.message.split('{to}').join(to),
    more_info: `https://www.twilio.com/docs/errors/${error.code}`,
    status: error.status,
  };
}

/** Twilio's own checks on the required fields (21604 no To, 21602 no Body, 21603 no From/MessagingServiceSid). */
function missingSmsField(fields: Record<string, string>): StandInError | undefined {
  if (!fields.To) return { status: 400, code: 21604, message: "A 'To' phone number is required." };
  if (!fields.From && !fields.MessagingServiceSid) return { status: 400, code: 21603, message: "A 'From' phone number is required." };
  if (!fields.Body && !fields.MediaUrl && !fields.ContentSid) return { status: 400, code: 21602, message: 'Message body is required.' };
  return undefined;
}

function missingCallField(fields: Record<string, string>): StandInError | undefined {
  if (!fields.To) return { status: 400, code: 21201, message: "No 'To' number is specified" };
  if (!fields.From) return { status: 400, code: 21213, message: "No 'From' number is specified" };
  if (!fields.Twiml && !fields.Url && !fields.ApplicationSid) return { status: 400, code: 21205, message: 'Url parameter is required.' };
  return undefined;
}

function messageResource(accountSid: string, fields: Record<string, string>): Record<string, unknown> {
  const sid = `SM${hex(32)}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  const body = fields.Body ?? '';
  return {
    account_sid: accountSid,
    api_version: API_VERSION,
    body,
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: fields.From ?? null,
    messaging_service_sid: fields.MessagingServiceSid ?? null,
    num_media: '0',
    num_segments: String(Math.max(1, Math.ceil(body.length / 160))),
    price: null,
    price_unit: 'USD',
    sid,
    // With a Messaging Service and no From, Twilio first answers "accepted".
    status: fields.MessagingServiceSid && !fields.From ? 'accepted' : 'queued',
    subresource_uris: { media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}/Media.json` },
    to: fields.To,
    uri: `/${API_VERSION}/Accounts/${accountSid}/Messages/${sid}.json`,
  };
}

function callResource(accountSid: string, fields: Record<string, string>): Record<string, unknown> {
  const sid = `CA${hex(32)}`;
  const now = new Date().toUTCString().replace('GMT', '+0000');
  return {
    account_sid: accountSid,
    annotation: null,
    answered_by: null,
    api_version: API_VERSION,
    caller_name: null,
    date_created: now,
    date_updated: now,
    direction: 'outbound-api',
    duration: null,
    end_time: null,
    forwarded_from: null,
    from: fields.From,
    from_formatted: fields.From,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: `PN${hex(32)}`,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid,
    start_time: null,
    status: 'queued',
    subresource_uris: {
      notifications: `/${API_VERSION}/Accounts/${accountSid}/Calls/${sid}/Notifications.json`,
      recordings: `/${API_VERSION}/Accounts/${accountSid}/Calls/${sid}/Recordings.json`,
    },
    to: fields.To,
    to_formatted: fields.To,
    trunk_sid: null,
    uri: `/${API_VERSION}/Accounts/${accountSid}/Calls/${sid}.json`,
  };
}

function hex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/** The 6-digit code in a text message the stand-in received. */
export function smsCode(body: string | undefined): string {
  const code = /\b(\d{6})\b/.exec(body ?? '')?.[1];
  if (!code) throw new Error(`no code in "${body}"`);
  return code;
}
