import type { Kysely, Selectable } from 'kysely';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { toCount, toDate } from './dialect.js';
import type { Database, FollowsTable } from './schema.js';

function toEntity(row: Selectable<FollowsTable>): Follow {
  return { id: row.id, followerId: row.follower_id, followeeId: row.followee_id, createdAt: toDate(row.created_at) };
}

export class SqlFollowRepository implements FollowRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async follow(follow: Follow): Promise<void> {
    await this.db
      .insertInto('follows')
      .values({
        id: follow.id,
        follower_id: follow.followerId,
        followee_id: follow.followeeId,
        created_at: follow.createdAt.toISOString(),
      })
      .onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing())
      .execute();
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.db
      .deleteFrom('follows')
      .where('follower_id', '=', followerId)
      .where('followee_id', '=', followeeId)
      .execute();
  }

  async isFollowing(followerId: string, followeeId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('follows')
      .select('id')
      .where('follower_id', '=', followerId)
      .where('followee_id', '=', followeeId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async counts(userId: string): Promise<FollowCounts> {
    const { countAll } = this.db.fn;
    const [followers, following] = await Promise.all([
      this.db.selectFrom('follows').select(countAll<number>().as('n')).where('followee_id', '=', userId).executeTakeFirstOrThrow(),
      this.db.selectFrom('follows').select(countAll<number>().as('n')).where('follower_id', '=', userId).executeTakeFirstOrThrow(),
    ]);
    return { followers: toCount(followers.n), following: toCount(following.n) };
  }

  followers(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('followee_id', userId, request);
  }

  following(userId: string, request: PageRequest): Promise<Page<Follow>> {
    return this.pageBy('follower_id', userId, request);
  }

  async followeeIds(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('follows').select('followee_id').where('follower_id', '=', userId).execute();
    return rows.map((r) => r.followee_id);
  }

  private async pageBy(column: 'follower_id' | 'followee_id', userId: string, request: PageRequest): Promise<Page<Follow>> {
    let query = this.db.selectFrom('follows').selectAll().where(column, '=', userId);
    if (request.before) query = query.where('id', '<', request.before);
    const rows = await query.orderBy('id', 'desc').limit(request.limit + 1).execute();
    return toPage(rows.map(toEntity), request.limit, (f) => f.id);
  }
}
