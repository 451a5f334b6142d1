import neo4j, { type Driver, type EagerResult, type QueryConfig } from 'neo4j-driver';
import { Neo4jBulkSeeder } from './bulk-seeder.js';
import { DEFAULT_STORE_TIMEOUT_MS, guard, withinTimeLimit } from '../shared/guard.js';
import type { PortFactories } from '../shared/store.js';
import type { StoreTransfers } from '../shared/transfer.js';
import { isNeo4jUnavailable } from './errors.js';
import { Neo4jBlogRepository } from './blog-repository.js';
import { Neo4jFollowRepository } from './follow-repository.js';
import { Neo4jIdempotencyRepository } from './idempotency-repository.js';
import { Neo4jListingRepository } from './listing-repository.js';
import { Neo4jPostRepository } from './post-repository.js';
import { Neo4jTimelinePages } from './timeline-pages.js';
import { Neo4jTimelineStore } from './timeline-store.js';
import { migrateData, SCHEMA_STATEMENTS, SCHEMA_VERSION } from './schema.js';
import { toNumber } from './records.js';
import { blogsTransfer, followsTransfer, listingsTransfer, postsTransfer, usersTransfer } from './transfers.js';
import { Neo4jUserRepository } from './user-repository.js';

export interface Neo4jOptions {
  url: string;
  user: string;
  password: string;
  /** The longest one repository call may take (STORE_TIMEOUT_MS, default 5 s). */
  timeoutMs?: number;
}

/** One Driver for the process; every repository call opens its own session (executeQuery). */
export class Neo4jStore {
  readonly name = 'neo4j';
  /** What repositories get: the driver with the transaction timeout on every query. */
  private readonly timed: Driver;

  private constructor(
    private readonly driver: Driver,
    private readonly timeoutMs: number,
  ) {
    this.timed = withTransactionTimeout(driver, timeoutMs);
  }

  /**
   * Time limits (all STORE_TIMEOUT_MS): connecting (TCP only: the driver stops that timer
   * once the socket opens), acquiring a connection (waiting for the pool, or opening one:
   * Bolt handshake and authentication), retrying a managed transaction after a transient
   * failure, and each repository transaction on the server (Neo4j terminates it). The driver
   * has no reply timeout of its own: a query on a server that stopped answering keeps its
   * connection until the server answers (or its `connection.recv_timeout_seconds` hint runs
   * out), so guard() answers 503 at the limit and the pool limit stops the spill.
   */
  static open(options: Neo4jOptions): Neo4jStore {
    const auth = options.password ? neo4j.auth.basic(options.user, options.password) : undefined;
    const timeoutMs = options.timeoutMs ?? DEFAULT_STORE_TIMEOUT_MS;
    return new Neo4jStore(
      neo4j.driver(options.url, auth, {
        connectionTimeout: timeoutMs,
        connectionAcquisitionTimeout: timeoutMs,
        maxTransactionRetryTime: timeoutMs,
        maxConnectionPoolSize: 50,
        disableLosslessIntegers: false,
      }),
      timeoutMs,
    );
  }

  async ping(): Promise<void> {
    await withinTimeLimit(this.timed.executeQuery('RETURN 1', {}, { routing: 'READ' }), this.timeoutMs);
  }

  async migrate(): Promise<string[]> {
    const pending = await this.pendingMigrations();
    if (pending.length === 0) return [];
    // Schema statements cannot share a transaction with writes: one auto-commit call each.
    for (const statement of SCHEMA_STATEMENTS) await this.driver.executeQuery(statement);
    await migrateData(this.driver);
    await this.driver.executeQuery('MERGE (m:AgoraMeta {id: "schema"}) SET m.version = $version', { version: SCHEMA_VERSION });
    return pending;
  }

  async pendingMigrations(): Promise<string[]> {
    const { records } = await this.driver.executeQuery('OPTIONAL MATCH (m:AgoraMeta {id: "schema"}) RETURN m.version AS version', {}, { routing: 'READ' });
    return toNumber(records[0]?.get('version')) >= SCHEMA_VERSION ? [] : [`graph-schema-v${SCHEMA_VERSION}`];
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  /** The port of every module (a fresh repository over this connection, under the time limit). */
  readonly ports: PortFactories = {
    users: () => this.guarded(new Neo4jUserRepository(this.timed)),
    follows: () => this.guarded(new Neo4jFollowRepository(this.timed)),
    posts: () => this.guarded(new Neo4jPostRepository(this.timed)),
    timelines: () => this.guarded(new Neo4jTimelineStore(this.timed)),
    blogs: () => this.guarded(new Neo4jBlogRepository(this.timed)),
    listings: () => this.guarded(new Neo4jListingRepository(this.timed)),
  };

  /** Every module read and written whole, over the plain driver (no transaction time limit). */
  readonly transfers: StoreTransfers = {
    users: () => usersTransfer(this.driver),
    follows: () => followsTransfer(this.driver),
    posts: () => postsTransfer(this.driver),
    blogs: () => blogsTransfer(this.driver),
    listings: () => listingsTransfer(this.driver),
  };

  /** The store's native bulk path, for cmd/seed.ts. */
  bulkSeeder() {
    return new Neo4jBulkSeeder(this.driver);
  }

  timelinePages() {
    return this.guarded(new Neo4jTimelinePages(this.timed));
  }

  idempotency() {
    return this.guarded(new Neo4jIdempotencyRepository(this.timed));
  }

  private guarded<T extends object>(repository: T): T {
    return guard('neo4j', repository, isNeo4jUnavailable, this.timeoutMs);
  }
}

/**
 * The driver with `transactionConfig.timeout` on every executeQuery that sets none, so the
 * server terminates a transaction running past the limit. Schema migrations and bulk seeding
 * use the plain driver: an index build or a 10,000-node batch may rightly take longer.
 */
function withTransactionTimeout(driver: Driver, timeoutMs: number): Driver {
  function executeQuery<T = EagerResult>(query: Parameters<Driver['executeQuery']>[0], parameters?: unknown, config?: QueryConfig<T>): Promise<T> {
    return driver.executeQuery(query, parameters, { ...config, transactionConfig: { timeout: timeoutMs, ...config?.transactionConfig } });
  }
  return new Proxy(driver, {
    get(target, prop) {
      if (prop === 'executeQuery') return executeQuery;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
