import { StoreUnavailableError } from '../../internal/domain/shared/errors.js';

/** The default of STORE_TIMEOUT_MS: the longest one store call may take. */
export const DEFAULT_STORE_TIMEOUT_MS = 5_000;

/** A store call that had not settled when its time limit ran out. */
export class StoreTimeoutError extends Error {
  readonly code = 'STORE_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'StoreTimeoutError';
  }
}

/**
 * `work`, unless `timeoutMs` passes first: then a StoreTimeoutError. This bounds only the wait;
 * the drivers' own limits are what free the connection behind it. The timer never keeps the
 * process alive and is cleared as soon as `work` settles.
 */
export function withinTimeLimit<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreTimeoutError(timeoutMs)), timeoutMs);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

/**
 * Wraps every method of a repository so that a failure the store's classifier calls a lost
 * connection becomes StoreUnavailableError (503), and everything else passes through.
 * One place per store family, instead of a try/catch in every query.
 *
 * With `timeoutMs`, a call still unsettled after that long also becomes a 503: the last line
 * of defence behind the drivers' time limits (a server that accepts connections and never
 * answers must not hold a request for longer).
 */
export function guard<T extends object>(store: string, target: T, isUnavailable: (err: unknown) => boolean, timeoutMs?: number): T {
  return wrapMethods(target, (method) => async (...args) => {
    try {
      const result = method(...args);
      return await (timeoutMs === undefined ? result : withinTimeLimit(Promise.resolve(result), timeoutMs));
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      if (err instanceof StoreTimeoutError || isUnavailable(err)) throw new StoreUnavailableError(store, err);
      throw err;
    }
  });
}

type Method = (...args: unknown[]) => unknown;

/**
 * `target` with each of its methods replaced by `wrap(method bound to target, its name)`, made
 * once per method on first use (not a closure per call); other properties pass through.
 */
export function wrapMethods<T extends object>(target: T, wrap: (method: Method, name: string) => (...args: unknown[]) => Promise<unknown>): T {
  const wrappers = new Map<PropertyKey, (...args: unknown[]) => Promise<unknown>>();
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(prop);
      if (!wrapper) {
        wrapper = wrap((...args) => (value as Method).apply(obj, args), String(prop));
        wrappers.set(prop, wrapper);
      }
      return wrapper;
    },
  });
}
