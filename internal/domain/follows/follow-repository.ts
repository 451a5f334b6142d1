import type { Page, PageRequest } from '../shared/page.js';

export interface Follow {
  /** Time-ordered; keys the follower and following pages, newest follow first. */
  id: string;
  followerId: string;
  followeeId: string;
  createdAt: Date;
}

export interface FollowCounts {
  followers: number;
  following: number;
}

/**
 * Follows and their counters: `follow` and `unfollow` keep each user's followers and following
 * counters exact, as one atomic change with the follow itself, even under concurrency; `counts`
 * reads them and never counts rows.
 *
 * A user id that is not an id (`''`, `'nope'`) is an unknown user: no follows, zero counts,
 * empty pages, never an error.
 */
export interface FollowRepository {
  /** Idempotent: following someone already followed changes nothing. */
  follow(follow: Follow): Promise<void>;
  /** Idempotent. */
  unfollow(followerId: string, followeeId: string): Promise<void>;
  isFollowing(followerId: string, followeeId: string): Promise<boolean>;
  counts(userId: string): Promise<FollowCounts>;
  /** Who follows `userId`, newest follow first. */
  followers(userId: string, request: PageRequest): Promise<Page<Follow>>;
  /** Whom `userId` follows, newest follow first. */
  following(userId: string, request: PageRequest): Promise<Page<Follow>>;
  /** Every id `userId` follows (the following feed reads it). */
  followeeIds(userId: string): Promise<string[]>;
}
