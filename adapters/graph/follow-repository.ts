import type { Driver } from 'neo4j-driver';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { keysetPage } from './keyset.js';
import { followProps, toFollow, toNumber } from './records.js';

/**
 * Follows are (:User)-[:FOLLOWS]->(:User) relationships. The users may live in another
 * store (per-module storage), so their nodes are merged by id: a stub when they do.
 * Each user node keeps its `followers` and `following` counters (absent: 0), changed in the
 * transaction that creates or deletes the relationship, and only when it does.
 */
export class Neo4jFollowRepository implements FollowRepository {
  constructor(private readonly driver: Driver) {}

  /**
   * MERGE of a relationship between two bound nodes locks both before it creates one and
   * matches again under the locks, so parallel follows of one pair create it once; the
   * counters change in ON CREATE, so only with the creation, under those same locks.
   */
  async follow(follow: Follow): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (a:User {id: $f.follower_id})
       MERGE (b:User {id: $f.followee_id})
       MERGE (a)-[r:FOLLOWS]->(b)
       ON CREATE SET r.id = $f.id, r.created_at = $f.created_at,
         a.following = coalesce(a.following, 0) + 1, b.followers = coalesce(b.followers, 0) + 1`,
      { f: followProps(follow) },
    );
  }

  /**
   * Locks the followee before it matches the relationship: a parallel unfollow of the pair
   * (which would otherwise match it too, and delete it again silently) then waits, and matches
   * nothing once this one commits; so the counters go down once.
   */
  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.driver.executeQuery(
      `MATCH (b:User {id: $b})
       SET b.followers = coalesce(b.followers, 0)
       WITH b
       MATCH (a:User {id: $a})-[r:FOLLOWS]->(b)
       DELETE r
       SET a.following = a.following - 1, b.followers = b.followers - 1`,
      { a: followerId, b: followeeId },
    );
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const { records } = await this.driver.executeQuery(
      'RETURN EXISTS { (:User {id: $a})-[:FOLLOWS]->(:User {id: $b}) } AS yes',
      { a: followerId, b: followeeId },
      { routing: 'READ' },
    );
    return records[0]?.get('yes') === true;
  }

  async counts(userId: string): Promise<FollowCounts> {
    const { records } = await this.driver.executeQuery(
      'OPTIONAL MATCH (u:User {id: $id}) RETURN u.followers AS followers, u.following AS following',
      { id: userId },
      { routing: 'READ' },
    );
    const row = records[0];
    return { followers: toNumber(row?.get('followers')), following: toNumber(row?.get('following')) };
  }

  followers(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('MATCH (a:User)-[r:FOLLOWS]->(b:User {id: $id})', userId, request);
  }

  following(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('MATCH (a:User {id: $id})-[r:FOLLOWS]->(b:User)', userId, request);
  }

  async followeeIds(userId: string): Promise<string[]> {
    const { records } = await this.driver.executeQuery(
      'MATCH (:User {id: $id})-[:FOLLOWS]->(b:User) RETURN b.id AS id',
      { id: userId },
      { routing: 'READ' },
    );
    return records.map((r) => String(r.get('id')));
  }

  private pageBy(match: string, userId: string, request: PageRequest): Promise<Page<Follow>> {
    const returns = '{id: r.id, follower_id: a.id, followee_id: b.id, created_at: r.created_at}';
    return keysetPage(this.driver, { match, key: 'r', returns, params: { id: userId } }, request, toFollow);
  }
}
