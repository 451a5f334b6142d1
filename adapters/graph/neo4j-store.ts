import { setTimeout as sleep } from 'node:timers/promises';
import neo4j, { EagerResult, Neo4jError, type Driver, type QueryConfig } from 'neo4j-driver';
import { Neo4jBulkSeeder } from './bulk-seeder.js';
import { DEFAULT_STORE_TIMEOUT_MS, guard, withinTimeLimit } from '../shared/guard.js';
import type { PortFactories } from '../shared/store.js';
import type { StoreTransfers } from '../shared/transfer.js';
import { isNeo4jUnavailable } from './errors.js';
import { noDelayTo } from './no-delay.js';
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

/** Bolt's port where the URL names none. */
const BOLT_PORT = 7687;

/** The port a Bolt URL names (the driver itself refuses a URL it cannot read). */
function boltPort(url: string): number {
  return URL.canParse(url) ? Number(new URL(url).port || BOLT_PORT) : BOLT_PORT;
}

/** One Driver for the process; every repository call opens its own session (executeQuery, or an auto-commit read). */
export class Neo4jStore {
  readonly name = 'neo4j';
  /** What repositories get: the driver with the transaction timeout on every query. */
  private readonly timed: Driver;

  private constructor(
    private readonly driver: Driver,
    private readonly timeoutMs: number,
    /** Stops turning Nagle's algorithm off on new connections to the server (see noDelayTo). */
    private readonly stopNoDelay: () => void,
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
    const stopNoDelay = noDelayTo(boltPort(options.url));
    return new Neo4jStore(
      neo4j.driver(options.url, auth, {
        connectionTimeout: timeoutMs,
        connectionAcquisitionTimeout: timeoutMs,
        maxTransactionRetryTime: timeoutMs,
        maxConnectionPoolSize: 50,
        disableLosslessIntegers: false,
      }),
      timeoutMs,
      stopNoDelay,
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
    try {
      await this.driver.close();
    } finally {
      this.stopNoDelay();
    }
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
 * server terminates a transaction running past the limit, and with reads as auto-commit
 * transactions (see autoCommitRead). Schema migrations and bulk seeding use the plain driver:
 * an index build or a 10,000-node batch may rightly take longer.
 */
function withTransactionTimeout(driver: Driver, timeoutMs: number): Driver {
  function executeQuery<T = EagerResult>(query: Parameters<Driver['executeQuery']>[0], parameters?: unknown, config?: QueryConfig<T>): Promise<T> {
    const transactionConfig = { timeout: timeoutMs, ...config?.transactionConfig };
    if (config?.routing === 'READ' && config.resultTransformer === undefined && config.bookmarkManager === undefined) {
      return autoCommitRead(driver, query, parameters, { database: config.database, transactionConfig, retryMs: timeoutMs }) as Promise<T>;
    }
    return driver.executeQuery(query, parameters, { ...config, transactionConfig });
  }
  return new Proxy(driver, {
    get(target, prop) {
      if (prop === 'executeQuery') return executeQuery;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The first wait before a read is tried again; each next one is twice as long, within the limit. */
const FIRST_RETRY_DELAY_MS = 50;

/**
 * One read as an auto-commit transaction: RUN and PULL in one round trip, where executeQuery's
 * managed transaction makes two (BEGIN, RUN and PULL, then COMMIT). On this machine that is
 * 1.5 to 1.8 times the reads per second for a small query (BENCHMARKS.md, eighth pass). What
 * executeQuery gives is kept: the driver's bookmark manager (a read follows the writes before
 * it on a cluster), the transaction timeout, and a retry on a retriable error (a dropped pooled
 * connection, a database briefly unavailable) with doubling waits until `retryMs` have passed.
 * A read cannot leave anything half done, so trying it again is safe.
 */
async function autoCommitRead(
  driver: Driver,
  query: Parameters<Driver['executeQuery']>[0],
  parameters: unknown,
  options: { database: string | undefined; transactionConfig: NonNullable<QueryConfig['transactionConfig']>; retryMs: number },
): Promise<EagerResult> {
  const deadline = Date.now() + options.retryMs;
  for (let delay = FIRST_RETRY_DELAY_MS; ; delay *= 2) {
    const session = driver.session({
      defaultAccessMode: neo4j.session.READ,
      bookmarkManager: driver.executeQueryBookmarkManager,
      ...(options.database === undefined ? {} : { database: options.database }),
    });
    try {
      const result = session.run(query, parameters as Record<string, unknown>, options.transactionConfig);
      const [keys, { records, summary }] = await Promise.all([result.keys(), result]);
      return new EagerResult(keys, records, summary);
    } catch (err) {
      if (!Neo4jError.isRetriable(err as Error) || Date.now() + delay >= deadline) throw err;
    } finally {
      // Closing only hands the connection back to the pool: a failure there (a connection that
      // broke after answering) is the pool's to drop, not this read's error.
      await session.close().catch(() => {});
    }
    await sleep(delay);
  }
}
