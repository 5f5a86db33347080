import { StoreUnavailableError, TwoFactorError } from '../errors';
import { withDeadline } from './deadline';

/**
 * Wraps a store or adapter so that any failure (a thrown error, a rejected promise, or no answer
 * within `timeoutMs`) surfaces as a StoreUnavailableError. Callers then have one error to turn into
 * a 503: nobody gets past the step while the state behind it cannot be read, and nobody waits
 * forever on a client that queues commands while Redis is away.
 */
export function failClosed<T extends object>(
  target: T,
  timeoutMs: number,
  onFailure?: (method: string, args: unknown[], error: unknown) => void,
): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        withDeadline(
          Promise.resolve().then(() => value.apply(object, args)),
          timeoutMs,
          noAnswer(timeoutMs),
        ).catch((error: unknown) => {
          // Refusals of our own are answers, not failures: only the others are worth a log line.
          if (!(error instanceof TwoFactorError)) onFailure?.(String(property), args, error);
          return rethrow(error);
        });
    },
  });
}

/** The error of a wait that ran out. */
export function noAnswer(timeoutMs: number): () => Error {
  return () => new Error(`no answer within ${timeoutMs} ms`);
}

function rethrow(error: unknown): never {
  // Errors of our own (a refused one-way write, say) keep their meaning; anything else means unavailable.
  throw error instanceof TwoFactorError ? error : new StoreUnavailableError(error);
}
