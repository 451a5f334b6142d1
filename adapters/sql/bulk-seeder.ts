import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import type { BulkSeeder } from '../shared/store.js';
import { recountFollows, recountPosts } from './counters.js';
import { insertJsonRows } from './json-rows.js';
import { followRow, postRow, userRow } from './records.js';
import type { Database } from './schema.js';

type SeededTable = 'users' | 'follows' | 'posts';
type Row = Record<string, unknown>;

/**
 * Rows held before they are written, per table: one transaction per this many rows. A commit
 * writes every page its rows touched, and random UUID keys touch pages all over each index:
 * into a SQLite file of a million posts, 50,000 rows per commit wrote 1.7 times as fast as
 * 1,000; PostgreSQL saves the round trips and commits.
 */
const ROWS_PER_WRITE = 50_000;

/** How the rows reach one dialect's database, and what it does once they all have. */
interface RowSink {
  write(table: SeededTable, rows: readonly Row[]): Promise<void>;
  finish(): Promise<void>;
}

/**
 * Seeding's bulk path (cmd/seed.ts). Batches are gathered per table and written
 * `ROWS_PER_WRITE` rows to a transaction, so a batch may be held until a later one or `finish`
 * writes it: `finish` must end a seed (it also rebuilds every counter, which the batches do not
 * keep). Rows already present are skipped, so a seed with the same deterministic ids can be
 * re-run or resumed; an interrupted seed loses at most the rows it held.
 */
export class SqlBulkSeeder implements BulkSeeder {
  private readonly held = new Map<SeededTable, Row[]>();
  private readonly sink: RowSink;
  /** The write under way: PostgreSQL works on it while the next rows are made and gathered. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    sqlite: SqliteConnection | null,
  ) {
    this.sink = sqlite ? new SqliteSink(db, sqlite) : new PostgresSink(db);
  }

  users(users: readonly User[]): Promise<void> {
    return this.add('users', users.map(userRow));
  }

  follows(follows: readonly Follow[]): Promise<void> {
    return this.add('follows', follows.map(followRow));
  }

  posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    return this.add('posts', posts.map((p) => postRow(p.post, p.slotKey, p.repostKey)));
  }

  /** Writes what is held, rebuilds the counters in one transaction, then lets the dialect tidy up. */
  async finish(): Promise<void> {
    for (const table of [...this.held.keys()]) await this.write(table);
    await this.writing;
    await this.db.transaction().execute(async (trx) => {
      await recountFollows(trx);
      await recountPosts(trx);
    });
    await this.sink.finish();
  }

  private async add(table: SeededTable, rows: readonly Row[]): Promise<void> {
    let held = this.held.get(table);
    if (!held) this.held.set(table, (held = []));
    for (const row of rows) held.push(row);
    if (held.length >= ROWS_PER_WRITE) await this.write(table);
  }

  /** Starts writing what `table` holds once the previous write is done (whose failure this throws). */
  private async write(table: SeededTable): Promise<void> {
    const rows = this.held.get(table);
    this.held.delete(table);
    if (!rows || rows.length === 0) return;
    await this.writing;
    this.writing = this.sink.write(table, rows);
    this.writing.catch(() => {}); // seen by the next write or by finish
  }
}

/**
 * SQLite: one prepared INSERT per table, run row by row on better-sqlite3's own handle inside
 * one transaction (Kysely builds and parses a multi-row statement per write, which took longer
 * than the inserts themselves). While seeding, the connection keeps a 512 MiB page cache, since
 * the indexes of millions of rows otherwise re-read pages on every write, and does not fsync:
 * after a crash of the process the database is intact (WAL); after a power loss it may not be,
 * and a seed is run again anyway. `finish` folds the write-ahead log into the file and restores
 * both settings.
 */
class SqliteSink implements RowSink {
  private readonly statements = new Map<SeededTable, Statement>();
  private restore: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: SqliteConnection,
  ) {}

  /** Through Kysely's connection, which waits for Kysely's queries and transactions: the raw statements then run alone. */
  async write(table: SeededTable, rows: readonly Row[]): Promise<void> {
    await this.db.connection().execute(async () => {
      this.tune();
      const statement = this.insertInto(table, rows[0]!);
      this.connection.transaction(() => {
        for (const row of rows) statement.run(row);
      })();
    });
  }

  async finish(): Promise<void> {
    await this.db.connection().execute(async () => {
      this.connection.pragma('wal_checkpoint(TRUNCATE)');
      this.restore?.();
      this.restore = null;
    });
  }

  private tune(): void {
    if (this.restore) return;
    const cacheSize: unknown = this.connection.pragma('cache_size', { simple: true });
    const synchronous: unknown = this.connection.pragma('synchronous', { simple: true });
    this.connection.pragma('cache_size = -524288');
    this.connection.pragma('synchronous = OFF');
    this.restore = () => {
      this.connection.pragma(`cache_size = ${Number(cacheSize)}`);
      this.connection.pragma(`synchronous = ${Number(synchronous)}`);
    };
  }

  /** The table's INSERT of the columns `sample` has, bound by name (every row of a table has the same). */
  private insertInto(table: SeededTable, sample: Row): Statement {
    let statement = this.statements.get(table);
    if (!statement) {
      const columns = Object.keys(sample);
      statement = this.connection.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')}) on conflict do nothing`);
      this.statements.set(table, statement);
    }
    return statement;
  }
}

/** PostgreSQL: each write one transaction of JSON-document INSERTs (see insertJsonRows). */
class PostgresSink implements RowSink {
  constructor(private readonly db: Kysely<Database>) {}

  async write(table: SeededTable, rows: readonly Row[]): Promise<void> {
    await sql`${insertJsonRows(table, rows)} on conflict do nothing`.execute(this.db);
  }

  /**
   * VACUUM ANALYZE the seeded tables now, so the planner has statistics and autovacuum does
   * not start on millions of new rows while the data is being served (or benchmarked).
   */
  async finish(): Promise<void> {
    for (const table of ['users', 'follows', 'posts', 'follow_counts', 'post_counts']) await sql`vacuum analyze ${sql.table(table)}`.execute(this.db);
  }
}
