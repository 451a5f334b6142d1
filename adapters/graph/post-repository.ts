import type { Driver } from 'neo4j-driver';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository } from '../../internal/domain/posts/post-repository.js';
import { embeddedView, type EmbeddedPostView, type PostView } from '../../internal/domain/posts/post-views.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { violatedProperty } from './errors.js';
import { keysetPage } from './keyset.js';
import { POST_FIELDS, postProps, toNumber, toPost, type Props } from './records.js';

/** The map projection items of post `v` with its counters (kept on write; absent reads as 0). */
function counted(v: string): string {
  return `${POST_FIELDS}, reposts: coalesce(${v}.reposts, 0), quotes: coalesce(${v}.quotes, 0)`;
}

/**
 * What a view is read from (`RETURN ${VIEW} AS v`): the post `p` and, by a pattern
 * comprehension that follows its one REPOSTS or QUOTES relationship, its original (null when
 * it has none). In the RETURN of a page, so only the page's posts follow theirs.
 */
export const VIEW = `p {${counted('p')}, original: [(p)-[:REPOSTS|QUOTES]->(o:Post) | o {${counted('o')}}][0]}`;

function toEmbedded(props: Props): EmbeddedPostView {
  return embeddedView(toPost(props), toNumber(props.reposts), toNumber(props.quotes));
}

export function toView(props: Props): PostView {
  const original = props.original as Props | null;
  return { ...toEmbedded(props), original: original ? toEmbedded(original) : null };
}

/**
 * Posts are (:Post) nodes linked to their author, (p)-[:POSTED_BY]->(:User), and to what they
 * repost or quote, (p)-[:REPOSTS|QUOTES]->(:Post). `author_id` is also a property so the
 * newest-first pages seek the (author_id, id) index. The author's node keeps its `posts`
 * counter and each post its `reposts` and `quotes`, changed in the transaction that creates a post.
 */
export class Neo4jPostRepository implements PostRepository {
  constructor(private readonly driver: Driver) {}

  /**
   * Each attempt is one transaction that the unique slot_key and repost_key constraints admit
   * or refuse whole, counters included. Each counter is SET from its own value, which makes
   * Cypher lock the node before it reads the value: parallel posts add up exactly.
   */
  async createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    for (const slotKey of slotKeys) {
      try {
        await this.driver.executeQuery(
          `MERGE (author:User {id: $post.author_id})
           CREATE (p:Post $post)
           CREATE (p)-[:POSTED_BY]->(author)
           SET author.posts = coalesce(author.posts, 0) + 1
           WITH p
           OPTIONAL MATCH (o:Post {id: $post.original_id})
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND p.kind = 'repost' THEN [1] ELSE [] END |
             CREATE (p)-[:REPOSTS]->(o) SET o.reposts = coalesce(o.reposts, 0) + 1)
           FOREACH (_ IN CASE WHEN o IS NOT NULL AND p.kind = 'quote' THEN [1] ELSE [] END |
             CREATE (p)-[:QUOTES]->(o) SET o.quotes = coalesce(o.quotes, 0) + 1)`,
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

  async findById(id: string): Promise<PostView | null> {
    const [view] = await this.views('MATCH (p:Post {id: $id})', { id });
    return view ?? null;
  }

  async findManyByIds(ids: readonly string[]): Promise<PostView[]> {
    if (ids.length === 0) return [];
    return this.views('MATCH (p:Post) WHERE p.id IN $ids', { ids: [...ids] });
  }

  /**
   * Only the predicates this page needs (see `where`): the id index yields posts newest first
   * and the scan stops after a page; an author list filters that scan or seeks the
   * (author_id, id) index, as the planner's statistics decide.
   */
  async page(filter: PostFilter, request: PageRequest): Promise<Page<PostView>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    // The filter's upper id bound and the cursor are one bound, the smaller.
    const before = [filter.idBefore, request.before].filter((v): v is string => v !== undefined).sort()[0];
    const query = {
      match: 'MATCH (p:Post)',
      key: 'p',
      conditions: [filter.idFrom && 'p.id >= $from', filter.authorIds && 'p.author_id IN $authors', filter.text && 'p.search_text CONTAINS $text'],
      returns: VIEW,
      params: { authors: filter.authorIds ? [...filter.authorIds] : null, from: filter.idFrom ?? null, text: filter.text ? searchKey(filter.text) : null },
    };
    return keysetPage(this.driver, query, { limit: request.limit, ...(before ? { before } : {}) }, toView);
  }

  async countByAuthor(authorId: string): Promise<number> {
    const { records } = await this.driver.executeQuery('OPTIONAL MATCH (u:User {id: $id}) RETURN u.posts AS n', { id: authorId }, { routing: 'READ' });
    return toNumber(records[0]?.get('n'));
  }

  /** The views of the posts `match` finds, in one query. */
  private async views(match: string, params: Record<string, unknown>): Promise<PostView[]> {
    const { records } = await this.driver.executeQuery(`${match} RETURN ${VIEW} AS v`, params, { routing: 'READ' });
    return records.map((r) => toView(r.get('v') as Props));
  }
}
