import { defineStore, requiredUrl, SettingsError, urlLocator, variable, type Env, type IsolatedDatabase } from '../shared/store.js';

export interface RedisSettings {
  url: string;
  /** REDIS_KEY_PREFIX: before every key (default "agora:"). */
  keyPrefix: string;
}

const PROTOCOLS = ['redis:', 'rediss:'];

function keyPrefix(env: Env): string {
  const prefix = variable(env, 'REDIS_KEY_PREFIX') ?? 'agora:';
  // A brace would change the hash tags the keys are grouped by (see keys.ts).
  if (/[{}]/.test(prefix)) throw new SettingsError(`REDIS_KEY_PREFIX="${prefix}" is invalid: it must not contain { or }`);
  return prefix;
}

/** Deletes every key under `prefix` (SCAN, then UNLINK: the server frees them in the background). */
async function deleteKeys(url: string, prefix: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { connectTimeout: 5_000, commandTimeout: 30_000, maxRetriesPerRequest: 1 });
  try {
    const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/**
 * Redis (6.2 or later) through ioredis, for the timelines alone: they are derived data, rebuilt
 * on a reader's next read, and their job queue is as durable as the server's persistence (run
 * it with the append-only file, as docker-compose.yml and test/services/redis.sh do).
 */
export const redis = defineStore({
  kind: 'redis',
  variables: ['REDIS_URL', 'REDIS_KEY_PREFIX'],
  location: 'REDIS_URL',
  locate: urlLocator('REDIS_URL', PROTOCOLS),
  modules: ['timelines'],
  settings: (env: Env): RedisSettings => ({ url: requiredUrl(env, 'REDIS_URL', PROTOCOLS, 'redis'), keyPrefix: keyPrefix(env) }),
  async open(settings: RedisSettings, { timeoutMs }) {
    const { RedisStore } = await import('./redis-store.js');
    return RedisStore.open({ ...settings, timeoutMs });
  },
  testing: {
    server: {
      script: 'test/services/redis.sh',
      async container() {
        const { GenericContainer, Wait } = await import('testcontainers');
        const c = await new GenericContainer('redis:7-alpine')
          .withCommand(['redis-server', '--appendonly', 'yes'])
          .withExposedPorts(6379)
          .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
          .start();
        return { env: { REDIS_URL: `redis://${c.getHost()}:${c.getMappedPort(6379)}` }, source: 'testcontainers redis:7-alpine', stop: () => c.stop() };
      },
    },
    // Databases are key prefixes: a server has only 16 numbered ones, and runs make many.
    database(server: Env, name: string): IsolatedDatabase {
      const url = requiredUrl(server, 'REDIS_URL', PROTOCOLS, 'redis');
      const prefix = `agora:${name}:`;
      return { env: { REDIS_KEY_PREFIX: prefix }, create: async () => {}, drop: () => deleteKeys(url, prefix) };
    },
  },
});
