import type { Driver } from 'neo4j-driver';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { int, str, toNumber, type Props, where } from './records.js';

function toEntity(props: Props): Follow {
  return {
    id: str(props, 'id'),
    followerId: str(props, 'follower_id'),
    followeeId: str(props, 'followee_id'),
    createdAt: new Date(str(props, 'created_at')),
  };
}

/**
 * Follows are (:User)-[:FOLLOWS]->(:User) relationships. The users may live in another
 * store (per-module storage), so their nodes are merged by id: a stub when they do.
 * Counts read the nodes' relationship degrees, which Neo4j keeps without scanning.
 */
export class Neo4jFollowRepository implements FollowRepository {
  constructor(private readonly driver: Driver) {}

  async follow(follow: Follow): Promise<void> {
    await this.driver.executeQuery(
      `MERGE (a:User {id: $follower})
       MERGE (b:User {id: $followee})
       MERGE (a)-[r:FOLLOWS]->(b)
       ON CREATE SET r.id = $id, r.created_at = $createdAt`,
      { follower: follow.followerId, followee: follow.followeeId, id: follow.id, createdAt: follow.createdAt.toISOString() },
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

  private async pageBy(pattern: string, userId: string, request: PageRequest): Promise<Page<Follow>> {
    const { records } = await this.driver.executeQuery(
      `${pattern}
       ${where(request.before && 'r.id < $before')}
       RETURN {id: r.id, follower_id: a.id, followee_id: b.id, created_at: r.created_at} AS f
       ORDER BY r.id DESC LIMIT $limit`,
      { id: userId, before: request.before ?? null, limit: int(request.limit + 1) },
      { routing: 'READ' },
    );
    return toPage(records.map((r) => toEntity(r.get('f') as Props)), request.limit, (f) => f.id);
  }
}
