import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { wrapMethods } from '../../../adapters/shared/guard.js';

export interface Metrics {
  registry: Registry;
  storeQuery: Histogram<'store' | 'repository' | 'method'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const storeQuery = new Histogram({
    name: 'agora_store_query_duration_seconds',
    help: 'Latency of repository calls, by store, repository and method',
    labelNames: ['store', 'repository', 'method'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, storeQuery };
}

/** Request counts and latency by route template (never the raw URL: ids would explode the label set). */
export function registerHttpMetrics(app: FastifyInstance, registry: Registry): void {
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'agora_http_requests_total', help: 'HTTP requests', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'agora_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });
}

/** Wraps a repository so every call is timed into `agora_store_query_duration_seconds`. */
export function instrument<T extends object>(target: T, store: string, repository: string, metrics: Metrics): T {
  // One labelled child per method: a call costs a timer, not a label lookup.
  return wrapMethods(target, (method, name) => {
    const timer = metrics.storeQuery.labels({ store, repository, method: name });
    return async (...args) => {
      const end = timer.startTimer();
      try {
        return await method(...args);
      } finally {
        end();
      }
    };
  });
}
