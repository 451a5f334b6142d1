import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from '../../domain/shared/clock.js';
import type { Config } from '../config.js';
import { buildContainer, useCases } from '../container.js';
import { closeStores, openStores } from '../stores.js';
import { auth } from './auth.js';
import { registerErrorHandler } from './error-handler.js';
import { registerNoStore } from './no-store.js';
import { clientErrorHandler, frameworkErrors, methodsByPath } from './router-errors.js';
import { registerThrottling } from './throttle.js';
import { createMetrics, registerHttpMetrics } from './metrics.js';
import { blogRoutes } from './routes/blogs.js';
import { listingRoutes } from './routes/listings.js';
import { opsRoutes } from './routes/ops.js';
import { postRoutes } from './routes/posts.js';
import { userRoutes } from './routes/users.js';
import { Problem } from './schemas/common.js';
import { validatorCompiler } from './validation.js';

export interface BuildOptions {
  logger?: Logger | false;
  clock?: Clock;
}

function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The whole service as a Fastify instance; stores open now and close with the app. */
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

  const metrics = createMetrics();
  const container = buildContainer(config, stores, { ...(options.clock ? { clock: options.clock } : {}), metrics });
  const uc = useCases(container);

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
  registerNoStore(app);
  // JSON only: a text/plain body is 415, not a string that fails validation as 400.
  app.removeContentTypeParser('text/plain');
  registerHttpMetrics(app, metrics.registry);
  app.addSchema(Problem);
  app.setValidatorCompiler(validatorCompiler([Problem]));

  await app.register(helmet, {
    // Swagger UI needs inline scripts and styles on /docs only; the API answers JSON.
    // No upgrade-insecure-requests: over plain HTTP on a non-loopback host it sends /docs's
    // assets to https and the page stays blank.
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"], 'upgrade-insecure-requests': null },
    },
  });
  await registerThrottling(app, config.limits);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Agora API', version: '0.1.0', description: 'Social network, blogs and listings over one hexagonal backend.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const deps = { uc, auth: auth(uc.authenticate) };
  await app.register(userRoutes, deps);
  await app.register(postRoutes, deps);
  await app.register(blogRoutes, deps);
  await app.register(listingRoutes, deps);
  await app.register(opsRoutes, { stores, registry: metrics.registry });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  if (config.authSecretGenerated) {
    app.log.warn('AUTH_SECRET is not set: using a random secret, so tokens die with this process');
  }
  return app;
}
