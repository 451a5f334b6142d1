import { sql, type Kysely } from 'kysely';
import { isId } from '../../internal/domain/shared/id-generator.js';
import { SESSION_NOT_LIVE, type IdRange, type SessionCheck, type TimelinePage, type TimelinePages } from '../../internal/domain/timelines/timeline-store.js';
import { CompiledShape, CompiledShapes } from './compiled.js';
import { toCount, type SqlDialectName } from './dialect.js';
import { rowLimit } from './keyset.js';
import type { Database } from './schema.js';
import { JOINED_VIEW_COLUMNS, toViews, type ViewRow } from './views.js';

/** A row of the page's statement: the timeline's state, and one view (all null when the page is empty). */
type PageRow = ViewRow & { t_ready: number; t_floor: string | null; t_entries: number };

/** The reader's session while it is live (its primary key): values, the session's id, the reader, the time. */
const LIVE_SESSION = sql<{ live: number }>`select 1 as live from sessions where id = ${'session'} and user_id = ${'reader'} and expires_at > ${'now'}`;

/**
 * A following page from a timeline in one statement, where timelines and posts share a SQL
 * database: what `SqlTimelineStore.read` and `SqlPostRepository.newestAmong` answer in two.
 *
 * - `e`: the timeline's newest `limit` entries in the range (its primary key, reader then post);
 * - `m`: the newest `limit` ids among those and each celebrity's newest `limit` posts in the
 *   range (the author index; on PostgreSQL one LATERAL read per celebrity), merged by id alone
 *   (UNION of whole rows compares every column: a third of the statement on SQLite);
 * - the timeline's row, joined to the posts of `m` and their originals, by primary key.
 *
 * The timeline row drives the join, so a reader without one gets no row at all, and one whose
 * page is empty gets a row of nulls after the state. With a session to confirm, the timeline's
 * row must also find it live (one primary-key read, evaluated once). No row then means no
 * timeline or no live session; a second statement tells which, on that rare path only (a first
 * read, a revoked token). Driving the statement from the session instead cost SQLite a sort:
 * the page's order no longer came from a single timeline row (14 µs against the 9.5 of a
 * separate session read). `e` and `m` are NOT MATERIALIZED: SQLite
 * would otherwise copy each into a temporary table, which doubled the statement's time. Measured
 * at 1M posts on SQLite, for u1's first page, in a loop: 59 µs, against 87 µs for the two
 * statements it replaces.
 */
export class SqlTimelinePages implements TimelinePages {
  /** Compiled once per `from,before,limit,session` variant (whether each bound and a session are given, and the limit). */
  private readonly shapes: CompiledShapes<Database, PageRow, string>;
  private readonly liveSession: CompiledShape<Database, { live: number }>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
  ) {
    this.shapes = new CompiledShapes(db, (variant) => this.shape(variant));
    this.liveSession = new CompiledShape(db, () => LIVE_SESSION);
  }

  /**
   * Values, in order: the reader and the bounds the variant has (entries), the same for the
   * celebrities (the reader last on PostgreSQL), the reader, then the session's id, the reader
   * and the time when the variant has a session.
   */
  private shape(variant: string) {
    const [from, before, limit, session] = variant.split(',').map(Number) as [number, number, number, number];
    const bounds = (column: string) => sql`${from ? sql` and ${sql.ref(column)} >= ${'from'}` : sql``}${before ? sql` and ${sql.ref(column)} < ${'before'}` : sql``}`;
    const rows = rowLimit(limit);
    const celebrityPosts =
      this.dialect === 'postgres'
        ? sql`select a.id from timeline_celebrities tc cross join lateral (
            select id from posts where author_id = tc.author_id${bounds('id')} order by id desc limit ${rows}) a
          where tc.reader_id = ${'reader'}`
        : sql`select id from posts
          where author_id in (select author_id from timeline_celebrities where reader_id = ${'reader'})${bounds('id')}
          order by id desc limit ${rows}`;
    const inMerged = this.dialect === 'postgres' ? sql`p.id = any(array(select id from m))` : sql`p.id in (select id from m)`;
    return sql<PageRow>`
      with e as not materialized (
        select post_id from timeline_entries where reader_id = ${'reader'}${bounds('post_id')} order by post_id desc limit ${rows}
      ), m as not materialized (
        select post_id as id from e union select id from (${celebrityPosts}) c order by 1 desc limit ${rows}
      )
      select t.ready as t_ready, t.floor as t_floor, (select count(*) from e) as t_entries, ${JOINED_VIEW_COLUMNS}
      from timelines t
      left join posts p on ${inMerged}
      left join posts o on o.id = p.original_id
      where t.reader_id = ${'reader'}${session ? sql` and exists (${LIVE_SESSION})` : sql``}
      order by p.id desc`;
  }

  async read(readerId: string, range: IdRange, limit: number, session?: SessionCheck): Promise<TimelinePage | null | typeof SESSION_NOT_LIVE> {
    if (!isId(readerId) || (session && !isId(session.sessionId))) return session ? SESSION_NOT_LIVE : null;
    rowLimit(limit); // a whole number, or this throws before a variant is kept for it
    const bounds = [...(range.idFrom ? [range.idFrom] : []), ...(range.idBefore ? [range.idBefore] : [])];
    const celebrities = this.dialect === 'postgres' ? [...bounds, readerId] : [readerId, ...bounds];
    const variant = `${range.idFrom ? 1 : 0},${range.idBefore ? 1 : 0},${limit},${session ? 1 : 0}`;
    const check = session ? [session.sessionId, readerId, session.now.toISOString()] : [];
    const rows = await this.shapes.of(variant).rows([readerId, ...bounds, ...celebrities, readerId, ...check]);
    const state = rows[0];
    if (!state) return session && !(await this.liveSession.first(check)) ? SESSION_NOT_LIVE : null;
    return {
      ready: toCount(state.t_ready) === 1,
      floor: state.t_floor,
      entries: toCount(state.t_entries),
      views: toViews(state.id === null ? [] : rows),
    };
  }
}
