import SQLite from 'better-sqlite3';
import { SqlBulkSeeder } from './bulk-seeder.js';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { guard } from '../shared/guard.js';
import { DIALECTS, type SqlDialectName, type SqlDialectTraits } from './dialect.js';
import { isSqlUnavailable } from './errors.js';
import { SqlBlogRepository } from './blog-repository.js';
import { SqlFollowRepository } from './follow-repository.js';
import { SqlFollowingFeed } from './following-feed.js';
import { SqlListingRepository } from './listing-repository.js';
import { migrationProvider } from './migrations/index.js';
import { SqlPostRepository } from './post-repository.js';
import type { Database } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { SqlUserRepository } from './user-repository.js';

export type SqlStoreOptions =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string; poolSize?: number; connectTimeoutMs?: number };

/** One SQL database (SQLite or PostgreSQL) and the repositories over it. */
export class SqlStore {
  readonly traits: SqlDialectTraits;

  private constructor(
    readonly db: Kysely<Database>,
    dialect: SqlDialectName,
  ) {
    this.traits = DIALECTS[dialect];
  }

  get name(): SqlDialectName {
    return this.traits.name;
  }

  static open(options: SqlStoreOptions): SqlStore {
    if (options.dialect === 'sqlite') {
      const database = new SQLite(options.path);
      if (options.path !== ':memory:' && options.path !== '') database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
      return new SqlStore(new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }), 'sqlite');
    }
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    });
    // A client losing its server (idle or checked out) must not crash the process with an
    // unhandled 'error' event: the query in flight, or the next one, reports the failure.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return new SqlStore(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), 'postgres');
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /** Applies every pending migration; returns the names applied. */
  async migrate(): Promise<string[]> {
    const { error, results } = await this.migrator().migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** The names of migrations not yet applied. */
  async pendingMigrations(): Promise<string[]> {
    const all = await this.migrator().getMigrations();
    return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  userRepository() {
    return this.guarded(new SqlUserRepository(this.db));
  }

  followRepository() {
    return this.guarded(new SqlFollowRepository(this.db));
  }

  postRepository() {
    return this.guarded(new SqlPostRepository(this.db, this.traits.name));
  }

  followingFeed() {
    return this.guarded(new SqlFollowingFeed(this.db, this.traits.name));
  }

  blogRepository() {
    return this.guarded(new SqlBlogRepository(this.db));
  }

  listingRepository() {
    return this.guarded(new SqlListingRepository(this.db, this.traits.name));
  }

  /** The store's native bulk path, for cmd/seed.ts. */
  bulkSeeder() {
    return new SqlBulkSeeder(this.db, this.traits.name);
  }

  private guarded<T extends object>(repository: T): T {
    return guard(this.traits.name, repository, isSqlUnavailable);
  }

  private migrator(): Migrator {
    return new Migrator({
      db: this.db,
      provider: migrationProvider(this.traits),
      migrationTableName: 'agora_migrations',
      migrationLockTableName: 'agora_migrations_lock',
    });
  }
}
