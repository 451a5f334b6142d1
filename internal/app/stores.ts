import { MongoStore } from '../../adapters/document/mongo-store.js';
import { Neo4jStore } from '../../adapters/graph/neo4j-store.js';
import { SqlStore } from '../../adapters/sql/sql-store.js';
import type { BlogRepository } from '../domain/blogs/blog-repository.js';
import type { Follow, FollowRepository } from '../domain/follows/follow-repository.js';
import type { Post } from '../domain/posts/post.js';
import type { User } from '../domain/users/user.js';
import type { ListingRepository } from '../domain/listings/listing-repository.js';
import type { FollowingFeed } from '../domain/posts/following-feed.js';
import type { PostRepository } from '../domain/posts/post-repository.js';
import type { UserRepository } from '../domain/users/user-repository.js';
import { ConfigError, type Config, type StoreKind } from './config.js';

/** Batched writes of synthetic data (cmd/seed.ts), each store by its native bulk path. */
export interface BulkSeeder {
  users(users: readonly User[]): Promise<void>;
  follows(follows: readonly Follow[]): Promise<void>;
  posts(posts: ReadonlyArray<{ post: Post; slotKey: string }>): Promise<void>;
  /** After the last batch: whatever the store needs to serve the new data at full speed. */
  finish?(): Promise<void>;
}

/** What the composition root needs of a store, whatever its technology. */
export interface Store {
  readonly name: string;
  ping(): Promise<void>;
  migrate(): Promise<string[]>;
  pendingMigrations(): Promise<string[]>;
  close(): Promise<void>;
  userRepository(): UserRepository;
  followRepository(): FollowRepository;
  postRepository(): PostRepository;
  /** A store that can join follows to posts itself; the others get `FolloweeListFeed`. */
  followingFeed?(): FollowingFeed;
  blogRepository(): BlogRepository;
  listingRepository(): ListingRepository;
  bulkSeeder(): BulkSeeder;
  /** What the server can and cannot do (a store without such differences leaves this out). */
  capabilities?(): Promise<StoreCapabilities>;
}

/** Detected from the server; tests skip only what needs a missing flag, and say why. */
export interface StoreCapabilities {
  server: string;
  version: string;
  flags: Readonly<Record<string, boolean>>;
}

export type Stores = Map<StoreKind, Store>;

const VARIABLE: Record<StoreKind, string> = {
  sqlite: 'SQLITE_PATH',
  postgres: 'DATABASE_URL',
  mongodb: 'MONGODB_URL',
  neo4j: 'NEO4J_URL',
};

/** Opens (but does not check or migrate) the store of one kind. */
export function createStore(kind: StoreKind, config: Config): Store {
  switch (kind) {
    case 'sqlite':
      return SqlStore.open({ dialect: 'sqlite', path: config.sqlitePath, timeoutMs: config.storeTimeoutMs });
    case 'postgres':
      return SqlStore.open({ dialect: 'postgres', url: config.databaseUrl!, poolSize: config.pgPoolSize, timeoutMs: config.storeTimeoutMs });
    case 'mongodb':
      return MongoStore.open(config.mongodbUrl!, { timeoutMs: config.storeTimeoutMs });
    case 'neo4j':
      return Neo4jStore.open({ ...config.neo4j!, timeoutMs: config.storeTimeoutMs });
    default:
      throw new ConfigError(`STORAGE="${kind}" is not supported yet`);
  }
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * Opens every store some module uses, checks it answers and that its schema is current
 * (migrating it when the config says so). Any failure is a ConfigError naming the variable.
 */
export async function openStores(config: Config, onMigrated: (store: string, names: string[]) => void): Promise<Stores> {
  const stores: Stores = new Map();
  try {
    for (const kind of new Set(Object.values(config.storage))) {
      const store = createStore(kind, config);
      stores.set(kind, store);
      try {
        await store.ping();
      } catch (err) {
        throw new ConfigError(`${VARIABLE[kind]}: cannot reach the ${kind} store: ${reason(err)}`);
      }
      if (config.autoMigrate || (kind === 'sqlite' && config.sqlitePath === ':memory:')) {
        const applied = await store.migrate();
        if (applied.length > 0) onMigrated(kind, applied);
      } else {
        const pending = await store.pendingMigrations();
        if (pending.length > 0) {
          throw new ConfigError(
            `${VARIABLE[kind]}: the ${kind} schema is behind (pending: ${pending.join(', ')}); run "npm run migrate" or set AUTO_MIGRATE=true`,
          );
        }
      }
    }
    return stores;
  } catch (err) {
    await closeStores(stores);
    throw err;
  }
}

export async function closeStores(stores: Stores): Promise<void> {
  await Promise.allSettled([...stores.values()].map((s) => s.close()));
}
