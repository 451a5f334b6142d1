import type { FastifyRequest } from 'fastify';
import { UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Authenticate } from '../../domain/users/authenticate.js';
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
}

export function auth(authenticate: Authenticate): Auth {
  const optional = async (request: FastifyRequest) => {
    const token = bearer(request);
    return token === undefined ? null : authenticate.execute(token);
  };
  return {
    optional,
    async required(request) {
      const user = await optional(request);
      if (!user) throw new UnauthenticatedError();
      return user;
    },
  };
}
