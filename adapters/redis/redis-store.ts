import { Redis } from 'ioredis';
import { guard } from '../shared/guard.js';
import type { PortFactories, Store } from '../shared/store.js';
import { isRedisUnavailable } from './errors.js';
import { TimelineKeys } from './keys.js';
import { defineScripts } from './scripts.js';
import { RedisTimelineStore } from './timeline-store.js';

export interface RedisStoreOptions {
  url: string;
  /** Put before every key: apps (or test databases) sharing a server keep apart by it. */
  keyPrefix: string;
  /** The longest one command may take, connecting included (STORE_TIMEOUT_MS). */
  timeoutMs: number;
}

/** `ZRANGE … BYLEX REV` (read) came with Redis 6.2. */
const MINIMUM_VERSION = [6, 2] as const;

/**
 * One Redis server (or Valkey, which answers the same) and the timelines in it: the only module
 * it holds. There is no schema, hence no migrations.
 */
export class RedisStore implements Store {
  readonly name = 'redis';
  /** Why the client could not connect, until it connects: what a failed ping reports. */
  private connectionError: Error | null = null;

  private constructor(
    private readonly redis: Redis,
    private readonly keys: TimelineKeys,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Connects on first use and reconnects by itself; a command waits for a connection (in
   * ioredis's offline queue) at most `timeoutMs`, as it waits for its reply.
   */
  static open({ url, keyPrefix, timeoutMs }: RedisStoreOptions): RedisStore {
    const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, connectionName: 'agora' });
    defineScripts(redis);
    const store = new RedisStore(redis, new TimelineKeys(keyPrefix), timeoutMs);
    // The client retries the connection by itself; its errors are kept, not thrown.
    redis.on('error', (err: Error) => (store.connectionError = err));
    redis.on('ready', () => (store.connectionError = null));
    return store;
  }

  /** Reaches the server and checks it is recent enough for the scripts. */
  async ping(): Promise<void> {
    // A command waiting for a connection fails as "Command timed out": say why it waited.
    const info = await this.redis.info('server').catch((err: unknown) => {
      throw this.connectionError ?? err;
    });
    const version = /^redis_version:(\S+)/m.exec(info)?.[1] ?? 'unknown';
    const [major = 0, minor = 0] = version.split('.').map(Number);
    const [needMajor, needMinor] = MINIMUM_VERSION;
    if (major < needMajor || (major === needMajor && minor < needMinor)) {
      throw new Error(`Redis ${needMajor}.${needMinor} or later is required (the server is ${version})`);
    }
  }

  async migrate(): Promise<string[]> {
    return [];
  }

  async pendingMigrations(): Promise<string[]> {
    return [];
  }

  async close(): Promise<void> {
    // Never connected (lazyConnect): QUIT would connect only to say goodbye.
    if (this.redis.status === 'wait' || this.redis.status === 'end') return this.redis.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  readonly ports: Partial<PortFactories> = {
    timelines: () => guard(this.name, new RedisTimelineStore(this.redis, this.keys), isRedisUnavailable, this.timeoutMs),
  };
}
