import type { Driver } from 'neo4j-driver';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import { recountFollows, recountPosts } from './counters.js';
import { followProps, postProps, rowsNotHeld, userProps } from './records.js';

/**
 * UNWIND batches, MERGE on the unique keys (or leaving the nodes already held) so a re-run
 * adds nothing twice. The batches keep no counters: `finish` rebuilds them all.
 */
export class Neo4jBulkSeeder {
  constructor(private readonly driver: Driver) {}

  async users(users: readonly User[]): Promise<void> {
    await this.driver.executeQuery(
      'UNWIND $rows AS row MERGE (u:User {id: row.id}) SET u += row',
      { rows: users.map(userProps) },
    );
  }

  async follows(follows: readonly Follow[]): Promise<void> {
    await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (a:User {id: row.follower_id})
       MERGE (b:User {id: row.followee_id})
       MERGE (a)-[r:FOLLOWS]->(b)
       ON CREATE SET r.id = row.id, r.created_at = row.created_at`,
      { rows: follows.map(followProps) },
    );
  }

  /**
   * Posts with their daily-slot and repost keys (unique constraints, as a post created through
   * the port has them), linked to their author (a stub where users live elsewhere) and to the
   * post they repost or quote: in the same batch or an earlier one, ids ascending.
   */
  async posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    await this.driver.executeQuery(
      `${rowsNotHeld('Post', 'row.id')}
       MERGE (author:User {id: row.author_id})
       CREATE (p:Post)-[:POSTED_BY]->(author)
       SET p = row
       WITH p WHERE p.original_id IS NOT NULL
       MATCH (o:Post {id: p.original_id})
       FOREACH (_ IN CASE WHEN p.kind = 'repost' THEN [1] ELSE [] END | CREATE (p)-[:REPOSTS]->(o))
       FOREACH (_ IN CASE WHEN p.kind = 'quote' THEN [1] ELSE [] END | CREATE (p)-[:QUOTES]->(o))`,
      { rows: posts.map((p) => postProps(p.post, p.slotKey, p.repostKey)) },
    );
  }

  /** Every counter made exact, from the relationships. */
  async finish(): Promise<void> {
    await recountFollows(this.driver);
    await recountPosts(this.driver);
  }
}
