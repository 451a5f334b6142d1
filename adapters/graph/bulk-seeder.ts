import type { Driver } from 'neo4j-driver';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import { repostKey, type Post } from '../../internal/domain/posts/post.js';
import { usernameKey, type User } from '../../internal/domain/users/user.js';

/** UNWIND batches, MERGE on the unique keys so a re-run adds nothing twice. */
export class Neo4jBulkSeeder {
  constructor(private readonly driver: Driver) {}

  async users(users: readonly User[]): Promise<void> {
    await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (u:User {id: row.id})
       SET u.username = row.username, u.username_key = row.username_key, u.password_hash = row.password_hash, u.joined_at = row.joined_at`,
      {
        rows: users.map((u) => ({
          id: u.id,
          username: u.username,
          username_key: usernameKey(u.username),
          password_hash: u.passwordHash,
          joined_at: u.joinedAt.toISOString(),
        })),
      },
    );
  }

  async follows(follows: readonly Follow[]): Promise<void> {
    await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (a:User {id: row.follower_id})
       MERGE (b:User {id: row.followee_id})
       MERGE (a)-[r:FOLLOWS]->(b)
       ON CREATE SET r.id = row.id, r.created_at = row.created_at`,
      { rows: follows.map((f) => ({ id: f.id, follower_id: f.followerId, followee_id: f.followeeId, created_at: f.createdAt.toISOString() })) },
    );
  }

  async posts(posts: ReadonlyArray<{ post: Post; slotKey: string }>): Promise<void> {
    await this.driver.executeQuery(
      `UNWIND $rows AS row
       MERGE (author:User {id: row.author_id})
       MERGE (p:Post {id: row.id})
       ON CREATE SET p += row
       MERGE (p)-[:POSTED_BY]->(author)`,
      {
        rows: posts.map(({ post, slotKey }) => ({
          id: post.id,
          kind: post.kind,
          author_id: post.authorId,
          content: post.content,
          search_text: post.content?.toLowerCase() ?? null,
          original_id: post.originalId,
          created_at: post.createdAt.toISOString(),
          slot_key: slotKey,
          repost_key: repostKey(post),
        })),
      },
    );
  }
}
