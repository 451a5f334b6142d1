import closeWithGrace from 'close-with-grace';
import { buildApp } from '../internal/app/http/app.js';
import { ConfigError, loadConfig } from '../internal/app/config.js';
import { createLogger } from '../internal/app/logger.js';

try {
  const config = loadConfig();
  const logger = createLogger(config);
  const app = await buildApp(config, { logger });
  app.server.keepAliveTimeout = 72_000;
  app.server.requestTimeout = 30_000;
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error');
    else app.log.info({ signal }, 'shutting down');
    await app.close();
  });
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`agora: ${err.message}`);
  process.exit(1);
}
