import { sql, type Kysely, type OperationNodeSource, type RawBuilder } from 'kysely';
import type { Follow, FollowCounts, FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { isId } from '../../internal/domain/shared/id-generator.js';
import { CompiledShape } from './compiled.js';
import { toCount, type SqlDialectName } from './dialect.js';
import { idIs } from './ids.js';
import { keysetPage } from './keyset.js';
import { followRow, toFollow } from './records.js';
import type { Database } from './schema.js';

const PAIR = ['follower_id', 'followee_id'] as const;

/** An insert or a delete of follows that answers the pair it changed, if any. */
type PairChange = OperationNodeSource & { execute(): Promise<Array<{ follower_id: string; followee_id: string }>> };

/**
 * Adds `delta` to the followers of the followee and to the following of the follower of each
 * pair `changed` names: one upsert whose rows go in user id order, so two of them lock the
 * same counters in the same order and cannot deadlock (and a pair of one user counts once).
 */
function addToCounts(changed: RawBuilder<unknown>, delta: 1 | -1): RawBuilder<unknown> {
  const d = sql.lit(delta);
  return sql`
    insert into follow_counts (user_id, followers, following)
    select user_id, sum(followers), sum(following) from (
      select followee_id as user_id, ${d} as followers, 0 as following from ${changed} as c
      union all
      select follower_id as user_id, 0 as followers, ${d} as following from ${changed} as c
    ) as d where true group by user_id order by user_id
    on conflict (user_id) do update set
      followers = follow_counts.followers + excluded.followers,
      following = follow_counts.following + excluded.following`;
}

/**
 * Follows and their counters. PostgreSQL changes both in one statement (the insert or delete
 * as a CTE feeding the counters); SQLite in one transaction, which its single connection runs
 * whole. Either way the counters move only when a row was inserted or deleted.
 */
export class SqlFollowRepository implements FollowRepository {
  /** A profile's counters, compiled once (every profile reads them). */
  private readonly countsOf;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName = 'sqlite',
  ) {
    this.countsOf = new CompiledShape(db, () => db.selectFrom('follow_counts').select(['followers', 'following']).where('user_id', '=', ''));
  }

  async follow(follow: Follow): Promise<void> {
    await this.changeCounting(
      (db) => db.insertInto('follows').values(followRow(follow)).onConflict((oc) => oc.columns(['follower_id', 'followee_id']).doNothing()).returning(PAIR),
      1,
    );
  }

  async unfollow(followerId: string, followeeId: string): Promise<void> {
    await this.changeCounting(
      (db) => db.deleteFrom('follows').where(idIs('follower_id', followerId)).where(idIs('followee_id', followeeId)).returning(PAIR),
      -1,
    );
  }

  /** Runs `change` (an insert or a delete returning the pair) and moves the counters of the pairs it changed by `delta`. */
  private async changeCounting(change: (db: Kysely<Database>) => PairChange, delta: 1 | -1): Promise<void> {
    if (this.dialect === 'postgres') {
      await sql`with changed as (${change(this.db)}) ${addToCounts(sql`changed`, delta)}`.execute(this.db);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      const [pair] = await change(trx).execute();
      if (pair) await addToCounts(sql`(select ${pair.follower_id} as follower_id, ${pair.followee_id} as followee_id)`, delta).execute(trx);
    });
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
    const row = isId(userId) ? await this.countsOf.first([userId]) : undefined;
    return { followers: toCount(row?.followers), following: toCount(row?.following) };
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
