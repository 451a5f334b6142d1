import type { Kysely } from 'kysely';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { toCount } from './dialect.js';
import { idIs } from './ids.js';
import { keysetPage } from './keyset.js';
import { followRow, toFollow } from './records.js';
import type { Database } from './schema.js';

export class SqlFollowRepository implements FollowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async follow(follow: Follow): Promise<void> {
    await this.db
      .insertInto('follows')
      .values(followRow(follow))
      .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
      .execute();
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.db.deleteFrom('follows').where(idIs('follower_id', followerId)).where(idIs('followee_id', followeeId)).execute();
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('follows')
      .select('id')
      .where(idIs('follower_id', followerId))
      .where(idIs('followee_id', followeeId))
      .executeTakeFirst();
    return row !== undefined;
  }

  async counts(userId: string): Promise<FollowCounts> {
    const count = (column: 'follower_id' | 'followee_id') =>
      this.db.selectFrom('follows').select(this.db.fn.countAll<number>().as('n')).where(idIs(column, userId)).executeTakeFirstOrThrow();
    const [followers, following] = await Promise.all([count('followee_id'), count('follower_id')]);
    return { followers: toCount(followers.n), following: toCount(following.n) };
  }

  followers(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('followee_id', userId, request);
  }

  following(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('follower_id', userId, request);
  }

  async followeeIds(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('follows').select('followee_id').where(idIs('follower_id', userId)).execute();
    return rows.map((r) => r.followee_id);
  }

  private pageBy(column: 'follower_id' | 'followee_id', userId: string, request: PageRequest): Promise<Page<Follow>> {
    return keysetPage(this.db.selectFrom('follows').selectAll().where(idIs(column, userId)), request, toFollow);
  }
}
