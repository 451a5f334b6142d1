import { sql, type Kysely } from 'kysely';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import type { SqlDialectName } from './dialect.js';
import { followRow, postRow, userRow } from './records.js';
import type { Database } from './schema.js';

/**
 * Multi-row INSERTs, one transaction per batch (SQLite's fast path; PostgreSQL stays under its
 * 65,535-parameter limit with batches of 1,000). Rows already present are skipped, so a seed
 * with the same deterministic ids can be re-run or resumed.
 */
export class SqlBulkSeeder {
  private tuned = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
  ) {}

  /**
   * SQLite, for this connection only (the seeding process): a 512 MiB page cache, since
   * millions of random inserts into the follows and posts indexes otherwise re-read pages
   * on every batch, and no fsync per batch (WAL with synchronous=NORMAL stays consistent
   * after a crash; an interrupted seed is re-run anyway).
   */
  private async tune(): Promise<void> {
    if (this.tuned || this.dialect !== 'sqlite') return;
    this.tuned = true;
    await sql`pragma cache_size = -524288`.execute(this.db);
    await sql`pragma synchronous = NORMAL`.execute(this.db);
  }

  async users(users: readonly User[]): Promise<void> {
    await this.tune();
    const rows = users.map(userRow);
    await this.db.transaction().execute((trx) => trx.insertInto('users').values(rows).onConflict((oc) => oc.doNothing()).execute());
  }

  async follows(follows: readonly Follow[]): Promise<void> {
    await this.tune();
    const rows = follows.map(followRow);
    await this.db.transaction().execute((trx) => trx.insertInto('follows').values(rows).onConflict((oc) => oc.doNothing()).execute());
  }

  async posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    await this.tune();
    const rows = posts.map((p) => postRow(p.post, p.slotKey, p.repostKey));
    await this.db.transaction().execute((trx) => trx.insertInto('posts').values(rows).onConflict((oc) => oc.doNothing()).execute());
  }

  /**
   * PostgreSQL: VACUUM ANALYZE the seeded tables now, so the planner has statistics and
   * autovacuum does not start on millions of new rows while the data is being served (or
   * benchmarked). SQLite: fold the write-ahead log into the database file.
   */
  async finish(): Promise<void> {
    if (this.dialect === 'postgres') {
      for (const table of ['users', 'follows', 'posts']) await sql`vacuum analyze ${sql.table(table)}`.execute(this.db);
    } else {
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(this.db);
    }
  }
}
