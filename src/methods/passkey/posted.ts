import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';

/**
 * What the page posts (`credential`: the JSON @simplewebauthn/browser returned), checked for shape
 * before any verification, so garbage is "malformed" (a 400, not counted), never an exception. What is
 * well-formed but wrong (a bad signature, another challenge) is left to the verifier and counted.
 */

/** Bigger than any response the page can post (the library's forms are capped at 8 KiB). */
const MAX_LENGTH = 8 * 1024;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The parts of clientDataJSON checked before verification. */
export interface ClientData {
  type: string;
  challenge: string;
  origin: string;
}

export function parseAuthentication(
  posted: string | undefined,
): { response: AuthenticationResponseJSON; clientData: ClientData } | undefined {
  const credential = parseCredential(posted);
  const response = credential && record(credential.response);
  if (!credential || !response) return undefined;
  const { clientDataJSON, authenticatorData, signature, userHandle } = response;
  const clientData = parseClientData(clientDataJSON);
  // authenticatorData: a 32-byte RP id hash, flags, a 4-byte counter at least.
  if (
    !clientData ||
    !isBase64Url(authenticatorData) ||
    base64UrlBytes(authenticatorData) < 37 ||
    !isBase64Url(signature) ||
    signature === ''
  )
    return undefined;
  if (userHandle !== undefined && !isBase64Url(userHandle)) return undefined;
  return {
    response: rebuilt(credential, {
      clientDataJSON: clientDataJSON as string,
      authenticatorData,
      signature,
      ...(userHandle !== undefined ? { userHandle } : {}),
    }),
    clientData,
  };
}

export function parseRegistration(posted: string | undefined): { response: RegistrationResponseJSON; clientData: ClientData } | undefined {
  const credential = parseCredential(posted);
  const response = credential && record(credential.response);
  if (!credential || !response) return undefined;
  const { clientDataJSON, attestationObject, transports } = response;
  const clientData = parseClientData(clientDataJSON);
  if (!clientData || !isBase64Url(attestationObject) || attestationObject === '') return undefined;
  const knownTransports = Array.isArray(transports)
    ? transports.filter((t): t is string => typeof t === 'string' && /^[a-z-]{1,16}$/.test(t)).slice(0, 8)
    : [];
  return {
    response: rebuilt(credential, { clientDataJSON: clientDataJSON as string, attestationObject, transports: knownTransports }),
    clientData,
  };
}

/** The common envelope: `{ id, rawId, type: "public-key", response: {...} }`, id and rawId the same base64url. */
function parseCredential(posted: string | undefined): { id: string; rawId: string; response: unknown } | undefined {
  if (posted === undefined || posted.length === 0 || posted.length > MAX_LENGTH) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(posted);
  } catch {
    return undefined;
  }
  const credential = record(value);
  if (!credential) return undefined;
  const { id, rawId, type, response } = credential;
  if (type !== 'public-key' || !isBase64Url(id) || id === '' || id.length > 1366 || rawId !== id) return undefined;
  return { id, rawId, response };
}

/** The response as the verifier takes it, made of the checked parts only (nothing else posted goes through). */
function rebuilt<R>(credential: { id: string; rawId: string }, response: R) {
  return { id: credential.id, rawId: credential.rawId, type: 'public-key' as const, clientExtensionResults: {}, response };
}

function parseClientData(encoded: unknown): ClientData | undefined {
  if (!isBase64Url(encoded) || encoded === '') return undefined;
  const data = record(parseJson(Buffer.from(encoded, 'base64url').toString('utf8')));
  if (!data || typeof data.type !== 'string' || typeof data.challenge !== 'string' || typeof data.origin !== 'string') return undefined;
  return { type: data.type, challenge: data.challenge, origin: data.origin };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function isBase64Url(value: unknown): value is string {
  return typeof value === 'string' && BASE64URL.test(value) && value.length % 4 !== 1;
}

function base64UrlBytes(value: string): number {
  return Math.floor((value.length * 3) / 4);
}
