import type { FollowRepository } from '../follows/follow-repository.js';
import type { Page, PageRequest } from '../shared/page.js';
import type { SessionRef } from '../users/session.js';
import type { PostFilter, PostRepository } from './post-repository.js';
import type { PostView } from './post-views.js';

/** The filters of a feed page other than its authors (the feed itself decides those). */
export type FeedFilter = Omit<PostFilter, 'authorIds'>;

/**
 * The following feed: the newest posts by the accounts `followerId` follows. A port of its
 * own because a store that holds both follows and posts can answer it in one query, without
 * shipping every followee id out and back in; `FolloweeListFeed` answers it for any pair of
 * repositories, even when follows and posts live in different stores.
 */
export interface FollowingFeed {
  /** Newest first; keyset pages exactly as `PostRepository.page`; empty for an unknown or malformed id. */
  page(followerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>>;
  /**
   * Optional: the page of the reader a bearer token names, confirming the token's session (see
   * `Authenticate.confirm`) in the same store call as the page: null when the session is not
   * live. A feed has it where its store holds the users' sessions too; elsewhere ListPosts
   * confirms the session first, in a call of its own.
   */
  pageForSession?(session: SessionRef, filter: FeedFilter, request: PageRequest): Promise<Page<PostView> | null>;
}

/** The portable following feed: the followee ids from one port, their posts from the other. */
export class FolloweeListFeed implements FollowingFeed {
  constructor(
    private readonly follows: FollowRepository,
    private readonly posts: PostRepository,
  ) {}

  async page(followerId: string, filter: FeedFilter, request: PageRequest): Promise<Page<PostView>> {
    const authorIds = await this.follows.followeeIds(followerId);
    if (authorIds.length === 0) return { items: [], next: null };
    return this.posts.page({ ...filter, authorIds }, request);
  }
}
