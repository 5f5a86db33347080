import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Number of digits in a one-time code. */
export const CODE_LENGTH = 6;

/** A uniformly random 6-digit code from the CSPRNG (randomInt rejects modulo bias). */
export function generateCode(): string {
  return randomInt(0, 10 ** CODE_LENGTH)
    .toString()
    .padStart(CODE_LENGTH, '0');
}

/** A random URL-safe token of `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time string equality (lengths are not secret here: every hash has the same length). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Keyed hashing with one sub-key per purpose, so a hash made for one use (a code) can never be
 * replayed as another (a device token).
 */
export class Hasher {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secret: string) {}

  hash(purpose: string, ...parts: string[]): string {
    const mac = createHmac('sha256', this.key(purpose));
    // Length-prefix each part so ("ab","c") and ("a","bc") never collide.
    for (const part of parts) mac.update(`${part.length}:${part};`);
    return mac.digest('base64url');
  }

  private key(purpose: string): Buffer {
    let key = this.keys.get(purpose);
    if (!key) {
      key = createHmac('sha256', this.secret).update(`express-device-2fa:${purpose}`).digest();
      this.keys.set(purpose, key);
    }
    return key;
  }
}
