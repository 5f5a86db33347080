import { inspect } from 'node:util';
import { renderCodeTwiml, VoiceChannel } from '../../src/channels/voice-channel';
import { ConfigurationError, DeliveryError } from '../../src/errors';
import type { CodeMessage } from '../../src/core/channel';
import { CALL_NUMBER_INVALID, SERVER_ERROR, startTwilioStandIn, TOO_MANY_REQUESTS, type TwilioStandIn } from '../helpers/twilio-stand-in';
import { EN } from '../helpers/words';

const ACCOUNT_SID = `AC${'c3'.repeat(16)}`;
const AUTH_TOKEN = '0123456789abcdef'.repeat(2);
const FROM = '+15017122661';
const TO = '+447400123456';
const CODE = '582039';

function message(overrides: Partial<CodeMessage> = {}): CodeMessage {
  return { to: TO, code: CODE, purpose: 'sign-in', siteName: 'Acme', expiresInMinutes: 10, locale: 'en', ...overrides };
}

interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: (XmlElement | string)[];
}

/**
 * A strict parser for the XML subset TwiML uses (declaration, elements, double-quoted attributes,
 * text, the five predefined entities). Anything else (a bare "&" or "<", an unknown entity, a
 * mismatched tag, control characters) throws, so passing it means the document is well-formed.
 */
function parseXml(xml: string): XmlElement {
  let at = 0;
  const decode = (text: string): string => {
    if (/[<>]/.test(text)) throw new Error(`raw markup character in ${JSON.stringify(text)}`);
    return text.replace(/&([^;]*);|&/g, (whole, name: string | undefined) => {
      const value = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name ?? ''];
      if (value === undefined) throw new Error(`bad entity ${JSON.stringify(whole)}`);
      return value;
    });
  };
  // Anything outside XML 1.0's `Char` production.
  if (/[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(xml)) throw new Error('character not allowed in XML');
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>/.exec(xml);
  if (declaration) at = declaration[0].length;
  const element = (): XmlElement => {
    const open = /^<([A-Za-z][\w-]*)((?:\s+[A-Za-z][\w-]*="[^"<]*")*)\s*(\/?)>/.exec(xml.slice(at));
    if (!open) throw new Error(`expected an element at ${at}: ${xml.slice(at, at + 20)}`);
    at += open[0].length;
    const name = open[1] as string;
    const attributes: Record<string, string> = {};
    for (const [, key, value] of (open[2] ?? '').matchAll(/([A-Za-z][\w-]*)="([^"]*)"/g)) {
      if (key === undefined || key in attributes) throw new Error(`duplicate attribute ${key}`);
      attributes[key] = decode(value ?? '');
    }
    const children: (XmlElement | string)[] = [];
    if (open[3] === '/') return { name, attributes, children };
    for (;;) {
      const close = `</${name}>`;
      if (xml.startsWith(close, at)) {
        at += close.length;
        return { name, attributes, children };
      }
      if (xml.startsWith('</', at)) throw new Error(`mismatched closing tag at ${at}`);
      if (xml.startsWith('<', at)) {
        children.push(element());
        continue;
      }
      const next = xml.indexOf('<', at);
      if (next === -1) throw new Error(`unclosed <${name}>`);
      children.push(decode(xml.slice(at, next)));
      at = next;
    }
  };
  const root = element();
  if (at !== xml.length) throw new Error('content after the root element');
  return root;
}

const textOf = (node: XmlElement): string => node.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');

let standIn: TwilioStandIn;
beforeEach(async () => {
  standIn = await startTwilioStandIn({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN });
});
afterEach(() => standIn.stop());

function voiceChannel(): VoiceChannel {
  return new VoiceChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiUrl: standIn.url, from: FROM });
}

describe('VoiceChannel through the real Twilio SDK and the Twilio stand-in', () => {
  test('places a call from the From number with inline TwiML, with Basic auth', async () => {
    await voiceChannel().send(message());
    const call = await standIn.nextCall(TO);
    expect(call).toMatchObject({ kind: 'call', to: TO, from: FROM });
    expect(call.url).toBeUndefined();
    expect(call.auth).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    expect(call.twiml).toBeDefined();
  });

  test('the TwiML is valid XML that says each digit, separately, twice, with pauses', async () => {
    await voiceChannel().send(message());
    const twiml = (await standIn.nextCall(TO)).twiml ?? '';
    const response = parseXml(twiml);
    expect(response.name).toBe('Response');
    const elements = response.children.filter((c): c is XmlElement => typeof c !== 'string');
    const says = elements.filter((e) => e.name === 'Say');
    const pauses = elements.filter((e) => e.name === 'Pause');
    expect(elements.every((e) => e.name === 'Say' || e.name === 'Pause')).toBe(true);
    expect(says.every((s) => s.attributes.voice === 'alice' && s.attributes.language === 'en-US')).toBe(true);
    expect(pauses.length).toBeGreaterThanOrEqual(2);
    expect(pauses.every((p) => p.attributes.length === '1')).toBe(true);

    const spoken = says.map(textOf).join(' ');
    const digitByDigit = CODE.split('').join(', ');
    expect(spoken.split(digitByDigit)).toHaveLength(3); // exactly twice
    expect(spoken).not.toContain(CODE); // never as one number ("five hundred and eighty-two thousand…")
    expect(spoken).toContain('Acme');
    // The two readings are in different <Say> elements, with a pause between them.
    const readings = elements.flatMap((e, i) => (e.name === 'Say' && textOf(e).includes(digitByDigit) ? [i] : []));
    expect(readings).toHaveLength(2);
    expect(elements.slice(readings[0], readings[1]).some((e) => e.name === 'Pause')).toBe(true);
  });

  test('the site name is XML-escaped', async () => {
    const siteName = `Tom & Jerry's <Shop> "Best" </Say><Play>https://evil.test/x.mp3</Play>`;
    await voiceChannel().send(message({ siteName }));
    const twiml = (await standIn.nextCall(TO)).twiml ?? '';
    expect(twiml).not.toContain('<Play>');
    expect(twiml).toContain('Tom &amp; Jerry&apos;s &lt;Shop&gt; &quot;Best&quot;');
    const response = parseXml(twiml);
    expect(response.children.every((c) => typeof c !== 'string' && (c.name === 'Say' || c.name === 'Pause'))).toBe(true);
    expect(textOf(response)).toContain(`Tom & Jerry's <Shop> "Best" </Say><Play>`);
  });

  test('characters XML cannot carry are dropped from the site name', () => {
    const twiml = renderCodeTwiml({ siteName: 'Ac\u0000me\uffff\ud800', code: CODE, expiresInMinutes: 5, words: EN });
    expect(() => parseXml(twiml)).not.toThrow();
    expect(twiml).toContain('Your Ac me verification code');
  });

  test('a Messaging Service alone cannot place calls: a ConfigurationError says to pass `from`', () => {
    const attempt = (): VoiceChannel =>
      new VoiceChannel({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, messagingServiceSid: `MG${'d4'.repeat(16)}` });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/voice calls need `from`/);
  });

  test.each([
    ['13224 number not supported', 'ERR_2FA_INVALID_NUMBER', CALL_NUMBER_INVALID],
    ['20429 too many requests', 'ERR_2FA_RATE_LIMITED', TOO_MANY_REQUESTS],
    ['500', 'ERR_2FA_PROVIDER', SERVER_ERROR],
  ] as const)('%s → %s, another method worth trying, nothing secret in the error', async (_name, code, failure) => {
    standIn.failNext(failure);
    const error = await voiceChannel()
      .send(message())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ code, tryAnotherMethod: true });
    expect((error as Error).message).toMatch(/^The call /);
    expect((error as Error).message).toContain('•••• 3456');
    const everything = `${String(error)}\n${inspect(error, { depth: 10, showHidden: true })}`;
    expect(everything).not.toContain('7400123456');
    expect(everything).not.toContain(CODE);
    expect(everything).not.toContain(AUTH_TOKEN);
  });
});
