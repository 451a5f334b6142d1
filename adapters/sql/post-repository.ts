import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { containsPattern, toCount, type SqlDialectName } from './dialect.js';
import { violatedUnique } from './errors.js';
import { idIn, idIs, knownIds } from './ids.js';
import { keysetPage, newestFirst, pageOf } from './keyset.js';
import { POST_COLUMNS, postRow, toPost, type PostRow } from './records.js';
import type { Database } from './schema.js';

/** The id bounds and text filter of a post query, shared with the following feed (the cursor is newestFirst's). */
export function filterPosts<Q extends SelectQueryBuilder<Database, 'posts', object>>(query: Q, filter: PostFilter): Q {
  let q = query;
  if (filter.idFrom) q = q.where('id', '>=', filter.idFrom) as Q;
  if (filter.idBefore) q = q.where('id', '<', filter.idBefore) as Q;
  if (filter.text) q = q.where(sql<boolean>`search_text like ${containsPattern(searchKey(filter.text))} escape '\\'`) as Q;
  return q;
}

export class SqlPostRepository implements PostRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName = 'sqlite',
  ) {}

  async createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    for (const slotKey of slotKeys) {
      try {
        const result = await this.db
          .insertInto('posts')
          .values(postRow(post, slotKey, repostKey))
          .onConflict((oc) => oc.column('slot_key').doNothing())
          .executeTakeFirst();
        if (toCount(result.numInsertedOrUpdatedRows) === 1) return true;
      } catch (err) {
        if (violatedUnique(err)?.includes('repost_key')) throw new AlreadyRepostedError();
        throw err;
      }
    }
    return false;
  }

  async findById(id: string): Promise<Post | null> {
    const row = await this.db.selectFrom('posts').select(POST_COLUMNS).where(idIs('id', id)).executeTakeFirst();
    return row ? toPost(row) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('posts').select(POST_COLUMNS).where(idIn('id', ids)).execute();
    return rows.map(toPost);
  }

  async page(filter: PostFilter, request: PageRequest): Promise<Page<Post>> {
    const authorIds = filter.authorIds && knownIds(filter.authorIds);
    if (authorIds?.length === 0) return { items: [], next: null };
    if (authorIds && authorIds.length > 1 && this.dialect === 'postgres') {
      return pageOf(await this.newestOfEachAuthor(authorIds, filter, request), request, toPost);
    }
    const query = filterPosts(this.db.selectFrom('posts').select(POST_COLUMNS), filter);
    return keysetPage(authorIds ? query.where('author_id', 'in', authorIds) : query, request, toPost);
  }

  /**
   * Many authors on PostgreSQL (the portable following feed, `FolloweeListFeed`, used when
   * follows live in another store; otherwise `SqlFollowingFeed` answers): the newest
   * `limit + 1` of each author by the (author_id, id) index through a LATERAL join, then the
   * newest of those, so the work is bounded by authors times page size; a plain
   * `author_id IN (...) ORDER BY id DESC` would sort every post of every author. SQLite has no
   * LATERAL and takes the IN list.
   */
  private async newestOfEachAuthor(authorIds: readonly string[], filter: PostFilter, request: PageRequest): Promise<PostRow[]> {
    const ofAuthor = filterPosts(this.db.selectFrom('posts').select(POST_COLUMNS), filter).where('author_id', '=', sql.ref<string>('authors.value'));
    const perAuthor = newestFirst(ofAuthor, request);
    const { rows } = await sql<PostRow>`
      select p.* from unnest(${[...authorIds]}::uuid[]) as authors(value)
      cross join lateral (${perAuthor}) p
      order by p.id desc limit ${request.limit + 1}`.execute(this.db);
    return rows;
  }

  async countByAuthor(authorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('posts')
      .select(this.db.fn.countAll<number>().as('n'))
      .where(idIs('author_id', authorId))
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>> {
    const counts = new Map<string, ReferenceCounts>();
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('posts')
      .select(['original_id', 'kind', this.db.fn.countAll<number>().as('n')])
      .where(idIn('original_id', ids))
      .groupBy(['original_id', 'kind'])
      .execute();
    for (const row of rows) {
      if (!row.original_id) continue;
      const entry = counts.get(row.original_id) ?? { reposts: 0, quotes: 0 };
      if (row.kind === 'repost') entry.reposts = toCount(row.n);
      if (row.kind === 'quote') entry.quotes = toCount(row.n);
      counts.set(row.original_id, entry);
    }
    return counts;
  }
}
