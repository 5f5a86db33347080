import type { Request } from 'express';
import { TwoFactorError } from '../errors';

/** A form the library cannot use; answered with its status and a message page, never a 500. */
export class BadFormError extends TwoFactorError {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super('ERR_2FA_BAD_FORM', message);
  }
}

const LIMIT_BYTES = 8 * 1024;

/**
 * The posted form as string fields. Uses the host's body parser result when there is one (checking
 * every field is a plain string), otherwise reads the urlencoded body itself with a small limit.
 */
export async function readForm(req: Request): Promise<Record<string, string>> {
  const parsed: unknown = (req as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null && (typeof parsed !== 'object' || Object.keys(parsed).length > 0 || req.readableEnded)) {
    return onlyStrings(parsed);
  }
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    ?.trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new BadFormError(415, 'Send the form as application/x-www-form-urlencoded.');
  const body = await readBody(req);
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (Object.hasOwn(fields, key)) throw new BadFormError(400, `The form field "${key}" was sent more than once.`);
    fields[key] = value;
  }
  return fields;
}

function onlyStrings(parsed: unknown): Record<string, string> {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new BadFormError(400, 'The form could not be read.');
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== 'string') throw new BadFormError(400, `The form field "${key}" must be text.`);
    fields[key] = value;
  }
  return fields;
}

function readBody(req: Request): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (declared > LIMIT_BYTES) return Promise.reject(new BadFormError(413, 'The form is too large.'));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMIT_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BadFormError(413, 'The form is too large.'));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
