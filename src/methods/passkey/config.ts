import { isIP } from 'node:net';
import { ConfigurationError } from '../../errors';

/** `methods.passkey`: where passkeys are valid. Never taken from request headers, which a client controls. */
export interface PasskeyOptions {
  /** The WebAuthn relying-party id: your site's domain ("example.com"), no scheme or port. Passkeys work on it and its subdomains. */
  rpId: string;
  /** The exact origins your pages are served from ("https://example.com", "https://app.example.com"): each on `rpId` or a subdomain of it. */
  origins: string[];
  /** The name the browser shows when a passkey is created. Default: `siteName`. */
  rpName?: string;
}

export interface PasskeyConfig {
  rpId: string;
  rpName: string;
  /** Whether an assertion made on `origin` is accepted (the origin the browser signed, from clientDataJSON). */
  acceptsOrigin(origin: string): boolean;
}

const KEYS: readonly string[] = ['rpId', 'origins', 'rpName'];
const DOMAIN = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
/** Development only: localhost on any port, http or https (the browser lets only pages on localhost use the RP id 'localhost'). */
const LOCALHOST_ORIGIN = /^https?:\/\/localhost(?::[0-9]{1,5})?$/;

/**
 * The passkey method's configuration, or undefined when it is not configured. In development without
 * options, passkeys work on http(s)://localhost on any port (RP id "localhost"), so `npm start` can try them.
 */
export function parsePasskeyOptions(input: unknown, siteName: string, development: boolean): PasskeyConfig | undefined {
  if (input === undefined) {
    return development ? { rpId: 'localhost', rpName: siteName, acceptsOrigin: (origin) => LOCALHOST_ORIGIN.test(origin) } : undefined;
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    fail('`methods.passkey` must be an object `{ rpId: "example.com", origins: ["https://example.com"] }`.');
  }
  const options = input as Record<string, unknown>;
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key)) fail(`\`methods.passkey.${key}\` is not an option. The options are: ${KEYS.join(', ')}.`);
  }
  const { rpId, origins, rpName } = options;
  if (typeof rpId !== 'string' || !DOMAIN.test(rpId) || isIP(rpId) !== 0) {
    fail(
      `\`methods.passkey.rpId\` must be your site's domain in lower case, without scheme, port or path (e.g. "example.com"); got ${JSON.stringify(rpId)}.`,
    );
  }
  if (!Array.isArray(origins) || origins.length === 0) {
    fail('`methods.passkey.origins` must be a non-empty array of the origins your pages are served from, e.g. `["https://example.com"]`.');
  }
  const allowed = new Set(origins.map((origin, i) => checkOrigin(origin, `methods.passkey.origins[${i}]`, rpId)));
  if (rpName !== undefined && (typeof rpName !== 'string' || rpName.trim() === '' || rpName.length > 64)) {
    fail(
      '`methods.passkey.rpName` must be a non-empty name of at most 64 characters (the browser shows it when a passkey is created); leave it out to use `siteName`.',
    );
  }
  return { rpId, rpName: rpName ?? siteName, acceptsOrigin: (origin) => allowed.has(origin) };
}

/** An origin as the browser writes it: https (http only for localhost), host on the RP id, no path. */
function checkOrigin(origin: unknown, name: string, rpId: string): string {
  let url: URL | undefined;
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || url.origin !== origin) {
    fail(
      `\`${name}\` must be an origin: scheme, host and port only, no path or trailing slash (e.g. "https://example.com"); got ${JSON.stringify(origin)}.`,
    );
  }
  const host = url.hostname;
  const localhost = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && localhost)) {
    fail(`\`${name}\` must use https (browsers allow passkeys on plain http only for localhost); got "${origin}".`);
  }
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    fail(`\`${name}\` ("${origin}") is not on \`methods.passkey.rpId\` ("${rpId}"): its host must be "${rpId}" or a subdomain of it.`);
  }
  return origin;
}

function fail(message: string): never {
  throw new ConfigurationError(`express-device-2fa: ${message}`);
}
