import { StoreUnavailableError, TwoFactorError } from '../errors';

/**
 * Wraps a store or adapter so that any failure (a thrown error, a rejected promise, or no answer
 * within `timeoutMs`) surfaces as a StoreUnavailableError. Callers then have one error to turn into
 * a 503: nobody gets past the step while the state behind it cannot be read, and nobody waits
 * forever on a client that queues commands while Redis is away.
 */
export function failClosed<T extends object>(target: T, timeoutMs: number): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => withTimeout(Promise.resolve().then(() => value.apply(object, args)), timeoutMs).catch(rethrow);
    },
  });
}

/**
 * `work`, or a rejection once `timeoutMs` pass without an answer. The timer never keeps the process
 * alive and is cleared as soon as `work` settles.
 */
export function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function rethrow(error: unknown): never {
  // Errors of our own (a refused one-way write, say) keep their meaning; anything else means unavailable.
  throw error instanceof TwoFactorError ? error : new StoreUnavailableError(error);
}
