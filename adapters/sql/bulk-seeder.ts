import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { sql, type Kysely } from 'kysely';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import { isoTime } from '../../internal/domain/shared/time.js';
import type { User } from '../../internal/domain/users/user.js';
import type { BulkSeeder } from '../shared/store.js';
import { recountFollows, recountPosts } from './counters.js';
import { insertJsonRows } from './json-rows.js';
import { followRow, postRow, userRow } from './records.js';
import type { Database } from './schema.js';

type SeededTable = 'users' | 'follows' | 'posts';
type SeededPost = { post: Post; slotKey: string; repostKey: string };

/**
 * Rows held before they are written, per table: one transaction per this many rows. A commit
 * writes every page its rows touched, and random UUID keys touch pages all over each index:
 * into a SQLite file of a million posts, 50,000 rows per commit wrote 1.7 times as fast as
 * 1,000; PostgreSQL saves the round trips and commits.
 */
const ROWS_PER_WRITE = 50_000;

/**
 * How the rows reach one dialect's database, and what it does once they all have. Each sink
 * makes its own form of a row (`R`): PostgreSQL objects by column name, SQLite arrays.
 */
interface RowSink<R> {
  userRow(user: User): R;
  followRow(follow: Follow): R;
  postRow(post: SeededPost): R;
  /** Rows to gather before a write of `table`. */
  rowsPerWrite(table: SeededTable): number;
  /** Owns `rows` from then on (it may reorder them). */
  write(table: SeededTable, rows: R[]): Promise<void>;
  /** Once every row of `table` (or, without one, of every table) is written; before the counters are rebuilt from them. */
  complete(table?: SeededTable): Promise<void>;
  finish(): Promise<void>;
}

/**
 * Seeding's bulk path (cmd/seed.ts). Batches are gathered per table and written
 * `ROWS_PER_WRITE` rows to a transaction, so a batch may be held until a later one or `finish`
 * writes it: `finish` must end a seed (it also rebuilds every counter, which the batches do not
 * keep, and on SQLite re-creates the indexes an empty table's load went without). Rows already
 * present are skipped, so a seed with the same deterministic ids can be re-run or resumed; an
 * interrupted seed loses at most the rows it held.
 */
export class SqlBulkSeeder implements BulkSeeder {
  private readonly held = new Map<SeededTable, unknown[]>();
  private readonly sink: RowSink<unknown>;
  /** The write under way: PostgreSQL works on it while the next rows are made and gathered. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    sqlite: SqliteConnection | null,
  ) {
    this.sink = sqlite ? new SqliteSink(db, sqlite) : new PostgresSink(db);
  }

  users(users: readonly User[]): Promise<void> {
    return this.add('users', users, (u) => this.sink.userRow(u));
  }

  follows(follows: readonly Follow[]): Promise<void> {
    return this.add('follows', follows, (f) => this.sink.followRow(f));
  }

  posts(posts: readonly SeededPost[]): Promise<void> {
    return this.add('posts', posts, (p) => this.sink.postRow(p));
  }

  /** Writes what `table` holds, then lets the dialect complete it (SQLite: its deferred indexes). */
  async complete(table: SeededTable): Promise<void> {
    await this.write(table);
    await this.writing;
    await this.sink.complete(table);
  }

  /**
   * Writes what is held, lets the dialect complete the tables (SQLite: the deferred indexes
   * `complete` has not built), rebuilds the counters in one transaction, then lets the dialect
   * tidy up.
   */
  async finish(): Promise<void> {
    for (const table of [...this.held.keys()]) await this.write(table);
    await this.writing;
    await this.sink.complete();
    await this.db.transaction().execute(async (trx) => {
      await recountFollows(trx);
      await recountPosts(trx);
    });
    await this.sink.finish();
  }

  private async add<T>(table: SeededTable, items: readonly T[], toRow: (item: T) => unknown): Promise<void> {
    let held = this.held.get(table);
    if (!held) this.held.set(table, (held = []));
    for (const item of items) held.push(toRow(item));
    if (held.length >= this.sink.rowsPerWrite(table)) await this.write(table);
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

/** The columns SQLite's rows hold, in order (the keys of records.ts's rows, which a test compares). */
export const SQLITE_SEED_COLUMNS = {
  users: ['id', 'username', 'username_key', 'password_hash', 'joined_at'],
  follows: ['id', 'follower_id', 'followee_id', 'created_at'],
  posts: ['id', 'kind', 'author_id', 'author_name', 'content', 'original_id', 'created_at', 'search_text', 'slot_key', 'repost_key'],
} as const satisfies Record<SeededTable, readonly string[]>;

/** SQLite's row of a user: userRow's values (a hundred thousand users are not worth a path of their own). */
export function sqliteUserRow(user: User): unknown[] {
  const r = userRow(user);
  return [r.id, r.username, r.username_key, r.password_hash, r.joined_at];
}

/** SQLite's row of a follow: followRow's values, made without the object. */
export function sqliteFollowRow(f: Follow): unknown[] {
  return [f.id, f.followerId, f.followeeId, isoTime(f.createdAt)];
}

/** SQLite's row of a post: postRow's values, made without the object. */
export function sqlitePostRow({ post, slotKey, repostKey }: SeededPost): unknown[] {
  return [post.id, post.kind, post.authorId, post.authorName, post.content, post.originalId, isoTime(post.createdAt), post.content === null ? null : searchKey(post.content), slotKey, repostKey];
}

/** Rows bound to one INSERT: about a thousand parameters, as many rows as that makes. */
function rowsPerStatement(table: SeededTable): number {
  return Math.max(1, Math.floor(1000 / SQLITE_SEED_COLUMNS[table].length));
}

/**
 * Threads SQLite's sorter may use while a seed builds indexes (PRAGMA threads; the default is
 * none): one index of 2M follows built in 3.7 s instead of 4.1 here (2 cores), no faster with 4.
 */
const SORTER_THREADS = Math.min(4, availableParallelism());

/** The journal modes SQLite answers, the only text a restore puts back into a pragma. */
const JOURNAL_MODES = new Set(['delete', 'truncate', 'persist', 'memory', 'wal', 'off']);

/** Rows gathered before a write into a table loaded without its secondary indexes (see SqliteSink.rowsPerWrite). */
const DEFERRED_ROWS_PER_WRITE = 1000;

/**
 * Where a seed keeps the indexes it dropped from tables it loads while empty, until `finish`
 * re-creates them (each one's own CREATE statement, as sqlite_master held it).
 */
export const SQLITE_DEFERRED_INDEXES = 'seed_deferred_indexes';

const byId = (a: unknown[], b: unknown[]) => {
  const x = a[0] as string;
  const y = b[0] as string;
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * SQLite: multi-row INSERTs prepared once per table and bound by position, run on
 * better-sqlite3's own handle inside one transaction per write (Kysely builds and parses a
 * multi-row statement per write, which took longer than the inserts themselves), each write's
 * rows in id order so the primary key's index takes them in runs.
 *
 * A table that is empty when its first rows arrive is loaded without its secondary indexes:
 * they are dropped (their CREATE statements kept in SQLITE_DEFERRED_INDEXES, in the same
 * transaction) and re-created by `complete`, one sorted build each instead of millions of
 * random B-tree inserts. Unique indexes re-created after the load check the loaded rows; the
 * seed's generators keep those keys unique. If a seed stops before `finish`, the indexes stay
 * missing, and the next seed's `finish` (any size, even nothing new) re-creates them; a server
 * started on such a file before then works, only slower, and without those unique checks.
 *
 * While seeding, the connection keeps a 512 MiB page cache, since the indexes of millions of
 * rows otherwise re-read pages on every write, does not fsync, and writes through a rollback
 * journal rather than the write-ahead log where it can (no other connection has the file
 * open): the rows' new pages are then written once, not to the log and again at each
 * checkpoint (1M posts loaded and indexed at 117,000 posts/s against 106,000 in WAL mode, in
 * one session here). After a crash of the process the database is intact (the journal rolls
 * back the write under way, and the server's next open goes back to WAL); after a power loss
 * it may not be, and a seed is run again anyway. `finish` folds any write-ahead log into the
 * file and restores every setting.
 */
class SqliteSink implements RowSink<unknown[]> {
  private readonly statements = new Map<string, Statement>();
  /** Tables whose first write this seed has seen, and of those, the ones loaded without their secondary indexes. */
  private readonly started = new Set<SeededTable>();
  private readonly deferred = new Set<SeededTable>();
  private restore: (() => void) | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connection: SqliteConnection,
  ) {}

  userRow = sqliteUserRow;
  followRow = sqliteFollowRow;
  postRow = sqlitePostRow;

  /**
   * A table's first rows are written at once (the write finds out whether it is empty). Into
   * a table without its secondary indexes, rows (which the generators give in id order) go
   * at the end of its B-trees, so a commit costs about what its rows do: batches are written
   * as they come, which keeps few rows alive and the garbage collector's work small (a
   * million posts loaded 13% faster than with 50,000 rows held).
   */
  rowsPerWrite(table: SeededTable): number {
    return !this.started.has(table) ? 1 : this.deferred.has(table) ? DEFERRED_ROWS_PER_WRITE : ROWS_PER_WRITE;
  }

  /** Through Kysely's connection, which waits for Kysely's queries and transactions: the raw statements then run alone. */
  async write(table: SeededTable, rows: unknown[][]): Promise<void> {
    await this.db.connection().execute(async () => {
      this.tune();
      this.start(table);
      rows.sort(byId);
      const width = SQLITE_SEED_COLUMNS[table].length;
      const perStatement = rowsPerStatement(table);
      const many = this.insertInto(table, perStatement);
      const one = this.insertInto(table, 1);
      const values = new Array<unknown>(perStatement * width);
      this.connection.transaction(() => {
        let i = 0;
        for (; i + perStatement <= rows.length; i += perStatement) {
          let v = 0;
          for (let r = i; r < i + perStatement; r++) {
            const row = rows[r]!;
            for (let c = 0; c < width; c++) values[v++] = row[c];
          }
          many.run(values);
        }
        for (; i < rows.length; i++) one.run(rows[i]!);
      })();
    });
  }

  async complete(table?: SeededTable): Promise<void> {
    await this.db.connection().execute(async () => {
      this.tune();
      this.createDeferredIndexes(table);
    });
  }

  async finish(): Promise<void> {
    await this.db.connection().execute(async () => {
      this.connection.pragma('wal_checkpoint(TRUNCATE)');
      this.restore?.();
      this.restore = null;
      this.started.clear();
      this.deferred.clear();
    });
  }

  private tune(): void {
    if (this.restore) return;
    const cacheSize: unknown = this.connection.pragma('cache_size', { simple: true });
    const synchronous: unknown = this.connection.pragma('synchronous', { simple: true });
    const threads: unknown = this.connection.pragma('threads', { simple: true });
    const journal = String(this.connection.pragma('journal_mode', { simple: true }));
    this.connection.pragma('cache_size = -524288');
    this.connection.pragma('synchronous = OFF');
    this.connection.pragma(`threads = ${SORTER_THREADS}`);
    // Stays in WAL mode (answers "wal") while another connection has the file open.
    this.connection.pragma('journal_mode = TRUNCATE');
    this.restore = () => {
      this.connection.pragma(`journal_mode = ${JOURNAL_MODES.has(journal) ? journal : 'WAL'}`);
      this.connection.pragma(`cache_size = ${Number(cacheSize)}`);
      this.connection.pragma(`synchronous = ${Number(synchronous)}`);
      this.connection.pragma(`threads = ${Number(threads)}`);
    };
  }

  /**
   * On a table's first write of this seed: if it is empty, its secondary indexes wait for
   * `complete`. A table an interrupted seed left without them (still recorded) is loaded the
   * same way.
   */
  private start(table: SeededTable): void {
    if (this.started.has(table)) return;
    this.started.add(table);
    if (this.recordedDeferred(table)) {
      this.deferred.add(table);
      return;
    }
    if (this.connection.prepare(`select 1 from ${table} limit 1`).get() !== undefined) return;
    const indexes = this.connection
      .prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by rowid`)
      .all(table) as Array<{ name: string; sql: string }>;
    if (indexes.length === 0) return;
    this.connection.transaction(() => {
      this.connection.exec(`create table if not exists ${SQLITE_DEFERRED_INDEXES} (name text primary key, table_name text not null, sql text not null)`);
      const keep = this.connection.prepare(`insert into ${SQLITE_DEFERRED_INDEXES} (name, table_name, sql) values (?, ?, ?) on conflict (name) do nothing`);
      for (const { name, sql } of indexes) {
        keep.run(name, table, sql);
        this.connection.exec(`drop index ${quoted(name)}`);
      }
    })();
    this.deferred.add(table);
  }

  private hasDeferredRecords(): boolean {
    return this.connection.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(SQLITE_DEFERRED_INDEXES) !== undefined;
  }

  private recordedDeferred(table: SeededTable): boolean {
    return this.hasDeferredRecords() && this.connection.prepare(`select 1 from ${SQLITE_DEFERRED_INDEXES} where table_name = ?`).get(table) !== undefined;
  }

  /**
   * Re-creates every index a seed deferred of `table` (or of every table), this seed's or an
   * interrupted one's, each with the removal of its record in one transaction, so a stop midway
   * leaves the rest recorded. The table loads with its indexes from then on.
   */
  private createDeferredIndexes(table?: SeededTable): void {
    if (!this.hasDeferredRecords()) return;
    const indexExists = this.connection.prepare(`select 1 from sqlite_master where type = 'index' and name = ?`);
    const deferred = this.connection
      .prepare(`select name, sql from ${SQLITE_DEFERRED_INDEXES} where @table is null or table_name = @table order by rowid`)
      .all({ table: table ?? null }) as Array<{ name: string; sql: string }>;
    const done = this.connection.prepare(`delete from ${SQLITE_DEFERRED_INDEXES} where name = ?`);
    for (const { name, sql } of deferred) {
      this.connection.transaction(() => {
        if (indexExists.get(name) === undefined) this.connection.exec(sql);
        done.run(name);
      })();
    }
    if (table) this.deferred.delete(table);
    else this.deferred.clear();
    if (this.connection.prepare(`select 1 from ${SQLITE_DEFERRED_INDEXES} limit 1`).get() === undefined) this.connection.exec(`drop table ${SQLITE_DEFERRED_INDEXES}`);
  }

  /** The table's INSERT of `rows` rows of its columns, bound by position. */
  private insertInto(table: SeededTable, rows: number): Statement {
    const key = `${table}:${rows}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const columns = SQLITE_SEED_COLUMNS[table];
      const row = `(${columns.map(() => '?').join(', ')})`;
      statement = this.connection.prepare(`insert into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')} on conflict do nothing`);
      this.statements.set(key, statement);
    }
    return statement;
  }
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** PostgreSQL: each write one transaction of JSON-document INSERTs (see insertJsonRows). */
class PostgresSink implements RowSink<object> {
  constructor(private readonly db: Kysely<Database>) {}

  rowsPerWrite(): number {
    return ROWS_PER_WRITE;
  }

  userRow = userRow;
  followRow = followRow;
  postRow = (p: SeededPost) => postRow(p.post, p.slotKey, p.repostKey);

  async write(table: SeededTable, rows: object[]): Promise<void> {
    await sql`${insertJsonRows(table, rows)} on conflict do nothing`.execute(this.db);
  }

  async complete(): Promise<void> {}

  /**
   * VACUUM ANALYZE the seeded tables now, so the planner has statistics and autovacuum does
   * not start on millions of new rows while the data is being served (or benchmarked).
   */
  async finish(): Promise<void> {
    for (const table of ['users', 'follows', 'posts', 'follow_counts', 'post_counts']) await sql`vacuum analyze ${sql.table(table)}`.execute(this.db);
  }
}
