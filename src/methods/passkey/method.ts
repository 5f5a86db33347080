import { randomBytes } from 'node:crypto';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type WebAuthnCredential,
} from '@simplewebauthn/server';
import { DeliveryError } from '../../errors';
import type { Enrolment, Json, Method, MethodServices, StoredCredential } from '../../core/method';
import type { PasskeyConfig, PasskeyOptions } from './config';
import { parseAuthentication, parseRegistration } from './posted';
import { decodePasskey, encodePasskey, type PasskeyData } from './stored';
import type { PasskeyWords } from './strings';

declare module '../../core/method' {
  interface MethodIds {
    passkey: true;
  }
  interface MethodOptions {
    /** Passkeys (WebAuthn): see the README's "Passkeys". */
    passkey?: PasskeyOptions;
  }
}

declare module '../../views/method-view' {
  interface MethodWordsById {
    passkey: PasskeyWords;
  }
}

/** Why an enrolment was refused: a key of the table's `enrolment.refused`. */
type Refusal = keyof PasskeyWords['enrolment']['refused'];

function refuse(refused: Refusal, ...args: number[]): { ok: false; refused: Refusal; args?: number[] } {
  return args.length > 0 ? { ok: false, refused, args } : { ok: false, refused };
}

/** How long the browser lets the user take (a hint to it, not a limit on the server). */
const CEREMONY_TIMEOUT_MS = 2 * 60_000;
/** How long a challenge is accepted after it was issued: a page left open that long starts again. */
export const CHALLENGE_TTL_MS = 10 * 60_000;
/** Bounds what every sign-in offers the browser and keeps in the session. */
export const MAX_PASSKEYS = 20;
export const MAX_LABEL_LENGTH = 64;

/** What `start` keeps in the flow state and `Enrolment.begin` in pending: the options for the browser, and when they stop counting. */
interface Ceremony {
  /** For the browser, as @simplewebauthn/browser takes it. */
  options: Json;
  challenge: string;
  /** Registration only: the WebAuthn user handle the passkey is created under. */
  userHandle: string | undefined;
  expiresAt: number;
}

/**
 * Passkeys (WebAuthn) as the second factor. The user proves they hold a passkey they enrolled from
 * the settings page; user verification is preferred, not required (the password was the first factor).
 * Assertions are checked against the configured RP id and origins only, never against request
 * headers; each challenge signs in once; a signature counter that did not move forward (a cloned
 * authenticator) is refused; every failure counts in the user's lock-out.
 */
export function createPasskeyMethod(config: PasskeyConfig): Method {
  const { rpId } = config;

  async function passkeysOf(userId: string, services: MethodServices): Promise<Array<{ credential: StoredCredential; data: PasskeyData }>> {
    const stored = await services.credentials.list(userId, 'passkey');
    return stored.flatMap((credential) => {
      const data = decodePasskey(credential);
      return data ? [{ credential, data }] : [];
    });
  }

  const enrolment: Enrolment = {
    async begin(user, services) {
      const existing = await passkeysOf(user.identity.id, services);
      // One user handle for all of a user's passkeys, so an authenticator keeps them as one account.
      const userHandle = existing[0]?.data.userHandle ?? randomBytes(32).toString('base64url');
      const options = await generateRegistrationOptions({
        rpName: config.rpName,
        rpID: rpId,
        userName: user.identity.email,
        userDisplayName: user.identity.email,
        userID: new Uint8Array(Buffer.from(userHandle, 'base64url')),
        excludeCredentials: existing.map(({ credential, data }) => ({ id: credential.id, transports: data.transports })),
        authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
        attestationType: 'none',
        timeout: CEREMONY_TIMEOUT_MS,
      });
      return { pending: ceremony(options, services) };
    },

    async present(_user, pending) {
      const started = readCeremony(pending);
      return started ? { options: started.options } : null;
    },

    async finish(user, pending, answer, services) {
      const started = readCeremony(pending);
      const posted = parseRegistration(answer.credential);
      if (started?.userHandle === undefined || !posted) return refuse('malformed');
      const { challenge, userHandle } = started;
      const label = labelFrom(answer.label);
      if (label === undefined) return refuse('labelTooLong', MAX_LABEL_LENGTH);
      const now = services.now();
      if (now >= started.expiresAt) return refuse('expired');
      const existing = await services.credentials.list(user.identity.id, 'passkey');
      if (existing.length >= MAX_PASSKEYS) return refuse('tooMany', MAX_PASSKEYS);
      if (!config.acceptsOrigin(posted.clientData.origin)) return refuse('notAccepted');
      let registered: WebAuthnCredential;
      try {
        const result = await verifyRegistrationResponse({
          response: posted.response,
          expectedChallenge: challenge,
          expectedOrigin: posted.clientData.origin,
          expectedRPID: rpId,
          requireUserVerification: false,
        });
        if (!result.verified) return refuse('notAccepted');
        registered = result.registrationInfo.credential;
      } catch {
        return refuse('notAccepted');
      }
      if (existing.some((c) => c.id === registered.id)) return refuse('alreadyAdded');
      const credential: StoredCredential = {
        id: registered.id,
        method: 'passkey',
        label,
        createdAt: now,
        lastUsedAt: null,
        data: encodePasskey({
          publicKey: Buffer.from(registered.publicKey).toString('base64url'),
          counter: registered.counter,
          transports: posted.response.response.transports ?? [],
          userHandle,
        }),
      };
      await services.credentials.put(user.identity.id, credential);
      return { ok: true, credential };
    },
  };

  return {
    id: 'passkey',
    answer: 'prompt',
    resendable: false,
    usableBy: (user) => user.settings.enrolled?.includes('passkey') === true,
    enrolment,

    async start({ user }, services) {
      const passkeys = (await passkeysOf(user.identity.id, services)).slice(0, MAX_PASSKEYS);
      if (passkeys.length === 0) {
        return {
          status: 'delivery-failed',
          error: new DeliveryError('The user has no passkey.', { tryAnotherMethod: true }),
          destination: '',
        };
      }
      const options = await generateAuthenticationOptions({
        rpID: rpId,
        allowCredentials: passkeys.map(({ credential, data }) => ({ id: credential.id, transports: data.transports })),
        userVerification: 'preferred',
        timeout: CEREMONY_TIMEOUT_MS,
      });
      return { status: 'ready', state: ceremony(options, services) };
    },

    async check({ userId, state, answer }, services) {
      const started = readCeremony(state);
      const posted = parseAuthentication(answer.credential);
      if (!started || !posted) return { status: 'malformed' };
      const { response, clientData } = posted;
      const { challenge } = started;
      return services.guard(userId, async () => {
        const now = services.now();
        if (now >= started.expiresAt || clientData.challenge !== challenge || !config.acceptsOrigin(clientData.origin)) return false;
        // Only the user's own passkeys: another user's, however valid its signature, is a wrong answer.
        const passkey = (await passkeysOf(userId, services)).find(({ credential }) => credential.id === response.id);
        if (!passkey) return false;
        const { credential, data } = passkey;
        if (response.response.userHandle !== undefined && response.response.userHandle !== data.userHandle) return false;
        let newCounter: number;
        try {
          const result = await verifyAuthenticationResponse({
            response,
            expectedChallenge: challenge,
            expectedOrigin: clientData.origin,
            expectedRPID: rpId,
            // The library refuses a counter that did not move forward (unless both are 0: authenticators without one).
            credential: {
              id: credential.id,
              publicKey: new Uint8Array(Buffer.from(data.publicKey, 'base64url')),
              counter: data.counter,
              transports: data.transports,
            },
            requireUserVerification: false,
          });
          if (!result.verified) return false;
          newCounter = result.authenticationInfo.newCounter;
        } catch {
          return false;
        }
        // Claimed only once verified, so a cancelled try can be repeated; a replay (even in parallel) signs in once.
        if (!(await services.claimOnce(userId, `passkey:${challenge}`, started.expiresAt - now))) return false;
        await services.credentials.put(userId, { ...credential, lastUsedAt: now, data: encodePasskey({ ...data, counter: newCounter }) });
        return true;
      });
    },
  };
}

function ceremony(options: object, services: MethodServices): Json {
  // The library's options are plain JSON (its own `…JSON` types); this drops undefined members.
  return { options: JSON.parse(JSON.stringify(options)) as Json, expiresAt: services.now() + CHALLENGE_TTL_MS };
}

/** The ceremony kept in the session, or undefined when it is not one (an old or foreign state). */
function readCeremony(value: Json | undefined): Ceremony | undefined {
  if (!isObject(value)) return undefined;
  const { options, expiresAt } = value;
  if (!isObject(options) || typeof options.challenge !== 'string' || typeof expiresAt !== 'number') return undefined;
  const user = options.user;
  const userHandle = isObject(user) && typeof user.id === 'string' ? user.id : undefined;
  return { options, challenge: options.challenge, userHandle, expiresAt };
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The name a user gave a passkey: control and direction-override characters dropped, spaces
 * collapsed; undefined when too long. Unnamed stays '' (the pages call it by the reader's word for it).
 */
function labelFrom(typed: string | undefined): string | undefined {
  const label = (typed ?? '')
    .normalize('NFC')
    .replace(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if ([...label].length > MAX_LABEL_LENGTH) return undefined;
  return label;
}
