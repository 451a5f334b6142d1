import { ConfigError, loadConfig } from '../internal/app/config.js';
import { buildApp } from '../internal/app/http/app.js';
import { createLogger } from '../internal/app/logger.js';

/**
 * The service as cmd/server.ts runs it, plus one bench-only route: /bench/baseline answers a
 * precomputed copy of the first feed page from the same Fastify setup (hooks, helmet, metrics),
 * so each endpoint's req/s can be reported as a ratio to it. Never part of the real server.
 */
try {
  const config = loadConfig();
  const app = await buildApp(config, { logger: createLogger(config) });
  let baseline = '{}';
  app.get('/bench/baseline', { schema: { hide: true } }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(baseline));
  await app.ready();
  baseline = (await app.inject('/api/posts?limit=10')).body;
  await app.listen({ host: config.host, port: config.port });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`agora: ${err.message}`);
  process.exit(1);
}
