import { StoreUnavailableError, TwoFactorError } from '../errors';

/**
 * Wraps a store or settings adapter so that any failure (a thrown error or a rejected promise)
 * surfaces as a StoreUnavailableError. Callers then have one error to turn into a 503: nobody gets
 * past the step while the state behind it cannot be read.
 */
export function failClosed<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve(value.apply(object, args)).catch(rethrow);
        } catch (error) {
          return Promise.reject(wrap(error));
        }
      };
    },
  });
}

function rethrow(error: unknown): never {
  throw wrap(error);
}

// Errors of our own (a refused one-way write, say) keep their meaning; anything else means unavailable.
function wrap(error: unknown): Error {
  return error instanceof TwoFactorError ? error : new StoreUnavailableError(error);
}
