import type { ChallengeRecord, IndexedSession, StoredDevice } from '../core/store';
import type { DeliveryMethod, TrustedDevice } from '../types';

/*
 * How RedisStore packs its records (redis-keys.ts says where they live). Redis spends about 140 bytes
 * on every key whatever it holds, so a user's trusted devices share one string and so do their
 * challenges and send times; a record is a line of tab-separated fields rather than a hash or JSON:
 *
 *   trusted device  id, expiresAt, createdAt, lastUsedAt, secret hash, label[, placeHint]
 *   challenge       id, expiresAt, lifetime (expiresAt − sentAt: shorter than a time), attempts, code hash, method, destination
 *   session entry   expiresAt, createdAt, label[, placeHint]   (a hash field named by the session id)
 *
 * Every line of a string starts with its id and expiry, which is all the Lua scripts need to find a
 * record and sweep expired ones. Times are milliseconds in base 36 (eight digits until 2059); send
 * times (the challenges string's first line, a quota bucket's string) are nine digits each, run
 * together, so a binary search finds where a rate window starts (redis-scripts.ts). Text
 * from outside (ids, labels, destinations, place hints) has "%", tab and newline percent-escaped, so
 * it can never split a record. Hashes are kept to their first 22 characters (132 bits of the HMAC):
 * far beyond guessing, and what keeps a trusted device under 250 bytes.
 */

/** 1-based field positions, as the Lua scripts index them. */
export const DEVICE = { id: 1, expiresAt: 2, createdAt: 3, lastUsedAt: 4, secretHash: 5, label: 6, placeHint: 7 } as const;
export const CHALLENGE = { id: 1, expiresAt: 2, lifetime: 3, attempts: 4, codeHash: 5, method: 6, destination: 7 } as const;

const VERIFIER_LENGTH = 22;

/** The part of a keyed hash (base64url) that the store keeps and compares. */
export function verifier(hash: string): string {
  return hash.slice(0, VERIFIER_LENGTH);
}

export function time36(ms: number): string {
  return ms.toString(36);
}

function fromTime36(text: string | undefined): number {
  return parseInt(text ?? '', 36);
}

export function escapeText(text: string): string {
  return text.replace(/[%\t\n]/g, (c) => encodeURIComponent(c));
}

function unescapeText(text: string): string {
  return text.replace(/%(?:25|09|0A)/g, (c) => decodeURIComponent(c));
}

function line(fields: readonly string[]): string {
  return fields.join('\t');
}

/** The fields of a record line, in the order of DEVICE or CHALLENGE (0-based here). */
function fieldsOf(record: string): string[] {
  return record.split('\t');
}

export function encodeDevice(device: StoredDevice): string {
  const fields = [
    escapeText(device.id),
    time36(device.expiresAt),
    time36(device.createdAt),
    time36(device.lastUsedAt),
    verifier(device.secretHash),
    escapeText(device.label),
  ];
  if (device.placeHint) fields.push(escapeText(device.placeHint));
  return line(fields);
}

export function decodeDevice(userId: string, record: string): TrustedDevice {
  const [id = '', expiresAt, createdAt, lastUsedAt, , label = '', placeHint] = fieldsOf(record);
  const device: TrustedDevice = {
    id: unescapeText(id),
    userId,
    label: unescapeText(label),
    createdAt: fromTime36(createdAt),
    lastUsedAt: fromTime36(lastUsedAt),
    expiresAt: fromTime36(expiresAt),
  };
  if (placeHint) device.placeHint = unescapeText(placeHint);
  return device;
}

/** A string of records: one per line (an empty string holds none). */
export function recordsOf(text: string | null): string[] {
  return text ? text.split('\n') : [];
}

export function encodeChallenge(challengeId: string, challenge: ChallengeRecord): string {
  const { expiresAt, sentAt, codeHash, method, destination } = challenge;
  return line([
    escapeText(challengeId),
    time36(expiresAt),
    time36(expiresAt - sentAt),
    '0',
    verifier(codeHash),
    method,
    escapeText(destination),
  ]);
}

export function decodeChallenge(record: string): Omit<ChallengeRecord, 'codeHash'> {
  const [, expiresAt, lifetime, , , method, destination = ''] = fieldsOf(record);
  const expiry = fromTime36(expiresAt);
  return {
    method: method as DeliveryMethod,
    destination: unescapeText(destination),
    sentAt: expiry - fromTime36(lifetime),
    expiresAt: expiry,
  };
}

/** A session index entry's value (its hash field is the session id). */
export function encodeSession(session: IndexedSession): string {
  const fields = [time36(session.expiresAt), time36(session.createdAt), escapeText(session.label)];
  if (session.placeHint) fields.push(escapeText(session.placeHint));
  return line(fields);
}

/** Entries written before issue 13 are JSON: read as they are, they expire with their sessions. */
export function decodeSession(id: string, value: string): IndexedSession {
  if (value.startsWith('{')) return JSON.parse(value) as IndexedSession;
  const [expiresAt, createdAt, label = '', placeHint] = fieldsOf(value);
  const session: IndexedSession = { id, createdAt: fromTime36(createdAt), label: unescapeText(label), expiresAt: fromTime36(expiresAt) };
  if (placeHint) session.placeHint = unescapeText(placeHint);
  return session;
}
