import { ConfigError, loadConfig } from '../internal/app/config.js';
import { buildApp, timelineWorkerOf } from '../internal/app/http/app.js';
import { createLogger } from '../internal/app/logger.js';

/**
 * The service as cmd/server.ts runs it, plus two bench-only routes, never part of the real server:
 * - GET /bench/baseline answers a precomputed copy of the first feed page from the same Fastify
 *   setup (hooks, helmet, metrics), so each endpoint's req/s can be reported as a ratio to it;
 * - POST /bench/drain runs the timeline worker's due jobs (builds, fan-outs, follows) to the end
 *   and answers `{ ms }`, how long that took: the bench waits for the background work an
 *   endpoint left before it measures the next thing, and reports its time.
 */
try {
  const config = loadConfig();
  const app = await buildApp(config, { logger: createLogger(config) });
  let baseline = '{}';
  app.get('/bench/baseline', { schema: { hide: true } }, async (_request, reply) => reply.type('application/json; charset=utf-8').send(baseline));
  app.post('/bench/drain', { schema: { hide: true } }, async () => {
    const started = performance.now();
    await timelineWorkerOf(app).drain();
    return { ms: Math.round(performance.now() - started) };
  });
  await app.ready();
  baseline = (await app.inject('/api/posts?limit=10')).body;
  await app.listen({ host: config.host, port: config.port });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void app.close().then(() => process.exit(0)));
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`agora: ${err.message}`);
  process.exit(1);
}
