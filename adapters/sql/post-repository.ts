import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { repostKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { containsPattern, toCount, toDate, type SqlDialectName } from './dialect.js';
import { violatedUnique } from './errors.js';
import type { Database, PostsTable } from './schema.js';

export function toEntity(row: Selectable<PostsTable>): Post {
  return {
    id: row.id,
    kind: row.kind,
    authorId: row.author_id,
    content: row.content,
    originalId: row.original_id,
    createdAt: toDate(row.created_at),
  };
}

export const COLUMNS = ['id', 'kind', 'author_id', 'content', 'original_id', 'created_at'] as const;

/** The id bounds, cursor and text filter of a page, shared by every post query. */
export function filterPosts<Q extends SelectQueryBuilder<Database, 'posts', object>>(query: Q, filter: PostFilter, request: PageRequest): Q {
  let q = query;
  if (filter.idFrom) q = q.where('id', '>=', filter.idFrom) as Q;
  if (filter.idBefore) q = q.where('id', '<', filter.idBefore) as Q;
  if (request.before) q = q.where('id', '<', request.before) as Q;
  if (filter.text) {
    const pattern = containsPattern(filter.text.toLowerCase());
    q = q.where(sql<boolean>`search_text like ${pattern} escape '\\'`) as Q;
  }
  return q;
}

export class SqlPostRepository implements PostRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName = 'sqlite',
  ) {}

  async createInDailySlot(post: Post, slotKeys: readonly string[]): Promise<boolean> {
    for (const slotKey of slotKeys) {
      try {
        const result = await this.db
          .insertInto('posts')
          .values({
            id: post.id,
            kind: post.kind,
            author_id: post.authorId,
            content: post.content,
            search_text: post.content?.toLowerCase() ?? null,
            original_id: post.originalId,
            created_at: post.createdAt.toISOString(),
            slot_key: slotKey,
            repost_key: repostKey(post),
          })
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
    const row = await this.db.selectFrom('posts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toEntity(row as Selectable<PostsTable>) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('posts').select(COLUMNS).where('id', 'in', ids).execute();
    return rows.map((r) => toEntity(r as Selectable<PostsTable>));
  }

  async page(filter: PostFilter, request: PageRequest): Promise<Page<Post>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    const rows =
      filter.authorIds && filter.authorIds.length > 1 && this.dialect === 'postgres'
        ? await this.newestOfEachAuthor(filter.authorIds, filter, request)
        : await filterPosts(this.db.selectFrom('posts').select(COLUMNS), filter, request)
            .where((eb) => (filter.authorIds ? eb('author_id', 'in', filter.authorIds) : eb.lit(true)))
            .orderBy('id', 'desc')
            .limit(request.limit + 1)
            .execute();
    return toPage(rows.map((r) => toEntity(r as Selectable<PostsTable>)), request.limit, (p) => p.id);
  }

  /**
   * Many authors on PostgreSQL (the portable following feed, `FolloweeListFeed`, used when
   * follows live in another store; otherwise `SqlFollowingFeed` answers): the newest
   * `limit + 1` of each author by the (author_id, id) index through a LATERAL join, then the
   * newest of those, so the work is bounded by authors times page size; a plain
   * `author_id IN (...) ORDER BY id DESC` would sort every post of every author. SQLite has no
   * LATERAL and takes the IN list.
   */
  private async newestOfEachAuthor(authorIds: readonly string[], filter: PostFilter, request: PageRequest) {
    const n = request.limit + 1;
    const perAuthor = filterPosts(this.db.selectFrom('posts').select(COLUMNS), filter, request)
      .where('author_id', '=', sql.ref<string>('authors.value'))
      .orderBy('id', 'desc')
      .limit(n);
    const { rows } = await sql<Selectable<PostsTable>>`
      select p.* from unnest(${[...authorIds]}::uuid[]) as authors(value)
      cross join lateral (${perAuthor}) p
      order by p.id desc limit ${n}`.execute(this.db);
    return rows;
  }

  async countByAuthor(authorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('posts')
      .select(this.db.fn.countAll<number>().as('n'))
      .where('author_id', '=', authorId)
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>> {
    const counts = new Map<string, ReferenceCounts>();
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('posts')
      .select(['original_id', 'kind', this.db.fn.countAll<number>().as('n')])
      .where('original_id', 'in', ids)
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
