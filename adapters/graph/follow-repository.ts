import type { Driver } from 'neo4j-driver';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { keysetPage } from './keyset.js';
import { followProps, toFollow, toNumber } from './records.js';

/**
 * Follows are (:User)-[:FOLLOWS]->(:User) relationships. The users may live in another
 * store (per-module storage), so their nodes are merged by id: a stub when they do.
 * Counts read the nodes' relationship degrees, which Neo4j keeps without scanning.
 */
export class Neo4jFollowRepository implements FollowRepository {
  constructor(private readonly driver: Driver) {}

  async follow(follow: Follow): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (a:User {id: $f.follower_id})
       MERGE (b:User {id: $f.followee_id})
       MERGE (a)-[r:FOLLOWS]->(b)
       ON CREATE SET r.id = $f.id, r.created_at = $f.created_at`,
      { f: followProps(follow) },
    );
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.driver.executeQuery('MATCH (:User {id: $a})-[r:FOLLOWS]->(:User {id: $b}) DELETE r', { a: followerId, b: followeeId });
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
      `OPTIONAL MATCH (u:User {id: $id})
       RETURN COUNT { (u)<-[:FOLLOWS]-() } AS followers, COUNT { (u)-[:FOLLOWS]->() } AS following`,
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
