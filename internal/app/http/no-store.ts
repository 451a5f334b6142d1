import type { FastifyInstance } from 'fastify';

/**
 * Answers to a request that carries credentials are private to the caller: `Cache-Control:
 * no-store` keeps every cache (browser, proxy, CDN) from keeping them. The hook looks only at
 * the header, so it costs no store trip and covers routes that never authenticate; a request
 * whose token turns out invalid gets a 401 problem, which is no-store too.
 * Register it on the root instance before the routes.
 */
export function registerNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    if (request.headers.authorization !== undefined) reply.header('cache-control', 'no-store');
  });
}
