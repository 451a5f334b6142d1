import { sql, type Kysely, type Selectable } from 'kysely';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { repostKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { containsPattern, toCount, toDate } from './dialect.js';
import { violatedUnique } from './errors.js';
import type { Database, PostsTable } from './schema.js';

function toEntity(row: Selectable<PostsTable>): Post {
  return {
    id: row.id,
    kind: row.kind,
    authorId: row.author_id,
    content: row.content,
    originalId: row.original_id,
    createdAt: toDate(row.created_at),
  };
}

const COLUMNS = ['id', 'kind', 'author_id', 'content', 'original_id', 'created_at'] as const;

export class SqlPostRepository implements PostRepository {
  constructor(private readonly db: Kysely<Database>) {}

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
    let query = this.db.selectFrom('posts').select(COLUMNS);
    if (filter.authorIds) query = query.where('author_id', 'in', filter.authorIds);
    if (filter.idFrom) query = query.where('id', '>=', filter.idFrom);
    if (filter.idBefore) query = query.where('id', '<', filter.idBefore);
    if (request.before) query = query.where('id', '<', request.before);
    if (filter.text) {
      const pattern = containsPattern(filter.text.toLowerCase());
      query = query.where(sql<boolean>`search_text like ${pattern} escape '\\'`);
    }
    const rows = await query.orderBy('id', 'desc').limit(request.limit + 1).execute();
    return toPage(rows.map((r) => toEntity(r as Selectable<PostsTable>)), request.limit, (p) => p.id);
  }

  async countByAuthor(authorId: string): Promise<number> {
    const row = await this.db
      .selectFrom('posts')
      .select(this.db.fn.count<number>('id').as('n'))
      .where('author_id', '=', authorId)
      .executeTakeFirstOrThrow();
    return toCount(row.n);
  }

  async referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>> {
    const counts = new Map<string, ReferenceCounts>();
    if (ids.length === 0) return counts;
    const rows = await this.db
      .selectFrom('posts')
      .select(['original_id', 'kind', this.db.fn.count<number>('id').as('n')])
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
