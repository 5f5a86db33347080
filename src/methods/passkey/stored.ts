import type { StoredCredential } from '../../core/method';

/**
 * A passkey as stored (`StoredCredential.data`, JSON): its public key, the last signature counter
 * seen, the transports the browser reported, and the WebAuthn user handle it was created with. No
 * secret: a public key is useless to whoever reads the store.
 */
export interface PasskeyData {
  /** COSE public key, base64url. */
  publicKey: string;
  counter: number;
  transports: string[];
  /** base64url; the same for all of a user's passkeys. */
  userHandle: string;
}

export function encodePasskey(data: PasskeyData): string {
  return JSON.stringify(data);
}

/** The stored data, or undefined when it is not a passkey's (a corrupt entry is never used). */
export function decodePasskey(credential: StoredCredential): PasskeyData | undefined {
  let value: unknown;
  try {
    value = JSON.parse(credential.data);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { publicKey, counter, transports, userHandle } = value as Record<string, unknown>;
  if (typeof publicKey !== 'string' || typeof userHandle !== 'string' || !Number.isSafeInteger(counter) || (counter as number) < 0)
    return undefined;
  if (!Array.isArray(transports) || !transports.every((t) => typeof t === 'string')) return undefined;
  return { publicKey, counter: counter as number, transports: transports as string[], userHandle };
}
