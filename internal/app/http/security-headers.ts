import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers on every answer, from a middleware built once at start-up.
 * @fastify/helmet (13.2) builds helmet's middleware anew on every request, parsing every
 * directive again: 7.6% of the server's CPU on a following page, profiled at 1M posts. The
 * headers and their values are helmet's own either way (`test/http/router-errors.test.ts`
 * compares them with the ones written where no hook runs).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const apply = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    apply(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
