import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Named } from '../schemas/common.js';
import { Health } from '../schemas/ops.js';
import type { Registry } from 'prom-client';
import type { Stores } from '../../stores.js';

/** The longest /readyz waits for a store's ping: STORE_TIMEOUT_MS, but never more than 2 s. */
const READY_PING_MAX_MS = 2_000;

export const opsRoutes: FastifyPluginAsyncTypebox<{ stores: Stores; registry: Registry; storeTimeoutMs?: number }> = async (
  app,
  { stores, registry, storeTimeoutMs },
) => {
  const tags = ['operations'];
  const pingLimitMs = Math.min(storeTimeoutMs ?? READY_PING_MAX_MS, READY_PING_MAX_MS);

  app.get('/healthz', { schema: { operationId: 'getLiveness', tags, summary: 'Liveness', response: { 200: Named(Health) } } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { operationId: 'getReadiness', tags, summary: 'Readiness: every configured store answers', response: { 200: Named(Health), 503: Named(Health) } } }, async (_request, reply) => {
    const results = await Promise.all(
      [...stores].map(async ([kind, store]) => {
        try {
          await Promise.race([store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), pingLimitMs).unref())]);
          return [kind, 'up'] as const;
        } catch {
          return [kind, 'down'] as const;
        }
      }),
    );
    const ready = results.every(([, state]) => state === 'up');
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', stores: Object.fromEntries(results) });
  });

  app.get('/metrics', { schema: { operationId: 'getMetrics', tags, summary: 'Prometheus metrics (text exposition format)', response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } } } } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
};
