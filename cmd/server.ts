import closeWithGrace from 'close-with-grace';
import { buildApp } from '../internal/app/http/app.js';
import { exitOnStartupError, failWith, listenErrorLine, parseCommandLine } from '../internal/app/cli.js';
import { loadConfig, type Config } from '../internal/app/config.js';
import { createLogger } from '../internal/app/logger.js';
import { STORES } from '../internal/app/registry.js';

const USAGE = `Usage: npm start [-- --help]

Serves the Agora HTTP API. It takes no arguments: environment variables configure it (the
full list is in README.md, "Configuration"), for example:

  PORT, HOST       where it listens (default 3000 on 127.0.0.1)
  STORAGE          the store behind every module: ${STORES.map((d) => d.kind).join(', ')} (default ${STORES[0].kind})
  STORAGE_<MODULE> a module in another store (USERS, FOLLOWS, POSTS, BLOGS, LISTINGS)
  ${STORES.map((d) => d.location).join(', ')}
                   where each store is (SQLite: a file, or :memory: by default)
  AUTO_MIGRATE     true: apply pending migrations at start (else run "npm run migrate")
  AUTH_SECRET      the key that signs tokens (required when NODE_ENV=production)

Options:
  -h, --help       print this help and exit

Exit status: 0 after SIGTERM or SIGINT (in-flight requests finish first); 1 when a variable is
bad, a store cannot be reached or opened, or the port or host cannot be listened on (one line on
stderr naming the variable); 2 for a bad command line.`;

parseCommandLine({ command: 'agora', usage: USAGE, options: {} });

let config: Config;
let app: Awaited<ReturnType<typeof buildApp>>;
try {
  config = loadConfig();
  app = await buildApp(config, { logger: createLogger(config) });
} catch (err) {
  exitOnStartupError(err);
  throw err;
}
app.server.keepAliveTimeout = 72_000;
app.server.requestTimeout = 30_000;
closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  if (err) app.log.error({ err }, 'shutting down after an error');
  else app.log.info({ signal }, 'shutting down');
  await app.close();
});
try {
  await app.listen({ host: config.host, port: config.port });
} catch (err) {
  const line = listenErrorLine(err, config.host, config.port);
  if (line === null) throw err;
  await app.close().catch(() => {});
  failWith('agora', line);
}
