import neo4j, { type Driver } from 'neo4j-driver';
import { Neo4jBulkSeeder } from './bulk-seeder.js';
import { guard } from '../shared/guard.js';
import { isNeo4jUnavailable } from './errors.js';
import { Neo4jBlogRepository } from './blog-repository.js';
import { Neo4jFollowRepository } from './follow-repository.js';
import { Neo4jListingRepository } from './listing-repository.js';
import { Neo4jPostRepository } from './post-repository.js';
import { SCHEMA_STATEMENTS, SCHEMA_VERSION } from './schema.js';
import { toNumber } from './records.js';
import { Neo4jUserRepository } from './user-repository.js';

export interface Neo4jOptions {
  url: string;
  user: string;
  password: string;
}

/** One Driver for the process; every repository call opens its own session (executeQuery). */
export class Neo4jStore {
  readonly name = 'neo4j';

  private constructor(private readonly driver: Driver) {}

  static open(options: Neo4jOptions): Neo4jStore {
    const auth = options.password ? neo4j.auth.basic(options.user, options.password) : undefined;
    return new Neo4jStore(
      neo4j.driver(options.url, auth, {
        connectionTimeout: 5_000,
        connectionAcquisitionTimeout: 5_000,
        maxTransactionRetryTime: 5_000,
        maxConnectionPoolSize: 50,
        disableLosslessIntegers: false,
      }),
    );
  }

  async ping(): Promise<void> {
    await this.driver.executeQuery('RETURN 1', {}, { routing: 'READ' });
  }

  async migrate(): Promise<string[]> {
    const pending = await this.pendingMigrations();
    if (pending.length === 0) return [];
    // Schema statements cannot share a transaction with writes: one auto-commit call each.
    for (const statement of SCHEMA_STATEMENTS) await this.driver.executeQuery(statement);
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

  userRepository() {
    return this.guarded(new Neo4jUserRepository(this.driver));
  }

  followRepository() {
    return this.guarded(new Neo4jFollowRepository(this.driver));
  }

  postRepository() {
    return this.guarded(new Neo4jPostRepository(this.driver));
  }

  blogRepository() {
    return this.guarded(new Neo4jBlogRepository(this.driver));
  }

  listingRepository() {
    return this.guarded(new Neo4jListingRepository(this.driver));
  }

  /** The store's native bulk path, for cmd/seed.ts. */
  bulkSeeder() {
    return new Neo4jBulkSeeder(this.driver);
  }

  private guarded<T extends object>(repository: T): T {
    return guard('neo4j', repository, isNeo4jUnavailable);
  }
}
