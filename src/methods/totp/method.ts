import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import { normaliseCode } from '../../core/challenges';
import type { Enrolment, Json, Method, MethodServices } from '../../core/method';
import { randomToken } from '../../core/secrets';
import type { LoadedUser } from '../../core/users';
import type { TotpWords } from './strings';

declare module '../../core/method' {
  interface MethodIds {
    totp: true;
  }
  interface MethodOptions {
    /** `false`: no authenticator app is offered. Default `true`. */
    totp?: boolean;
  }
}

declare module '../../views/method-view' {
  interface MethodWordsById {
    totp: TotpWords;
  }
}

/** Why a set-up was refused: a key of the table's `enrolment.refused`. */
type Refusal = keyof TotpWords['enrolment']['refused'];

function refuse(refused: Refusal, ...args: number[]): { ok: false; refused: Refusal; args?: number[] } {
  return args.length > 0 ? { ok: false, refused, args } : { ok: false, refused };
}

/** What every authenticator app supports (several ignore anything else in the QR code). */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;

/** 160 bits: RFC 4226's recommended secret length, the size of a SHA-1 block's key. */
const SECRET_BYTES = 20;

/** Codes of the step before and after the current one are accepted (clock drift, typing time). */
const WINDOW = 1;

/**
 * How long a used step stays claimed: a code names one step, which is accepted until the step after
 * it ends, at most `2 * WINDOW + 1` periods from now.
 */
const CLAIM_TTL_MS = (2 * WINDOW + 1) * TOTP_PARAMETERS.period * 1000;

export const LABEL_MAX_LENGTH = 64;

/** What the set-up page shows (the `present` of the enrolment). */
export type TotpSetup = {
  /** The otpauth:// URI as a QR code, an <svg> made by the qrcode package. */
  qrSvg: string;
  /** The secret in base32, in groups of four, for typing in by hand. */
  key: string;
  /** The user already has an authenticator app, which this one replaces. */
  replaces: boolean;
};

/** A new secret from the CSPRNG, in base32 (what authenticator apps take). */
export function newSecret(): string {
  return new Secret({ buffer: Uint8Array.from(randomBytes(SECRET_BYTES)).buffer }).base32;
}

function totp(secret: string, issuer = '', label = 'OTPAuth'): TOTP {
  return new TOTP({ ...TOTP_PARAMETERS, issuer, label, secret: Secret.fromBase32(secret) });
}

/** The time step (counter) whose code is `code`, within one step of `now`, or null. Constant-time comparison (otpauth). */
export function matchingStep(secret: string, code: string, now: number): number | null {
  const otp = totp(secret);
  const delta = otp.validate({ token: code, timestamp: now, window: WINDOW });
  return delta === null ? null : otp.counter({ timestamp: now }) + delta;
}

/**
 * The URI authenticator apps read from the QR code: issuer = the site, label = the user's email.
 * Apps split the label at its first colon ("Issuer:account"), so the site's name loses any.
 */
export function otpauthUri(secret: string, siteName: string, email: string): string {
  const issuer = siteName.replace(/:/g, ' ').replace(/\s+/g, ' ').trim();
  return totp(secret, issuer, email).toString();
}

/** "JBSW Y3DP EHPK 3PXP": easier to read and type than 32 letters in a row. */
export function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** The box a user's secret is sealed in names the user: a box copied to another user never opens. */
function sealContext(userId: string): string {
  return `totp:${userId}`;
}

/** Whether the step was not used yet, claiming it: each code works once, sign-in and set-up alike. */
function claimStep(userId: string, step: number, services: MethodServices): Promise<boolean> {
  return services.claimOnce(userId, `totp:${step}`, CLAIM_TTL_MS);
}

/** The secret in a sealed box, or null when the box does not open (tampered, another user's, another `secret`). */
function openSecret(sealed: string, userId: string, services: MethodServices): string | null {
  try {
    return services.open(sealed, sealContext(userId));
  } catch {
    return null;
  }
}

/** The sealed secret an enrolment keeps in the flow state, or null when `pending` is not one. */
function pendingBox(pending: Json): string | null {
  return typeof pending === 'object' && pending !== null && !Array.isArray(pending) && typeof pending.sealed === 'string'
    ? pending.sealed
    : null;
}

/** The secret of the user's authenticator (the newest, should an interrupted replacement have left two), or null. */
async function enrolledSecret(userId: string, services: MethodServices): Promise<string | null> {
  // Listed oldest first.
  const newest = (await services.credentials.list(userId, 'totp')).at(-1);
  return newest ? openSecret(newest.data, userId, services) : null;
}

/** The name the user typed, spaces tidied; empty means the default. */
function tidyLabel(typed: string | undefined): string {
  return (typed ?? '').replace(/[\s\p{Cc}]+/gu, ' ').trim();
}

const enrolment: Enrolment = {
  async begin(user, services) {
    return { pending: { sealed: services.seal(newSecret(), sealContext(user.identity.id)) } };
  },

  async present(user, pending, services) {
    const box = pendingBox(pending);
    const secret = box === null ? null : openSecret(box, user.identity.id, services);
    // The view says the set-up expired (and offers to start again) for anything but a setup.
    if (secret === null) return null;
    const uri = otpauthUri(secret, services.siteName, user.identity.email);
    const shown: TotpSetup = {
      qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 }),
      key: groupKey(secret),
      replaces: user.settings.enrolled?.includes('totp') === true,
    };
    return shown;
  },

  // Not behind the lock-out: the user holds the new secret already, so guesses here gain nothing
  // (and a typo must not lock them out of signing in). A right code's step is claimed all the same,
  // so the code that turned the app on cannot also sign in.
  async finish(user, pending, answer, services) {
    const userId = user.identity.id;
    const box = pendingBox(pending);
    const secret = box === null ? null : openSecret(box, userId, services);
    if (box === null || secret === null) return refuse('expired');
    const label = tidyLabel(answer.label);
    if ([...label].length > LABEL_MAX_LENGTH) return refuse('nameTooLong', LABEL_MAX_LENGTH);
    const code = normaliseCode(answer.code ?? '');
    if (code === null) return refuse('malformed');
    const now = services.now();
    const step = matchingStep(secret, code, now);
    if (step === null) return refuse('wrong');
    if (!(await claimStep(userId, step, services))) return refuse('used');
    const previous = await services.credentials.list(userId, 'totp');
    // Unnamed stays unnamed (''): the pages call it by the reader's word for it.
    const credential = { id: randomToken(16), method: 'totp', label, createdAt: now, lastUsedAt: null, data: box };
    // The new one first: a failure in between leaves the user with an authenticator, never none.
    await services.credentials.put(userId, credential);
    await Promise.all(previous.map((old) => services.credentials.remove(userId, 'totp', old.id)));
    return { ok: true, credential };
  },
};

/** A code from an authenticator app (TOTP, RFC 6238). */
export const totpMethod: Method = {
  id: 'totp',
  answer: 'code',
  resendable: false,
  enrolment,
  usableBy: (user: LoadedUser) => user.settings.enrolled?.includes('totp') === true,
  // Nothing to send; the app lists the code under the site's name.
  start: async (_input, services) => ({ status: 'ready', destination: services.siteName }),
  async check({ userId, answer }, services) {
    const code = normaliseCode(answer.code ?? '');
    if (code === null) return { status: 'malformed' };
    return services.guard(userId, async () => {
      const secret = await enrolledSecret(userId, services);
      const step = secret === null ? null : matchingStep(secret, code, services.now());
      return step !== null && (await claimStep(userId, step, services));
    });
  },
};
