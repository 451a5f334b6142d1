import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import underPressure, { type FastifyUnderPressureOptions } from '@fastify/under-pressure';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/shared/clock.js';
import { ReadOnlyError } from '../../domain/shared/errors.js';
import type { Config } from '../config.js';
import { Authenticate } from '../../domain/users/authenticate.js';
import { buildContainer } from '../container.js';
import { TimelineWorker } from '../timeline-worker.js';
import { APP_MODULES } from '../modules/index.js';
import { closeStores, openStores } from '../stores.js';
import { registerAuth } from './auth.js';
import { registerConventions } from './conventions.js';
import { registerErrorHandler } from './error-handler.js';
import { registerIdempotency } from './idempotency.js';
import { registerNoStore } from './no-store.js';
import { registerSecurityHeaders } from './security-headers.js';
import { refuseLoneSurrogates } from './well-formed.js';
import { clientErrorHandler, frameworkErrors, methodsByPath } from './router-errors.js';
import { registerThrottling } from './throttle.js';
import { createMetrics, registerHttpMetrics, type Metrics } from './metrics.js';
import { opsRoutes } from './routes/ops.js';
import { SHARED_SCHEMAS } from './schemas/index.js';
import { validatorCompiler } from './validation.js';

export interface BuildOptions {
  logger?: Logger | false;
  clock?: Clock;
  /** Where store calls and requests are measured (a test reads them); a new registry by default. */
  metrics?: Metrics;
  /** Load-shedding thresholds over LOAD_SHEDDING's (a test lowers them to see a 503). */
  loadShedding?: Pick<FastifyUnderPressureOptions, 'maxEventLoopDelay' | 'maxEventLoopUtilization' | 'sampleInterval'>;
}

/**
 * Past a mean event-loop delay of 1 s over 5 s the process is too busy to answer in time: /api
 * routes answer 503 UNDER_PRESSURE with Retry-After at once instead of queueing. The 5 s window
 * makes it sustained load, not one stall (a slow start, a long GC pause). Operations routes and
 * /docs keep answering (a liveness probe must not fail for load); no status route is exposed.
 */
const LOAD_SHEDDING = { maxEventLoopDelay: 1_000, sampleInterval: 5_000, retryAfterSeconds: 10 };

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The whole service as a Fastify instance; stores open now and close with the app. */
const WORKERS = new WeakMap<FastifyInstance, TimelineWorker>();

/** The app's timeline worker (tests drain it to see the timelines caught up). */
export function timelineWorkerOf(app: FastifyInstance): TimelineWorker {
  const worker = WORKERS.get(app);
  if (!worker) throw new Error('not an app built by buildApp');
  return worker;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger as FastifyBaseLogger } : { logger: false }),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    routerOptions: { maxParamLength: 200 },
    // A hop count trusts that many proxies in front of the service, nearest first.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    frameworkErrors,
    clientErrorHandler,
  }).withTypeProvider<TypeBoxTypeProvider>();
  const methodsOf = methodsByPath(app);

  const stores = await openStores(config, (store, names) => app.log.info({ store, migrations: names }, 'migrated'));
  app.addHook('onClose', async () => closeStores(stores));

  const metrics = options.metrics ?? createMetrics();
  const container = buildContainer(config, stores, { ...(options.clock ? { clock: options.clock } : {}), metrics, log: app.log as Logger });
  // The timelines' jobs run in the background of the server, from the moment it is ready to its close.
  const worker = container.resolve(TimelineWorker);
  WORKERS.set(app, worker);
  app.addHook('onReady', async () => worker.start());
  app.addHook('preClose', async () => worker.stop());

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Requests in flight at shutdown finish, then their keep-alive sockets close with them,
  // so close() does not wait out the keep-alive timeout.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  registerErrorHandler(app, methodsOf);
  if (config.readOnly) {
    // Every write through the API (log-in included: it stores a session) waits for the end of
    // the maintenance; reads, documentation and operations routes go on.
    app.addHook('onRequest', async (request) => {
      if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && request.url.startsWith('/api/')) throw new ReadOnlyError();
    });
  }
  registerNoStore(app);
  refuseLoneSurrogates(app);
  // JSON only: a text/plain body is 415, not a string that fails validation as 400.
  app.removeContentTypeParser('text/plain');
  registerHttpMetrics(app, metrics.registry);
  // Named schemas (components/schemas in OpenAPI): added before any route refers to them.
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
  app.setValidatorCompiler(validatorCompiler(SHARED_SCHEMAS));

  registerSecurityHeaders(app, {
    // Swagger UI needs inline scripts and styles on /docs only; the API answers JSON.
    // No upgrade-insecure-requests: over plain HTTP on a non-loopback host it sends /docs's
    // assets to https and the page stays blank.
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"], 'upgrade-insecure-requests': null },
    },
  });
  // CORS, ETag, Link and compression: after helmet and the error handler, before throttling (conventions.ts says why).
  await registerConventions(app, config);
  await registerThrottling(app, config.limits);
  await app.register(underPressure, {
    maxEventLoopDelay: LOAD_SHEDDING.maxEventLoopDelay,
    sampleInterval: LOAD_SHEDDING.sampleInterval,
    ...options.loadShedding,
    exposeStatusRoute: false,
    pressureHandler: async (request, reply) => {
      if (!request.url.startsWith('/api/')) return;
      reply.header('retry-after', String(LOAD_SHEDDING.retryAfterSeconds));
      throw Object.assign(new Error('The server is under pressure'), { code: 'FST_UNDER_PRESSURE', statusCode: 503 });
    },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Agora API', version: '0.1.0', description: 'Social network, blogs and listings over one hexagonal backend.' },
      // Relative: the host that serves this document (OpenAPI's default, stated for client generators).
      servers: [{ url: '/', description: 'The host serving this document' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  registerAuth(app, container.resolve(Authenticate));
  registerIdempotency(app, { stores, config, container, metrics });
  // Each module's routes get its own use cases only.
  for (const module of APP_MODULES) {
    await module.mount(app, container, config);
  }
  await app.register(opsRoutes, { stores, registry: metrics.registry, storeTimeoutMs: config.storeTimeoutMs });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (config.authSecretGenerated) {
    app.log.warn('AUTH_SECRET is not set: using a random secret, so tokens die with this process');
  }
  return app;
}
