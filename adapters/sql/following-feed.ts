import { sql, type Kysely, type Selectable } from 'kysely';
import type { FeedFilter, FollowingFeed } from '../../internal/domain/posts/following-feed.js';
import type { Post } from '../../internal/domain/posts/post.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import type { SqlDialectName } from './dialect.js';
import { COLUMNS, filterPosts, toEntity } from './post-repository.js';
import type { Database, PostsTable } from './schema.js';

/**
 * How many of the newest posts step 1 reads, in turn, before it falls back to the indexes: a
 * page among the newest 2,000 is the common case; 20,000 still costs a fraction of the
 * fall-back when followees wrote little lately.
 */
export const DEFAULT_RECENT_WINDOWS: readonly number[] = [2_000, 20_000];

/**
 * The following feed in one database that holds both follows and posts, in two steps:
 *
 * 1. Walk the newest posts, up to a window (the primary key, newest first) and keep the followees'
 *    (one probe of the follows key each) until a page is full. For anyone who follows active accounts this ends after a few
 *    dozen rows, however large the table, and the followee ids never leave the database.
 * 2. Only when that finds less than a page (few or quiet followees): seek each followee's
 *    newest posts by the (author_id, id) index, on PostgreSQL with a LATERAL join bounded by
 *    page size per followee, on SQLite with the planner's IN-subquery over the same index.
 *
 * Both steps see every filter, so step 1's page is exactly what step 2 would return.
 */
export class SqlFollowingFeed implements FollowingFeed {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
    private readonly windows: readonly number[] = DEFAULT_RECENT_WINDOWS,
  ) {}

  async page(followerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<Post>> {
    const n = request.limit + 1;
    for (const window of this.windows) {
      const rows = await this.recentByFollowees(followerId, filter, request, window);
      if (rows.length === n) return toPage(rows.map(toEntity), request.limit, (p) => p.id);
    }
    const rows = await this.byFolloweeIndex(followerId, filter, request);
    return toPage(rows.map(toEntity), request.limit, (p) => p.id);
  }

  private async recentByFollowees(followerId: string, filter: FeedFilter, request: PageRequest, window: number): Promise<Selectable<PostsTable>[]> {
    const recent = filterPosts(this.db.selectFrom('posts').select(COLUMNS), filter, request).orderBy('id', 'desc').limit(window);
    // A correlated EXISTS probes the (follower_id, followee_id) key once per scanned post;
    // an IN list would first copy out every followee, which costs more than the scan.
    return (await this.db
      .selectFrom(recent.as('recent'))
      .selectAll()
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('follows').select(sql.lit(1).as('one')).where('follows.follower_id', '=', followerId).whereRef('follows.followee_id', '=', 'recent.author_id')),
      )
      .orderBy('id', 'desc')
      .limit(request.limit + 1)
      .execute()) as Selectable<PostsTable>[];
  }

  private async byFolloweeIndex(followerId: string, filter: FeedFilter, request: PageRequest): Promise<Selectable<PostsTable>[]> {
    const n = request.limit + 1;
    if (this.dialect === 'postgres') {
      const perFollowee = filterPosts(this.db.selectFrom('posts').select(COLUMNS), filter, request)
        .where('author_id', '=', sql.ref<string>('f.followee_id'))
        .orderBy('id', 'desc')
        .limit(n);
      const { rows } = await sql<Selectable<PostsTable>>`
        select p.* from follows f cross join lateral (${perFollowee}) p
        where f.follower_id = ${followerId}
        order by p.id desc limit ${n}`.execute(this.db);
      return rows;
    }
    const followees = this.db.selectFrom('follows').select('followee_id').where('follower_id', '=', followerId);
    return (await filterPosts(this.db.selectFrom('posts').select(COLUMNS), filter, request)
      .where('author_id', 'in', followees)
      .orderBy('id', 'desc')
      .limit(n)
      .execute()) as Selectable<PostsTable>[];
  }
}
