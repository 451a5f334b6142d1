import { sql, type Kysely } from 'kysely';
import type { FeedFilter, FollowingFeed } from '../../internal/domain/posts/following-feed.js';
import type { PostView } from '../../internal/domain/posts/post-views.js';
import { isId } from '../../internal/domain/shared/id-generator.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import type { SqlDialectName } from './dialect.js';
import { newestFirst, rowLimit } from './keyset.js';
import { filterPosts } from './post-repository.js';
import type { Database } from './schema.js';
import { VIEW_COLUMNS, viewPage } from './views.js';

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
 * Both steps see every filter, so step 1's page is exactly what step 2 would return. The page's
 * rows are then joined to their originals in the same statement (`viewPage`), so a step costs
 * one round trip and gives whole views.
 */
export class SqlFollowingFeed implements FollowingFeed {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: SqlDialectName,
    private readonly windows: readonly number[] = DEFAULT_RECENT_WINDOWS,
  ) {}

  /** An id that is not one follows nobody (PostgreSQL would refuse it in a uuid column). */
  async page(followerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    if (!isId(followerId)) return { items: [], next: null };
    for (const window of this.windows) {
      const page = await viewPage(this.db, this.recentByFollowees(followerId, filter, request, window), request);
      if (page.next !== null) return page;
    }
    return viewPage(this.db, this.byFolloweeIndex(followerId, filter, request), request);
  }

  private posts(filter: FeedFilter) {
    return filterPosts(this.db.selectFrom('posts').select(VIEW_COLUMNS), filter);
  }

  private recentByFollowees(followerId: string, filter: FeedFilter, request: PageRequest, window: number) {
    const recent = newestFirst(this.posts(filter), request, window);
    // A correlated EXISTS probes the (follower_id, followee_id) key once per scanned post;
    // an IN list would first copy out every followee, which costs more than the scan.
    const query = this.db
      .selectFrom(recent.as('recent'))
      .selectAll()
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('follows').select(sql.lit(1).as('one')).where('follows.follower_id', '=', followerId).whereRef('follows.followee_id', '=', 'recent.author_id')),
      );
    return query.orderBy('id', 'desc').limit(rowLimit(request.limit + 1));
  }

  private byFolloweeIndex(followerId: string, filter: FeedFilter, request: PageRequest) {
    if (this.dialect === 'postgres') {
      const perFollowee = newestFirst(this.posts(filter).where('author_id', '=', sql.ref<string>('f.followee_id')), request);
      return sql`
        select p.* from follows f cross join lateral (${perFollowee}) p
        where f.follower_id = ${followerId}
        order by p.id desc limit ${request.limit + 1}`;
    }
    const followees = this.db.selectFrom('follows').select('followee_id').where('follower_id', '=', followerId);
    return newestFirst(this.posts(filter).where('author_id', 'in', followees), request);
  }
}
