import { sql, type InferResult, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import { newestAmongApart, type PostFilter, type PostRepository } from '../../internal/domain/posts/post-repository.js';
import type { PostView } from '../../internal/domain/posts/post-views.js';
import { isId } from '../../internal/domain/shared/id-generator.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { CompiledShape, CompiledShapes } from './compiled.js';
import { containsPattern, toCount, type SqlDialectName } from './dialect.js';
import { violatedUnique } from './errors.js';
import { knownIds } from './ids.js';
import { newestFirst, rowLimit } from './keyset.js';
import { postRow } from './records.js';
import type { Database } from './schema.js';
import { toViews, VIEW_COLUMNS, viewPage, viewsQuery } from './views.js';

/** The id bounds and text filter of a post query, shared with the following feed (the cursor is newestFirst's). */
export function filterPosts<Q extends SelectQueryBuilder<Database, 'posts', object>>(query: Q, filter: PostFilter): Q {
  let q = query;
  if (filter.idFrom) q = q.where('id', '>=', filter.idFrom) as Q;
  if (filter.idBefore) q = q.where('id', '<', filter.idBefore) as Q;
  if (filter.text) q = q.where(sql<boolean>`search_text like ${containsPattern(searchKey(filter.text))} escape '\\'`) as Q;
  return q;
}

/** The counter of the original that a repost or a quote adds one to. */
function referenceCounter(post: Post) {
  return sql.ref(post.kind === 'repost' ? 'repost_count' : 'quote_count');
}

export class SqlPostRepository implements PostRepository {
  /** The hot reads' statements, compiled once: a post's view, the all feed's pages (the first, and one after a cursor), views by ids, an author's post count. */
  private readonly shapes: ReturnType<SqlPostRepository['hotShapes']>;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName = 'sqlite',
  ) {
    this.shapes = this.hotShapes();
  }

  private hotShapes() {
    return {
      byIds: new CompiledShapes(this.db, (count: number) => viewsQuery(this.posts().where('id', 'in', Array<string>(count).fill('')))),
      // `authors,rows,cursor`: the newest posts, of a few authors when `authors` > 0 (the
      // celebrities merged into a following page, one author's posts), after a cursor or not.
      newest: new CompiledShapes(this.db, (variant: string) => {
        const [authors, rows, cursor] = variant.split(',').map(Number) as [number, number, number];
        const query = authors > 0 ? this.posts().where('author_id', 'in', Array<string>(authors).fill('')) : this.posts();
        return viewsQuery(newestFirst(query, { limit: rows - 1, ...(cursor ? { before: 'cursor' } : {}) })); // any non-empty stand-in
      }),
      authorPosts: new CompiledShape(this.db, () => this.db.selectFrom('post_counts').select('posts').where('author_id', '=', '')),
      among: new CompiledShapes(this.db, (variant: string) => this.amongShape(variant)),
    };
  }

  /**
   * newestAmong's statement, variant `ids,authors,from,to,before,rows`: the views of the `ids`
   * posts and of the newest `rows` of the authors' (in the bounds the variant has), each once
   * (UNION), the newest `rows` of them. The authors' posts are read as `page` reads them: on
   * PostgreSQL the newest of each author through LATERAL (their ids bound as one array), on
   * SQLite by an IN list. Values in order: the ids, the authors, then the bounds it has.
   */
  private amongShape(variant: string) {
    const [ids, authors, from, to, before, rows] = variant.split(',').map(Number) as [number, number, number, number, number, number];
    const bounded = <Q extends SelectQueryBuilder<Database, 'posts', object>>(query: Q): Q => {
      let q = query;
      if (from) q = q.where('id', '>=', 'from') as Q;
      if (to) q = q.where('id', '<', 'to') as Q;
      if (before) q = q.where('id', '<', 'before') as Q;
      return q.orderBy('id', 'desc').limit(rowLimit(rows)) as Q;
    };
    const byIds = this.posts().where('id', 'in', Array<string>(ids).fill('id'));
    const both =
      this.dialect === 'postgres'
        ? byIds.union(
            sql<InferResult<typeof byIds>[number]>`select a.* from unnest(${'authors'}::uuid[]) as authors(value) cross join lateral (${bounded(this.posts().where('author_id', '=', sql.ref<string>('authors.value')))}) a`,
          )
        : byIds.union(this.db.selectFrom(bounded(this.posts().where('author_id', 'in', Array<string>(authors).fill('author'))).as('c')).selectAll());
    return viewsQuery(sql`select * from (${both}) as m order by m.id desc limit ${rowLimit(rows)}`);
  }

  private posts() {
    return this.db.selectFrom('posts').select(VIEW_COLUMNS);
  }


  async createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    try {
      if (this.dialect === 'postgres') {
        return (await claimSlot(this.db, slotKeys, (key) => this.insertCountingOnPostgres(post, key, repostKey))) !== null;
      }
      return await this.db.transaction().execute((trx) => this.insertCounting(trx, post, slotKeys, repostKey));
    } catch (err) {
      if (violatedUnique(err)?.includes('repost_key')) throw new AlreadyRepostedError();
      throw err;
    }
  }

  private insertInto(db: Kysely<Database>, post: Post, slotKey: string, repostKey: string) {
    return db.insertInto('posts').values(postRow(post, slotKey, repostKey)).onConflict((oc) => oc.column('slot_key').doNothing());
  }

  /**
   * SQLite: the post under the first free slot and its counters, in one transaction (the
   * process's single connection runs it whole; another process waits for the write lock).
   */
  private async insertCounting(trx: Transaction<Database>, post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    const insert = async (slotKey: string) => toCount((await this.insertInto(trx, post, slotKey, repostKey).executeTakeFirst()).numInsertedOrUpdatedRows) === 1;
    if ((await claimSlot(trx, slotKeys, insert)) === null) return false;
    await trx
      .insertInto('post_counts')
      .values({ author_id: post.authorId, posts: 1 })
      .onConflict((oc) => oc.column('author_id').doUpdateSet({ posts: (eb) => eb('post_counts.posts', '+', 1) }))
      .execute();
    if (post.originalId) {
      const counter = referenceCounter(post);
      await sql`update posts set ${counter} = ${counter} + 1 where id = ${post.originalId}`.execute(trx);
    }
    return true;
  }

  /**
   * PostgreSQL: one slot's insert and the counters as one statement (atomic, one round trip).
   * The original's counter waits for the author's (`exists counted`), so two such statements
   * lock the two rows in the same order and cannot deadlock.
   */
  private async insertCountingOnPostgres(post: Post, slotKey: string, repostKey: string): Promise<boolean> {
    const counter = referenceCounter(post);
    const referenced = post.originalId
      ? sql`, referenced as (update posts set ${counter} = ${counter} + 1 where id = ${post.originalId} and exists (select 1 from counted))`
      : sql``;
    const { rows } = await sql<{ n: number }>`
      with inserted as (${this.insertInto(this.db, post, slotKey, repostKey).returning('author_id')}),
      counted as (
        insert into post_counts (author_id, posts) select author_id, 1 from inserted
        on conflict (author_id) do update set posts = post_counts.posts + 1
        returning author_id
      )${referenced}
      select count(*) as n from counted`.execute(this.db);
    return toCount(rows[0]?.n) === 1;
  }

  async findById(id: string): Promise<PostView | null> {
    if (!isId(id)) return null;
    const [view] = toViews(await this.shapes.byIds.of(1).rows([id]));
    return view ?? null;
  }

  async findManyByIds(ids: readonly string[]): Promise<PostView[]> {
    const known = knownIds(ids);
    if (known.length === 0) return [];
    return toViews(await this.shapes.byIds.of(known.length).rows(known));
  }

  /**
   * One statement (see amongShape). Its variants stay few: the ids are padded to `rows` and
   * SQLite's authors to a power of two, by repeating the first (an IN list with repeats matches
   * the same rows). A text filter (never a timeline's) takes the two reads apart.
   */
  async newestAmong(ids: readonly string[], authors: PostFilter & { authorIds: readonly string[] }, rows: number, before?: string): Promise<PostView[]> {
    const known = knownIds(ids);
    const authorIds = knownIds(authors.authorIds);
    if (known.length === 0 || authorIds.length === 0 || authors.text !== undefined) return newestAmongApart(this, known, authors, rows, before);
    rowLimit(rows); // a whole number, or this throws before a variant is kept for it
    const padded = (values: string[], length: number) => [...values, ...Array<string>(length - values.length).fill(values[0]!)];
    const idValues = padded(known, Math.max(rows, known.length));
    const authorValues = this.dialect === 'postgres' ? [authorIds] : padded(authorIds, 2 ** Math.ceil(Math.log2(authorIds.length)));
    const bounds = [authors.idFrom, authors.idBefore, before].filter((b): b is string => b !== undefined);
    const variant = [idValues.length, this.dialect === 'postgres' ? 1 : authorValues.length, authors.idFrom ? 1 : 0, authors.idBefore ? 1 : 0, before ? 1 : 0, rows].join(',');
    return toViews(await this.shapes.among.of(variant).rows([...idValues, ...authorValues, ...bounds]));
  }

  async page(filter: PostFilter, request: PageRequest): Promise<Page<PostView>> {
    const authorIds = filter.authorIds && knownIds(filter.authorIds);
    if (authorIds?.length === 0) return { items: [], next: null };
    if (authorIds && authorIds.length > 1 && this.dialect === 'postgres') {
      return viewPage(this.db, this.newestOfEachAuthor(authorIds, filter, request), request);
    }
    if (!filter.idFrom && !filter.idBefore && !filter.text) {
      const rows = request.limit + 1;
      const authors = authorIds ?? [];
      const variant = `${authors.length},${rows},${request.before ? 1 : 0}`;
      const found = this.shapes.newest.of(variant).rows(request.before ? [...authors, request.before] : authors);
      return toPage(toViews(await found), request.limit, (view) => view.post.id);
    }
    const query = filterPosts(this.db.selectFrom('posts').select(VIEW_COLUMNS), filter);
    return viewPage(this.db, newestFirst(authorIds ? query.where('author_id', 'in', authorIds) : query, request), request);
  }

  /**
   * Many authors on PostgreSQL (the portable following feed, `FolloweeListFeed`, used when
   * follows live in another store; otherwise `SqlFollowingFeed` answers): the newest
   * `limit + 1` of each author by the (author_id, id) index through a LATERAL join, then the
   * newest of those, so the work is bounded by authors times page size; a plain
   * `author_id IN (...) ORDER BY id DESC` would sort every post of every author. SQLite has no
   * LATERAL and takes the IN list.
   */
  private newestOfEachAuthor(authorIds: readonly string[], filter: PostFilter, request: PageRequest) {
    const ofAuthor = filterPosts(this.db.selectFrom('posts').select(VIEW_COLUMNS), filter).where('author_id', '=', sql.ref<string>('authors.value'));
    const perAuthor = newestFirst(ofAuthor, request);
    return sql`
      select a.* from unnest(${[...authorIds]}::uuid[]) as authors(value)
      cross join lateral (${perAuthor}) a
      order by a.id desc limit ${request.limit + 1}`;
  }

  async countByAuthor(authorId: string): Promise<number> {
    const row = isId(authorId) ? await this.shapes.authorPosts.first([authorId]) : undefined;
    return toCount(row?.posts);
  }
}

/**
 * Claims a daily slot with `insert` (true when its row went in): the first slot, which an
 * author's first post of the day takes, else the others that no post holds, read in one
 * statement. Their keys share a prefix (author and day), so the read is one range of the slot
 * index, at most the daily limit's rows. The k-th post of a day used to try every slot before
 * its own, k inserts (k round trips on PostgreSQL); now it makes three statements. A slot read
 * as free may still be taken meanwhile by a write in another process: its insert then does
 * nothing and the next free slot is tried, as before. Answers the slot, or null when all are taken.
 */
async function claimSlot(db: Kysely<Database>, slotKeys: readonly string[], insert: (slotKey: string) => Promise<boolean>): Promise<string | null> {
  const [first, ...rest] = slotKeys;
  if (first === undefined) return null;
  if (await insert(first)) return first;
  if (rest.length === 0) return null;
  let low = rest[0]!;
  let high = low;
  for (const key of rest) {
    if (key < low) low = key;
    if (key > high) high = key;
  }
  const rows = await db.selectFrom('posts').select('slot_key').where('slot_key', '>=', low).where('slot_key', '<=', high).execute();
  const taken = new Set(rows.map((r) => r.slot_key));
  for (const key of rest) if (!taken.has(key) && (await insert(key))) return key;
  return null;
}
