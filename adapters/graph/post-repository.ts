import type { Driver } from 'neo4j-driver';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { repostKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { violatedProperty } from './errors.js';
import { int, str, strOrNull, toNumber, type Props, where } from './records.js';

function toEntity(props: Props): Post {
  return {
    id: str(props, 'id'),
    kind: str(props, 'kind') as Post['kind'],
    authorId: str(props, 'author_id'),
    content: strOrNull(props, 'content'),
    originalId: strOrNull(props, 'original_id'),
    createdAt: new Date(str(props, 'created_at')),
  };
}

const RETURN_POST = 'RETURN p {.id, .kind, .author_id, .content, .original_id, .created_at} AS p';

/**
 * Posts are (:Post) nodes linked to their author, (p)-[:POSTED_BY]->(:User), and to what they
 * repost or quote, (p)-[:REPOSTS|QUOTES]->(:Post). `author_id` is also a property so the
 * newest-first pages seek the (author_id, id) index.
 */
export class Neo4jPostRepository implements PostRepository {
  constructor(private readonly driver: Driver) {}

  /** Each attempt is one CREATE that the unique slot_key constraint admits or refuses. */
  async createInDailySlot(post: Post, slotKeys: readonly string[]): Promise<boolean> {
    for (const slotKey of slotKeys) {
      try {
        await this.driver.executeQuery(
          `MERGE (author:User {id: $author_id})
           CREATE (p:Post {id: $id, kind: $kind, author_id: $author_id, content: $content, search_text: $search_text,
                           original_id: $original_id, created_at: $created_at, slot_key: $slot_key, repost_key: $repost_key})
           CREATE (p)-[:POSTED_BY]->(author)
           WITH p
           OPTIONAL MATCH (o:Post {id: $original_id})
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND $kind = 'repost' THEN [1] ELSE [] END | CREATE (p)-[:REPOSTS]->(o))
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND $kind = 'quote' THEN [1] ELSE [] END | CREATE (p)-[:QUOTES]->(o))`,
          {
            id: post.id,
            kind: post.kind,
            author_id: post.authorId,
            content: post.content,
            search_text: post.content?.toLowerCase() ?? null,
            original_id: post.originalId,
            created_at: post.createdAt.toISOString(),
            slot_key: slotKey,
            repost_key: repostKey(post),
          },
        );
        return true;
      } catch (err) {
        const property = violatedProperty(err);
        if (property === 'repost_key') throw new AlreadyRepostedError();
        if (property !== 'slot_key') throw err;
      }
    }
    return false;
  }

  async findById(id: string): Promise<Post | null> {
    const { records } = await this.driver.executeQuery(`MATCH (p:Post {id: $id}) ${RETURN_POST}`, { id }, { routing: 'READ' });
    const props = records[0]?.get('p') as Props | undefined;
    return props ? toEntity(props) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    const { records } = await this.driver.executeQuery(`MATCH (p:Post) WHERE p.id IN $ids ${RETURN_POST}`, { ids: [...ids] }, { routing: 'READ' });
    return records.map((r) => toEntity(r.get('p') as Props));
  }

  /**
   * Only the predicates this page needs (see `where`): the id index yields posts newest first
   * and the scan stops after a page; an author list filters that scan or seeks the
   * (author_id, id) index, as the planner's statistics decide.
   */
  async page(filter: PostFilter, request: PageRequest): Promise<Page<Post>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    const upper = [filter.idBefore, request.before].filter((v): v is string => v !== undefined).sort()[0];
    const conditions = where(
      filter.idFrom && 'p.id >= $from',
      upper && 'p.id < $upper',
      !filter.idFrom && !upper && 'p.id IS NOT NULL',
      filter.authorIds && 'p.author_id IN $authors',
      filter.text && 'p.search_text CONTAINS $text',
    );
    const { records } = await this.driver.executeQuery(
      `MATCH (p:Post) ${conditions} WITH p ORDER BY p.id DESC LIMIT $limit ${RETURN_POST}`,
      {
        authors: filter.authorIds ? [...filter.authorIds] : null,
        from: filter.idFrom ?? null,
        upper: upper ?? null,
        text: filter.text?.toLowerCase() ?? null,
        limit: int(request.limit + 1),
      },
      { routing: 'READ' },
    );
    return toPage(records.map((r) => toEntity(r.get('p') as Props)), request.limit, (p) => p.id);
  }

  /** The author's degree of POSTED_BY relationships: constant time, however many posts. */
  async countByAuthor(authorId: string): Promise<number> {
    const { records } = await this.driver.executeQuery(
      'OPTIONAL MATCH (u:User {id: $id}) RETURN COUNT { (u)<-[:POSTED_BY]-() } AS n',
      { id: authorId },
      { routing: 'READ' },
    );
    return toNumber(records[0]?.get('n'));
  }

  async referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>> {
    const counts = new Map<string, ReferenceCounts>();
    if (ids.length === 0) return counts;
    const { records } = await this.driver.executeQuery(
      `MATCH (o:Post) WHERE o.id IN $ids
       RETURN o.id AS id, COUNT { (o)<-[:REPOSTS]-() } AS reposts, COUNT { (o)<-[:QUOTES]-() } AS quotes`,
      { ids: [...ids] },
      { routing: 'READ' },
    );
    for (const r of records) counts.set(String(r.get('id')), { reposts: toNumber(r.get('reposts')), quotes: toNumber(r.get('quotes')) });
    return counts;
  }
}
