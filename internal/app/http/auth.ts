import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Authenticate, Authenticated } from '../../domain/users/authenticate.js';
import type { User } from '../../domain/users/user.js';

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  return match[1];
}

export interface Auth {
  /** The caller, or null when no token was sent; a bad token is a 401 even on public routes. */
  optional(request: FastifyRequest): Promise<User | null>;
  required(request: FastifyRequest): Promise<User>;
  /** The caller and the session their token names (for log-out); 401 without a valid token. */
  session(request: FastifyRequest): Promise<Authenticated>;
}

export function auth(authenticate: Authenticate): Auth {
  const session = async (request: FastifyRequest): Promise<Authenticated | null> => {
    const token = bearer(request);
    return token === undefined ? null : authenticate.execute(token);
  };
  return {
    async optional(request) {
      return (await session(request))?.user ?? null;
    },
    async required(request) {
      const caller = await session(request);
      if (!caller) throw new UnauthenticatedError();
      return caller.user;
    },
    async session(request) {
      const caller = await session(request);
      if (!caller) throw new UnauthenticatedError();
      return caller;
    },
  };
}
