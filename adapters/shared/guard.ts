import { StoreUnavailableError } from '../../internal/domain/shared/errors.js';

/**
 * Wraps every method of a repository so that a failure the store's classifier calls a lost
 * connection becomes StoreUnavailableError (503), and everything else passes through.
 * One place per store family, instead of a try/catch in every query.
 */
export function guard<T extends object>(store: string, target: T, isUnavailable: (err: unknown) => boolean): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (err) {
          if (err instanceof StoreUnavailableError || !isUnavailable(err)) throw err;
          throw new StoreUnavailableError(store, err);
        }
      };
    },
  });
}
