import type { Database as SqliteConnection } from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import { v7 } from 'uuid';
import { isId } from '../../internal/domain/shared/id-generator.js';
import type { IdRange, QueuedJob, TimelineEntry, TimelineJob, TimelineSlice, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import { toCount, toDate, type SqlDialectName } from './dialect.js';
import { CompiledShapes } from './compiled.js';
import { idIs, knownIds } from './ids.js';
import { rowLimit } from './keyset.js';
import type { Database } from './schema.js';

/** Entry rows per INSERT: three parameters each, well under SQLite's 32,766. */
const ENTRY_ROWS_PER_STATEMENT = 1_000;

/** The row a timeline read answers (see readShape). */
interface SliceRow {
  ready: number;
  floor: string | null;
  celebrities: unknown;
  post_ids: unknown;
}

/** A reader's timeline as a write finds it once it holds it. */
interface HeldTimeline {
  reader_id: string;
  floor: string | null;
}

/**
 * Home timelines, the celebrity registry and the job queue in SQL (see migration 006).
 *
 * Every write to a timeline runs in one transaction that first holds the timelines it touches:
 * on PostgreSQL `SELECT ... FOR UPDATE` in reader id order (so writers to overlapping readers
 * queue instead of deadlocking, and each statement after it sees the others' committed work);
 * on SQLite the transaction itself, which Kysely runs whole on the single connection. Holding
 * the row is what keeps `entries` (the count of its entries) and `floor` exact under parallel
 * fan-outs: entries at or below the floor are left out, and a timeline over its cap loses its
 * oldest entries, the newest of which becomes the floor.
 */
export class SqlTimelineStore implements TimelineStore {
  /** The read's statement, compiled once per `from,before,limit` variant (whether each bound is given, and the limit). */
  private readonly reads: CompiledShapes<Database, SliceRow, string>;

  /**
   * `relaxed`: the SQLite connection, when this store's writes may commit without waiting for
   * the disk (see `write`); null to commit as the connection does (PostgreSQL always).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
    private readonly relaxed: SqliteConnection | null = null,
  ) {
    this.reads = new CompiledShapes(db, (variant) => this.readShape(variant));
  }

  /**
   * Runs one write of this store (a transaction or a statement) on `db`. With `relaxed`, it holds
   * SQLite's one connection for the write (Kysely's other queries wait; nothing else commits
   * meanwhile) and commits it with `synchronous = NORMAL`: into the write-ahead log without an
   * fsync, then back to the connection's own setting (FULL).
   *
   * Safe only where the writes the timelines follow (posts, follows) commit FULL to the same
   * database, as SqlStore.timelinesBesideTheirWrites says: the log is one file written in order,
   * so the fsync of any later FULL commit makes every earlier commit durable too, and a power
   * loss can only take the newest commits, never one from the middle. A job is enqueued before
   * the write it describes, so the write's own commit makes the job durable; a job's work and its
   * completion are lost together or kept together, and a lost job or build is only done again
   * (jobs read the current state). A post or follow thus costs one fsync instead of three
   * (enqueue, write, the worker's fan-out).
   */
  private async write<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    const sqlite = this.relaxed;
    if (!sqlite) return work(this.db);
    return this.db.connection().execute(async (db) => {
      const own = Number(sqlite.pragma('synchronous', { simple: true }));
      sqlite.pragma('synchronous = NORMAL');
      try {
        return await work(db);
      } finally {
        sqlite.pragma(`synchronous = ${own}`);
      }
    });
  }

  /** One transaction of this store's, committed as `write` says. */
  private transact<T>(work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.write((db) => db.transaction().execute(work));
  }

  /**
   * One statement: the timeline row with its celebrities and its page of entries aggregated as
   * JSON arrays. The aggregates carry no ORDER BY (on SQLite it costs a temporary B-tree each, 3×
   * the statement at a full timeline); the arrays are put in order by `read` instead. Its values,
   * in order: the reader, the lower and upper bounds the variant has, the reader again.
   */
  private readShape(variant: string) {
    const [from, before, limit] = variant.split(',').map(Number) as [number, number, number];
    let entries = this.db.selectFrom('timeline_entries').select('post_id').where('reader_id', '=', 'reader');
    if (from) entries = entries.where('post_id', '>=', 'from');
    if (before) entries = entries.where('post_id', '<', 'before');
    const aggregate = sql.raw(this.dialect === 'postgres' ? 'json_agg' : 'json_group_array');
    return sql<SliceRow>`
      select t.ready, t.floor,
        (select ${aggregate}(c.author_id) from timeline_celebrities c where c.reader_id = t.reader_id) as celebrities,
        (select ${aggregate}(e.post_id) from (${entries.orderBy('post_id', 'desc').limit(rowLimit(limit))}) e) as post_ids
      from timelines t where t.reader_id = ${'reader'}`;
  }

  /** See readShape. */
  async read(readerId: string, range: IdRange, limit: number): Promise<TimelineSlice | null> {
    if (!isId(readerId)) return null;
    rowLimit(limit); // a whole number, or this throws before a variant is kept for it
    const variant = `${range.idFrom ? 1 : 0},${range.idBefore ? 1 : 0},${limit}`;
    const parameters = [readerId, ...(range.idFrom ? [range.idFrom] : []), ...(range.idBefore ? [range.idBefore] : []), readerId];
    const rows = await this.reads.of(variant).rows(parameters);
    const row = rows[0];
    if (!row) return null;
    return {
      ready: toCount(row.ready) === 1,
      floor: row.floor,
      celebrities: jsonArray(row.celebrities).sort(),
      postIds: jsonArray(row.post_ids).sort().reverse(),
    };
  }

  /** A new timeline, or a stale build taken over, starts empty (whatever a failed build left is cleared). */
  async open(readerId: string, now: Date, staleBefore: Date): Promise<boolean> {
    if (!isId(readerId)) return false;
    const fresh = { ready: 0, floor: null, opened_at: now.toISOString(), entries: 0 };
    return this.transact(async (trx) => {
      const result = await trx
        .insertInto('timelines')
        .values({ reader_id: readerId, ...fresh })
        .onConflict((oc) =>
          oc.column('reader_id').doUpdateSet(fresh).where('timelines.ready', '=', 0).where('timelines.opened_at', '<', staleBefore.toISOString()),
        )
        .executeTakeFirst();
      if (toCount(result.numInsertedOrUpdatedRows) !== 1) return false;
      await trx.deleteFrom('timeline_entries').where('reader_id', '=', readerId).execute();
      await trx.deleteFrom('timeline_celebrities').where('reader_id', '=', readerId).execute();
      return true;
    });
  }

  async fill(readerId: string, entries: readonly TimelineEntry[], floor: string | null, celebrities: readonly string[], cap: number): Promise<void> {
    if (!isId(readerId)) return;
    await this.transact(async (trx) => {
      const [held] = await this.hold(trx, [readerId]);
      if (!held) return; // dropped while it was being built
      const raised = floor !== null && (held.floor === null || floor > held.floor) ? floor : held.floor;
      if (raised !== null) await trx.deleteFrom('timeline_entries').where('reader_id', '=', readerId).where('post_id', '<=', raised).execute();
      await trx.deleteFrom('timeline_celebrities').where('reader_id', '=', readerId).execute();
      if (celebrities.length > 0) {
        await trx.insertInto('timeline_celebrities').values(celebrities.map((authorId) => ({ reader_id: readerId, author_id: authorId }))).execute();
      }
      const count = trx.selectFrom('timeline_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('reader_id', '=', readerId);
      await trx.updateTable('timelines').set({ floor: raised, ready: 1, entries: count }).where('reader_id', '=', readerId).execute();
      await this.add(trx, [{ reader_id: readerId, floor: raised }], () => entries, cap);
    });
  }

  async fanOut(entry: TimelineEntry, readerIds: readonly string[], cap: number): Promise<void> {
    const readers = knownIds(readerIds);
    if (readers.length === 0) return;
    await this.transact(async (trx) => this.add(trx, await this.hold(trx, readers), () => [entry], cap));
  }

  async backfill(readerId: string, entries: readonly TimelineEntry[], cap: number): Promise<void> {
    if (!isId(readerId) || entries.length === 0) return;
    await this.transact(async (trx) => this.add(trx, await this.hold(trx, [readerId]), () => entries, cap));
  }

  async removeAuthor(readerId: string, authorId: string): Promise<void> {
    if (!isId(readerId)) return;
    await this.transact(async (trx) => {
      if ((await this.hold(trx, [readerId])).length === 0) return;
      const removed = await trx.deleteFrom('timeline_entries').where('reader_id', '=', readerId).where(idIs('author_id', authorId)).executeTakeFirst();
      const n = toCount(removed.numDeletedRows);
      if (n > 0) await trx.updateTable('timelines').set((eb) => ({ entries: eb('entries', '-', n) })).where('reader_id', '=', readerId).execute();
    });
  }

  async setCelebrity(readerId: string, authorId: string, celebrity: boolean): Promise<void> {
    if (!isId(readerId) || !isId(authorId)) return;
    if (!celebrity) {
      await this.write((db) => db.deleteFrom('timeline_celebrities').where('reader_id', '=', readerId).where('author_id', '=', authorId).execute());
      return;
    }
    await this.transact(async (trx) => {
      if ((await this.hold(trx, [readerId])).length === 0) return;
      await trx.insertInto('timeline_celebrities').values({ reader_id: readerId, author_id: authorId }).onConflict((oc) => oc.doNothing()).execute();
    });
  }

  async drop(readerId: string): Promise<void> {
    if (!isId(readerId)) return;
    await this.transact(async (trx) => {
      await this.hold(trx, [readerId]);
      await trx.deleteFrom('timeline_entries').where('reader_id', '=', readerId).execute();
      await trx.deleteFrom('timeline_celebrities').where('reader_id', '=', readerId).execute();
      await trx.deleteFrom('timelines').where('reader_id', '=', readerId).execute();
    });
  }

  async isCelebrity(authorId: string): Promise<boolean> {
    return (await this.db.selectFrom('celebrities').select('author_id').where(idIs('author_id', authorId)).executeTakeFirst()) !== undefined;
  }

  async celebrities(): Promise<string[]> {
    return (await this.db.selectFrom('celebrities').select('author_id').execute()).map((r) => r.author_id);
  }

  async markCelebrity(authorId: string, celebrity: boolean): Promise<void> {
    if (!isId(authorId)) return;
    await this.write(async (db) => {
      if (celebrity) await db.insertInto('celebrities').values({ author_id: authorId }).onConflict((oc) => oc.doNothing()).execute();
      else await db.deleteFrom('celebrities').where('author_id', '=', authorId).execute();
    });
  }

  async enqueue(job: TimelineJob, runAt: Date): Promise<string> {
    const id = v7();
    await this.write((db) =>
      db
        .insertInto('timeline_jobs')
        .values({ id, job: JSON.stringify(job), run_at: runAt.toISOString(), enqueued_at: new Date().toISOString(), attempts: 0 })
        .execute(),
    );
    return id;
  }

  async reschedule(jobId: string, runAt: Date): Promise<void> {
    await this.write((db) => db.updateTable('timeline_jobs').set({ run_at: runAt.toISOString() }).where(idIs('id', jobId)).execute());
  }

  /**
   * One transaction: the ready jobs never claimed (by primary key), then the due jobs, oldest due
   * first, then their lease (run_at moved to its end). PostgreSQL skips jobs another claim holds
   * (`FOR UPDATE SKIP LOCKED`), so parallel claims take different jobs without waiting; SQLite's
   * transaction runs alone. The ready ids are filtered to ids first (a uuid column refuses others).
   */
  async claim(now: Date, leaseMs: number, limit: number, ready: readonly string[] = []): Promise<QueuedJob[]> {
    if (limit <= 0) return [];
    const readyIds = knownIds(ready);
    return this.transact(async (trx) => {
      const oldestFirst = (n: number) => {
        const query = trx.selectFrom('timeline_jobs').select(['id', 'job', 'enqueued_at', 'attempts']).orderBy('run_at').orderBy('id').limit(n);
        return this.dialect === 'postgres' ? query.forUpdate().skipLocked() : query;
      };
      const rows = readyIds.length > 0 ? await oldestFirst(limit).where('id', 'in', readyIds).where('attempts', '=', 0).execute() : [];
      if (rows.length < limit) {
        let due = oldestFirst(limit - rows.length).where('run_at', '<=', now.toISOString());
        if (rows.length > 0) due = due.where('id', 'not in', rows.map((r) => r.id));
        rows.push(...(await due.execute()));
      }
      if (rows.length === 0) return [];
      await trx
        .updateTable('timeline_jobs')
        .set((eb) => ({ run_at: new Date(now.getTime() + leaseMs).toISOString(), attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', rows.map((r) => r.id))
        .execute();
      return rows.map((r) => ({ id: r.id, job: JSON.parse(r.job) as TimelineJob, enqueuedAt: toDate(r.enqueued_at), attempts: toCount(r.attempts) }));
    });
  }

  /** One statement for them all. */
  async complete(jobIds: readonly string[]): Promise<void> {
    const ids = knownIds(jobIds);
    if (ids.length === 0) return;
    await this.write((db) => db.deleteFrom('timeline_jobs').where('id', 'in', ids).execute());
  }

  async pendingJobs(): Promise<number> {
    const row = await this.db.selectFrom('timeline_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  /** The timelines of `readerIds` that exist, held for the rest of the transaction (see the class). */
  private hold(trx: Transaction<Database>, readerIds: readonly string[]): Promise<HeldTimeline[]> {
    const query = trx.selectFrom('timelines').select(['reader_id', 'floor']).where('reader_id', 'in', readerIds).orderBy('reader_id');
    return (this.dialect === 'postgres' ? query.forUpdate() : query).execute();
  }

  /**
   * Adds `entriesOf` each held timeline, leaving out those at or below its floor (and those it
   * holds already), counts them into `entries` and trims the timelines that went over `cap`.
   */
  private async add(trx: Transaction<Database>, held: readonly HeldTimeline[], entriesOf: (t: HeldTimeline) => readonly TimelineEntry[], cap: number): Promise<void> {
    const rows = held.flatMap((t) =>
      entriesOf(t)
        .filter((e) => t.floor === null || e.postId > t.floor)
        .map((e) => ({ reader_id: t.reader_id, post_id: e.postId, author_id: e.authorId })),
    );
    const added = new Map<string, number>();
    for (let i = 0; i < rows.length; i += ENTRY_ROWS_PER_STATEMENT) {
      const inserted = await trx
        .insertInto('timeline_entries')
        .values(rows.slice(i, i + ENTRY_ROWS_PER_STATEMENT))
        .onConflict((oc) => oc.doNothing())
        .returning('reader_id')
        .execute();
      for (const { reader_id } of inserted) added.set(reader_id, (added.get(reader_id) ?? 0) + 1);
    }
    const excessOf = new Map<string, number>();
    for (const [n, readers] of groupByValue(added)) {
      const counted = await trx
        .updateTable('timelines')
        .set((eb) => ({ entries: eb('entries', '+', n) }))
        .where('reader_id', 'in', readers)
        .returning(['reader_id', 'entries'])
        .execute();
      for (const { reader_id, entries } of counted) if (entries > cap) excessOf.set(reader_id, entries - cap);
    }
    for (const [excess, readers] of groupByValue(excessOf)) await this.trim(trx, readers, excess, cap);
  }

  /**
   * Removes the `excess` oldest entries of each of `readers` (each holds `cap + excess`): the
   * floor becomes the newest of them (above the old floor, as every entry is), then they go.
   * Two set-based statements, each an index seek per reader: PostgreSQL takes each reader's
   * oldest entries through LATERAL ... LIMIT, which its planner cannot turn into a scan of the
   * whole table; SQLite joins each reader's primary key range up to its new floor.
   */
  private async trim(trx: Transaction<Database>, readers: readonly string[], excess: number, cap: number): Promise<void> {
    const oldest = sql<string>`(select e.post_id from timeline_entries e where e.reader_id = timelines.reader_id order by e.post_id limit 1 offset ${excess - 1})`;
    await trx.updateTable('timelines').set({ floor: oldest, entries: cap }).where('reader_id', 'in', readers).execute();
    const trimmed =
      this.dialect === 'postgres'
        ? sql`select t.reader_id, x.post_id from timelines t cross join lateral (
            select e.post_id from timeline_entries e where e.reader_id = t.reader_id order by e.post_id limit ${excess}) x`
        : sql`select t.reader_id, e.post_id from timelines t join timeline_entries e on e.reader_id = t.reader_id and e.post_id <= t.floor`;
    await sql`delete from timeline_entries where (reader_id, post_id) in (${trimmed} where t.reader_id in (${sql.join(readers)}))`.execute(trx);
  }
}

/** The keys of `map` grouped by their value: readers that take the same statement. */
function groupByValue<K, V>(map: ReadonlyMap<K, V>): Map<V, K[]> {
  const groups = new Map<V, K[]>();
  for (const [key, value] of map) {
    const group = groups.get(value);
    if (group) group.push(key);
    else groups.set(value, [key]);
  }
  return groups;
}

/** A JSON array aggregate as either driver answers it: parsed (pg), text (SQLite) or null (no rows, PostgreSQL). */
function jsonArray(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  return (typeof value === 'string' ? JSON.parse(value) : value) as string[];
}
