import type { Driver } from 'neo4j-driver';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { violatedProperty } from './errors.js';
import { keysetPage } from './keyset.js';
import { POST, postProps, toNumber, toPost, type Props } from './records.js';

/**
 * Posts are (:Post) nodes linked to their author, (p)-[:POSTED_BY]->(:User), and to what they
 * repost or quote, (p)-[:REPOSTS|QUOTES]->(:Post). `author_id` is also a property so the
 * newest-first pages seek the (author_id, id) index.
 */
export class Neo4jPostRepository implements PostRepository {
  constructor(private readonly driver: Driver) {}

  /** Each attempt is one CREATE that the unique slot_key constraint admits or refuses. */
  async createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    for (const slotKey of slotKeys) {
      try {
        await this.driver.executeQuery(
          `MERGE (author:User {id: $post.author_id})
           CREATE (p:Post $post)
           CREATE (p)-[:POSTED_BY]->(author)
           WITH p
           OPTIONAL MATCH (o:Post {id: $post.original_id})
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND p.kind = 'repost' THEN [1] ELSE [] END | CREATE (p)-[:REPOSTS]->(o))
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND p.kind = 'quote' THEN [1] ELSE [] END | CREATE (p)-[:QUOTES]->(o))`,
          { post: postProps(post, slotKey, repostKey) },
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
    const { records } = await this.driver.executeQuery(`MATCH (p:Post {id: $id}) RETURN ${POST} AS p`, { id }, { routing: 'READ' });
    const props = records[0]?.get('p') as Props | undefined;
    return props ? toPost(props) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    const { records } = await this.driver.executeQuery(`MATCH (p:Post) WHERE p.id IN $ids RETURN ${POST} AS p`, { ids: [...ids] }, { routing: 'READ' });
    return records.map((r) => toPost(r.get('p') as Props));
  }

  /**
   * Only the predicates this page needs (see `where`): the id index yields posts newest first
   * and the scan stops after a page; an author list filters that scan or seeks the
   * (author_id, id) index, as the planner's statistics decide.
   */
  async page(filter: PostFilter, request: PageRequest): Promise<Page<Post>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    // The filter's upper id bound and the cursor are one bound, the smaller.
    const before = [filter.idBefore, request.before].filter((v): v is string => v !== undefined).sort()[0];
    const query = {
      match: 'MATCH (p:Post)',
      key: 'p',
      conditions: [filter.idFrom && 'p.id >= $from', filter.authorIds && 'p.author_id IN $authors', filter.text && 'p.search_text CONTAINS $text'],
      returns: POST,
      params: { authors: filter.authorIds ? [...filter.authorIds] : null, from: filter.idFrom ?? null, text: filter.text ? searchKey(filter.text) : null },
    };
    return keysetPage(this.driver, query, { limit: request.limit, ...(before ? { before } : {}) }, toPost);
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
