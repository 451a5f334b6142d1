import { SqlBulkSeeder } from './bulk-seeder.js';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
} from 'kysely';
import type { Database as SqliteConnection } from 'better-sqlite3';
import type pg from 'pg';
import { DEFAULT_STORE_TIMEOUT_MS, guard, withinTimeLimit } from '../shared/guard.js';
import type { PortFactories } from '../shared/store.js';
import { DIALECTS, type SqlDialectName, type SqlDialectTraits } from './dialect.js';
import { isSqlUnavailable } from './errors.js';
import { SqlBlogRepository } from './blog-repository.js';
import { SqlFollowRepository } from './follow-repository.js';
import { SqlFollowingFeed } from './following-feed.js';
import { SqlIdempotencyRepository } from './idempotency-repository.js';
import { SqlListingRepository } from './listing-repository.js';
import { migrationProvider } from './migrations/index.js';
import { SqlPostRepository } from './post-repository.js';
import { SqlTimelineStore } from './timeline-store.js';
import { SqlTimelinePages } from './timeline-pages.js';
import { sqlTransfers } from './transfers.js';
import type { Database } from './schema.js';
import { rowMaker } from './row-maker.js';
import { preparedName, runsDirectly } from './compiled.js';
import { directReads, withStatementCache } from './statement-cache.js';
import { SqlUserRepository } from './user-repository.js';

/** `timeoutMs` (STORE_TIMEOUT_MS, default 5 s) is the longest one repository call may take. */
export type SqlStoreOptions =
  | { dialect: 'sqlite'; path: string; timeoutMs?: number }
  | { dialect: 'postgres'; url: string; poolSize?: number; timeoutMs?: number };

/**
 * How much longer than statement_timeout pg waits for an answer before it gives up on the
 * socket: a live server's own cancellation (57014, connection kept) arrives first; a frozen
 * server's silence ends in "Query read timeout" and the client is destroyed.
 */
const READ_TIMEOUT_GRACE_MS = 250;

/** One SQL database (SQLite or PostgreSQL) and the repositories over it. */
export class SqlStore {
  readonly traits: SqlDialectTraits;
  private maintenanceDb: Kysely<Database> | null = null;
  private seeder: SqlBulkSeeder | null = null;

  /**
   * `db` serves requests under the time limit. `openMaintenance` gives the connection for
   * migrations and bulk seeding, which may rightly run longer (an index build, VACUUM ANALYZE
   * of millions of rows): SQLite's single connection, or a small PostgreSQL pool with no
   * statement or read timeout (connecting is still bounded). `sqlite` is SQLite's own handle
   * under `db`, for the bulk seeder's prepared statements.
   */
  private constructor(
    readonly db: Kysely<Database>,
    dialect: SqlDialectName,
    private readonly timeoutMs: number,
    private readonly openMaintenance: () => Kysely<Database>,
    private readonly sqlite: SqliteConnection | null = null,
  ) {
    this.traits = DIALECTS[dialect];
  }

  get name(): SqlDialectName {
    return this.traits.name;
  }

  /** Each dialect's driver is imported here, so a process loads only the one it uses. */
  static async open(options: SqlStoreOptions): Promise<SqlStore> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    if (options.dialect === 'sqlite') {
      const { default: SQLite } = await import('better-sqlite3');
      const database = new SQLite(options.path);
      if (options.path !== ':memory:' && options.path !== '') database.pragma('journal_mode = WAL');
      // A write waits this long for another connection's lock, then fails with SQLITE_BUSY (a
      // 503). better-sqlite3 blocks the event loop while it waits.
      database.pragma(`busy_timeout = ${timeoutMs}`);
      database.pragma('synchronous = FULL');
      database.pragma('foreign_keys = ON');
      const statements = withStatementCache(database);
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) });
      runsDirectly(db, directReads(database, statements));
      return new SqlStore(db, 'sqlite', timeoutMs, () => db, database);
    }
    const { default: driver } = await import('pg');
    const pool = postgresPool(driver, options.url, {
      max: options.poolSize ?? 10,
      // Waiting for a pooled client, or connecting a new one (TCP, TLS, startup, auth).
      connectionTimeoutMillis: timeoutMs,
      // Sent at startup: the server cancels any statement running longer (57014).
      statement_timeout: timeoutMs,
      // pg's own timer: a server that never answers (frozen, black-holed) fails the query.
      query_timeout: timeoutMs + READ_TIMEOUT_GRACE_MS,
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: discardingTimedOutClients(pool) }) });
    const maintenance = () =>
      new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(driver, options.url, { max: 2, connectionTimeoutMillis: timeoutMs }) }) });
    return new SqlStore(db, 'postgres', timeoutMs, maintenance);
  }

  async ping(): Promise<void> {
    await withinTimeLimit(sql`select 1`.execute(this.db), this.timeoutMs);
  }

  /** Applies every pending migration; returns the names applied. */
  async migrate(): Promise<string[]> {
    const { error, results } = await this.migrator(this.maintenance()).migrateToLatest();
    if (error) throw error;
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** The names of migrations not yet applied. */
  async pendingMigrations(): Promise<string[]> {
    const all = await this.migrator(this.db).getMigrations();
    return all.filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  async close(): Promise<void> {
    const maintenance = this.maintenanceDb;
    this.maintenanceDb = null;
    await Promise.all([this.db.destroy(), maintenance && maintenance !== this.db ? maintenance.destroy() : undefined]);
  }

  followingFeed() {
    return this.guarded(new SqlFollowingFeed(this.db, this.traits.name));
  }

  /** SQLite only: its timelines' writes commit without an fsync of their own (SqlTimelineStore.write says why that is safe). */
  timelinesBesideTheirWrites() {
    return this.sqlite ? this.guarded(new SqlTimelineStore(this.db, this.traits.name, this.sqlite)) : undefined;
  }

  timelinePages() {
    return this.guarded(new SqlTimelinePages(this.db, this.traits.name));
  }

  idempotency() {
    return this.guarded(new SqlIdempotencyRepository(this.db));
  }

  /** The port of every module (a fresh repository over this connection, under the time limit). */
  readonly ports: PortFactories = {
    users: () => this.guarded(new SqlUserRepository(this.db)),
    follows: () => this.guarded(new SqlFollowRepository(this.db, this.traits.name)),
    posts: () => this.guarded(new SqlPostRepository(this.db, this.traits.name)),
    timelines: () => this.guarded(new SqlTimelineStore(this.db, this.traits.name)),
    blogs: () => this.guarded(new SqlBlogRepository(this.db)),
    listings: () => this.guarded(new SqlListingRepository(this.db, this.traits.name)),
  };

  /** Every record of each module, read and written whole over the maintenance connection (no time limit). */
  readonly transfers = sqlTransfers(() => ({ db: this.maintenance(), dialect: this.traits.name }));

  /** The store's native bulk path, for cmd/seed.ts: one per store, as it holds rows between batches until `finish`. */
  bulkSeeder() {
    this.seeder ??= new SqlBulkSeeder(this.maintenance(), this.sqlite);
    return this.seeder;
  }

  /**
   * PostgreSQL's calls race STORE_TIMEOUT_MS. SQLite's don't: each statement runs synchronously
   * in this process, so a timer could only fire after the call has already finished; its limit
   * is the busy timeout SQLite itself enforces (set to STORE_TIMEOUT_MS above).
   */
  private guarded<T extends object>(repository: T): T {
    return guard(this.traits.name, repository, isSqlUnavailable, this.traits.name === 'sqlite' ? undefined : this.timeoutMs);
  }

  private maintenance(): Kysely<Database> {
    this.maintenanceDb ??= this.openMaintenance();
    return this.maintenanceDb;
  }

  private migrator(db: Kysely<Database>): Migrator {
    return new Migrator({
      db,
      provider: migrationProvider(this.traits),
      migrationTableName: 'agora_migrations',
      migrationLockTableName: 'agora_migrations_lock',
    });
  }
}

function postgresPool(driver: typeof pg, url: string, options: pg.PoolConfig): pg.Pool {
  const pool = new driver.Pool({ connectionString: url, ...options });
  // A client losing its server (idle or checked out) must not crash the process with an
  // unhandled 'error' event: the query in flight, or the next one, reports the failure.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/**
 * The pool as Kysely uses it, except that a client whose query hit pg's query_timeout is
 * destroyed when released instead of going back to the pool: its socket still carries the
 * unanswered query, and the next query on it would queue behind that one. (pg-pool already
 * drops a client whose connection failed.)
 */
function discardingTimedOutClients(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = new DiscardingClient(client);
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}

/** The row maker of each prepared statement, with the column names it was made for. */
const ROW_MAKERS = new Map<string, { names: string[]; make: (values: unknown[]) => Record<string, unknown> }>();

/**
 * A prepared read's rows, asked of pg as arrays, made into objects keyed by column as pg's own
 * rows are (the last column of a name wins in both): pg fills a copy of a template object one
 * column at a time, the slow way rowMaker describes. The maker is made again if the columns
 * differ from those it was made for.
 */
function keyedRows(name: string, result: pg.QueryResult<unknown[]>): pg.QueryResult {
  const names = result.fields.map((f) => f.name);
  let maker = ROW_MAKERS.get(name);
  if (!maker || maker.names.length !== names.length || maker.names.some((n, i) => n !== names[i])) {
    maker = { names, make: rowMaker(names) };
    ROW_MAKERS.set(name, maker);
  }
  return Object.assign(result, { rows: result.rows.map(maker.make) });
}

/** PostgreSQL's answer when a prepared statement's result columns changed under it (a migration added a column to a `*`). */
const CACHED_PLAN_CHANGED = '0A000';

class DiscardingClient implements PostgresPoolClient {
  private failure: Error | undefined;

  constructor(private readonly client: pg.PoolClient) {}

  query<R>(text: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(query: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof query !== 'string') return this.client.query(query as unknown as pg.Submittable) as unknown as PostgresCursor<R>;
    const values = parameters ? [...parameters] : [];
    const name = preparedName(query);
    const result = (name ? this.client.query({ name, text: query, values, rowMode: 'array' }).then((r) => keyedRows(name, r)) : this.client.query(query, values)) as unknown as Promise<PostgresQueryResult<R>>;
    return result.catch((err: unknown) => {
      if (err instanceof Error && err.message === 'Query read timeout') this.failure = err;
      // A hot read prepared on this connection before a schema change: this connection's
      // prepared statements are stale, so it is discarded at release; the read (a lone SELECT,
      // never inside a transaction: CompiledShape runs on the pool) is run again unprepared.
      if (name && (err as { code?: unknown }).code === CACHED_PLAN_CHANGED) {
        this.failure = err as Error;
        return this.client.query(query, values) as unknown as Promise<PostgresQueryResult<R>>;
      }
      throw err;
    });
  }

  release(): void {
    const failure = this.failure;
    this.failure = undefined;
    this.client.release(failure);
  }
}
