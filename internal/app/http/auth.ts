import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { UnauthenticatedError } from '../../domain/shared/errors.js';
import type { Authenticate } from '../../domain/users/authenticate.js';
import type { SessionRef } from '../../domain/users/session.js';
import type { User } from '../../domain/users/user.js';
import { problemResponse } from './schemas/common.js';

/**
 * Who may call a route, declared once on it (`config: { auth: 'required' }`): `public` (the
 * default) ignores any token; `optional` knows the caller when a token comes; `required` refuses
 * a request without one. A bad token is a 401 on `optional` routes too.
 */
export type AuthMode = 'public' | 'optional' | 'required';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthMode;
    /**
     * The route's use case confirms the token's session itself, in the store call that reads its
     * answer (one call, not two): the preHandler checks only the token's signature and expiry
     * and sets `request.claim`, never `request.user`. The handler must hand the claim on.
     */
    confirmsSession?: boolean;
  }
  interface FastifyRequest {
    /** The caller: never null on `required` routes; null on `optional` ones without a token, and on public ones. */
    user: User | null;
    /** The session the caller's token names (for log-out); null when `user` is. */
    sessionId: string | null;
    /** On `confirmsSession` routes: the session a well-signed, unexpired token names, not yet confirmed live. */
    claim: SessionRef | null;
  }
}

/** What OpenAPI shows for each mode: `{}` in the list makes the token optional. */
const SECURITY: Record<AuthMode, Array<Record<string, string[]>>> = {
  public: [],
  optional: [{ bearer: [] }, {}],
  required: [{ bearer: [] }],
};

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * The one place requests are authenticated: each route's `auth` declaration sets its OpenAPI
 * `security` (and its 401 answer), and a preHandler sets `request.user` from the bearer token
 * (or `request.claim`, on a route that confirms the session with its own read).
 * It runs after validation and after the rate limits, so a throttled or malformed request costs
 * no store call. Register it on the root instance before the routes.
 */
export function registerAuth(app: FastifyInstance, authenticate: Authenticate): void {
  app.decorateRequest('user', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('claim', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const mode = route.config?.auth ?? 'public';
    if (!route.schema) return;
    route.schema.security = SECURITY[mode];
    const responses = route.schema.response as Record<number, unknown> | undefined;
    if (mode !== 'public' && responses) responses[401] ??= problemResponse(401);
  });

  app.addHook('preHandler', async (request) => {
    const mode = request.routeOptions.config.auth ?? 'public';
    if (mode === 'public') return;
    const token = bearer(request);
    if (token === undefined) {
      if (mode === 'required') throw new UnauthenticatedError();
      return;
    }
    if (request.routeOptions.config.confirmsSession) {
      request.claim = await authenticate.claim(token);
      return;
    }
    const { user, sessionId } = await authenticate.execute(token);
    request.user = user;
    request.sessionId = sessionId;
  });
}
