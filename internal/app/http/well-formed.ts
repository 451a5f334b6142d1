import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../../domain/shared/errors.js';

type Part = 'params' | 'querystring' | 'body';

/** The path of the first string in `value` holding a lone UTF-16 surrogate, or null. Iterative: depth costs no stack. */
function firstIllFormed(value: unknown, root: string): string | null {
  const stack: Array<[unknown, string]> = [[value, root]];
  while (stack.length > 0) {
    const [item, path] = stack.pop()!;
    if (typeof item === 'string') {
      if (!(item as string & { isWellFormed(): boolean }).isWellFormed()) return path;
    } else if (Array.isArray(item)) {
      item.forEach((child, i) => stack.push([child, `${path}.${i}`]));
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) stack.push([child, path ? `${path}.${key}` : key]);
    }
  }
  return null;
}

/**
 * Lone surrogates (half an emoji, as `"\ud83d"` in JSON) are refused in every part of every
 * request before validation: no store or text rule has to cope with them. (The schemas' text
 * pattern cannot say it in a form every OpenAPI tool reads, so it is said here.)
 */
export function refuseLoneSurrogates(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts: Array<[Part, unknown]> = [['params', request.params], ['querystring', request.query], ['body', request.body]];
    for (const [part, value] of parts) {
      const path = firstIllFormed(value, '');
      if (path !== null) throw ValidationError.field(path || part, 'must not contain lone surrogates (half a character)');
    }
  });
}
