import { MongoClient, type Db } from 'mongodb';
import { MongoBulkSeeder } from './bulk-seeder.js';
import { guard } from '../shared/guard.js';
import { detectCapabilities, type MongoCapabilities } from './capabilities.js';
import { isMongoUnavailable } from './errors.js';
import { MongoBlogRepository } from './blog-repository.js';
import { MongoFollowRepository } from './follow-repository.js';
import { MongoListingRepository } from './listing-repository.js';
import { migrate, pendingMigrations } from './migrations.js';
import { MongoPostRepository } from './post-repository.js';
import type { ArticleDoc, ArticleViewDoc, BlogDoc, BlogIntentDoc, FollowDoc, ListingDoc, PostDoc, UserDoc } from './schema.js';
import { MongoUserRepository } from './user-repository.js';

export interface MongoStoreOptions {
  /** How long an operation waits for a reachable server before failing (and becoming a 503). */
  serverSelectionTimeoutMs?: number;
}

/** The database named in the connection string's path ("agora" when none is). */
export function databaseName(url: string): string {
  const path = url.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '').replace(/^\//, '').split('?')[0] ?? '';
  return decodeURIComponent(path) || 'agora';
}

/** One MongoDB database and the repositories over it. */
export class MongoStore {
  readonly name = 'mongodb';
  private detected: Promise<MongoCapabilities> | null = null;

  private constructor(
    private readonly client: MongoClient,
    readonly db: Db,
  ) {}

  /**
   * The client connects on first use and keeps monitoring the server, so a server that comes
   * back is used again without a restart. Writes wait for the journal: a 201 is durable.
   */
  static open(url: string, options: MongoStoreOptions = {}): MongoStore {
    const timeout = options.serverSelectionTimeoutMs ?? 5_000;
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: timeout,
      connectTimeoutMS: timeout,
      heartbeatFrequencyMS: 2_000,
      maxPoolSize: 20,
      writeConcern: { w: 'majority', journal: true },
    });
    return new MongoStore(client, client.db(databaseName(url)));
  }

  /** What the server can do, detected once on first contact (ping runs it at start-up). */
  capabilities(): Promise<MongoCapabilities> {
    this.detected ??= detectCapabilities(this.db).catch((err: unknown) => {
      this.detected = null;
      throw err;
    });
    return this.detected;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
    await this.capabilities();
  }

  migrate(): Promise<string[]> {
    return migrate(this.db);
  }

  pendingMigrations(): Promise<string[]> {
    return pendingMigrations(this.db);
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  userRepository() {
    return this.guarded(new MongoUserRepository(this.db.collection<UserDoc>('users')));
  }

  followRepository() {
    return this.guarded(new MongoFollowRepository(this.db.collection<FollowDoc>('follows')));
  }

  postRepository() {
    return this.guarded(new MongoPostRepository(this.db.collection<PostDoc>('posts')));
  }

  blogRepository() {
    const collections = {
      blogs: this.db.collection<BlogDoc>('blogs'),
      articles: this.db.collection<ArticleDoc>('articles'),
      intents: this.db.collection<BlogIntentDoc>('blog_intents'),
    };
    return this.guarded(new MongoBlogRepository(collections, this.db.collection<ArticleViewDoc>('article_views')));
  }

  listingRepository() {
    return this.guarded(new MongoListingRepository(this.db.collection<ListingDoc>('listings')));
  }

  /** The store's native bulk path, for cmd/seed.ts. */
  bulkSeeder() {
    return new MongoBulkSeeder(this.db);
  }

  private guarded<T extends object>(repository: T): T {
    return guard(this.name, repository, isMongoUnavailable);
  }
}
