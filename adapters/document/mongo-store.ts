import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
import { MongoBulkSeeder } from './bulk-seeder.js';
import { DEFAULT_STORE_TIMEOUT_MS, guard, withinTimeLimit } from '../shared/guard.js';
import type { PortFactories } from '../shared/store.js';
import type { StoreTransfers } from '../shared/transfer.js';
import { documentTransfers } from './transfers.js';
import { detectCapabilities, type MongoCapabilities } from './capabilities.js';
import { counters, FOLLOW_COUNTERS, POST_COUNTERS } from './counters.js';
import { isMongoUnavailable } from './errors.js';
import { HeartbeatWatchdog } from './heartbeat-watchdog.js';
import { MongoBlogRepository } from './blog-repository.js';
import { MongoFollowRepository } from './follow-repository.js';
import { MongoIdempotencyRepository, type IdempotencyDoc } from './idempotency-repository.js';
import { MongoListingRepository } from './listing-repository.js';
import { migrate, pendingMigrations } from './migrations.js';
import { MongoPostRepository } from './post-repository.js';
import { PostViewReader } from './post-views.js';
import type { ArticleDoc, ArticleViewDoc, BlogDoc, BlogIntentDoc, FollowDoc, ListingDoc, PostDoc, UserDoc } from './schema.js';
import { MongoTimelineStore, timelineCollections } from './timeline-store.js';
import { MongoUserRepository } from './user-repository.js';

export interface MongoStoreOptions {
  /**
   * The longest one repository call may take (STORE_TIMEOUT_MS, default 5 s): waiting for a
   * reachable server, for a pooled connection, for a new one, or for the server's reply.
   */
  timeoutMs?: number;
}

/** The database named in the connection string's path ("agora" when none is). */
export function databaseName(url: string): string {
  const path = url.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '').replace(/^\//, '').split('?')[0] ?? '';
  return decodeURIComponent(path) || 'agora';
}

/** One MongoDB database and the repositories over it. */
export class MongoStore {
  readonly name = 'mongodb';
  private detection: Promise<MongoCapabilities> | null = null;

  private maintenance: MongoClient | null = null;

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
    private readonly url: string,
    private readonly timeoutMs: number,
    /** Connects the client again if the driver's server monitor gets stuck (heartbeat-watchdog.ts says how). */
    readonly watchdog: HeartbeatWatchdog,
  ) {}

  /**
   * The client connects on first use and keeps monitoring the server, so a server that comes
   * back is used again without a restart. Writes wait for the journal: a 201 is durable.
   *
   * Time limits (all STORE_TIMEOUT_MS): server selection, connecting (TCP and handshake; also
   * the monitor's heartbeat), waiting for a pooled connection, and waiting for each reply
   * (socketTimeoutMS: a server that stops answering fails the operation and the connection is
   * closed, not reused). The driver's `timeoutMS` (CSOT) is a no-op in this driver line, and
   * `maxTimeMS` (which FerretDB v1 accepts) is per operation and server-side only.
   */
  static open(url: string, options: MongoStoreOptions = {}): MongoStore {
    const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    const client = new MongoClient(url, {
      ...clientOptions(timeoutMs),
      socketTimeoutMS: timeoutMs,
      waitQueueTimeoutMS: timeoutMs,
      maxPoolSize: 20,
    });
    return new MongoStore(client, client.db(databaseName(url)), url, timeoutMs, new HeartbeatWatchdog(client, timeoutMs).start());
  }

  /** What the server can do, detected once on first contact (ping runs it at start-up). */
  capabilities(): Promise<MongoCapabilities> {
    this.detection ??= detectCapabilities(this.db).catch((err: unknown) => {
      this.detection = null;
      throw err;
    });
    return this.detection;
  }

  /** `capabilities`, for the repositories that keep counters and timelines as the server allows. */
  private readonly detected = (): Promise<MongoCapabilities> => this.capabilities();

  async ping(): Promise<void> {
    await withinTimeLimit(
      this.db.command({ ping: 1 }).then(() => this.capabilities()),
      this.timeoutMs,
    );
  }

  migrate(): Promise<string[]> {
    return migrate(this.maintenanceDb(), this.detected);
  }

  pendingMigrations(): Promise<string[]> {
    return pendingMigrations(this.db);
  }

  async close(): Promise<void> {
    this.watchdog.stop();
    const maintenance = this.maintenance;
    this.maintenance = null;
    await Promise.all([this.client.close(), maintenance?.close()]);
  }

  /** The port of every module (a fresh repository over this connection, under the time limit). */
  readonly ports: PortFactories = {
    users: () => this.guarded(new MongoUserRepository(this.db.collection<UserDoc>('users'))),
    follows: () =>
      this.guarded(new MongoFollowRepository(this.db.collection<FollowDoc>('follows'), counters(this.db, FOLLOW_COUNTERS, this.detected))),
    posts: () => {
      const posts = this.db.collection<PostDoc>('posts');
      const kept = counters(this.db, POST_COUNTERS, this.detected);
      return this.guarded(new MongoPostRepository(posts, kept, new PostViewReader(posts, kept, POST_COUNTERS, this.detected)));
    },
    timelines: () => this.guarded(new MongoTimelineStore(timelineCollections(this.db), this.detected)),
    blogs: () => {
      const collections = {
        blogs: this.db.collection<BlogDoc>('blogs'),
        articles: this.db.collection<ArticleDoc>('articles'),
        intents: this.db.collection<BlogIntentDoc>('blog_intents'),
      };
      return this.guarded(new MongoBlogRepository(collections, this.db.collection<ArticleViewDoc>('article_views')));
    },
    listings: () => this.guarded(new MongoListingRepository(this.db.collection<ListingDoc>('listings'))),
  };

  /** Every record of each module, read and written whole on the maintenance connection (npm run transfer). */
  readonly transfers: StoreTransfers = documentTransfers(() => this.maintenanceDb(), this.detected);

  /** The store's native bulk path, for cmd/seed.ts. */
  bulkSeeder() {
    return new MongoBulkSeeder(this.maintenanceDb(), this.detected);
  }

  idempotency() {
    return this.guarded(new MongoIdempotencyRepository(this.db.collection<IdempotencyDoc>('idempotency_keys')));
  }

  private guarded<T extends object>(repository: T): T {
    return guard(this.name, repository, isMongoUnavailable, this.timeoutMs);
  }

  /**
   * Migrations and bulk seeding may rightly wait longer for a reply (an index build on a large
   * collection): their own client, opened on first use, with no reply timeout.
   */
  private maintenanceDb(): Db {
    this.maintenance ??= new MongoClient(this.url, { ...clientOptions(this.timeoutMs), maxPoolSize: 4 });
    return this.maintenance.db(databaseName(this.url));
  }
}

function clientOptions(timeoutMs: number): MongoClientOptions {
  return {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    heartbeatFrequencyMS: 2_000,
    writeConcern: { w: 'majority', journal: true },
  };
}
