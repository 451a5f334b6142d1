import type { Driver } from 'neo4j-driver';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';
import { followProps, postProps, userProps } from './records.js';

/** UNWIND batches, MERGE on the unique keys so a re-run adds nothing twice. */
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

  async posts(posts: ReadonlyArray<{ post: Post; slotKey: string; repostKey: string }>): Promise<void> {
    await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (author:User {id: row.author_id})
       MERGE (p:Post {id: row.id})
       ON CREATE SET p += row
       MERGE (p)-[:POSTED_BY]->(author)`,
      { rows: posts.map((p) => postProps(p.post, p.slotKey, p.repostKey)) },
    );
  }
}
