import { InvalidRangeError, UnauthenticatedError } from '../shared/errors.js';
import type { FollowRepository } from '../follows/follow-repository.js';
import { firstIdAt } from '../shared/id-generator.js';
import type { Page, PageRequest } from '../shared/page.js';
import { invalidToken, type Authenticate } from '../users/authenticate.js';
import { userNotFound } from '../users/errors.js';
import type { SessionRef } from '../users/session.js';
import type { UserRepository } from '../users/user-repository.js';
import type { FollowingFeed } from './following-feed.js';
import type { PostFilter, PostRepository } from './post-repository.js';
import type { PostView } from './post-views.js';

export interface ListPostsInput {
  /** An authenticated viewer. */
  viewerId?: string;
  /**
   * Instead of `viewerId`: the session a bearer token names, not yet confirmed. It is confirmed
   * here, in the page's own store call where the following feed can (`pageForSession`), else in
   * one of its own; a session that is not live is an UnauthenticatedError.
   */
  viewerSession?: SessionRef;
  following?: boolean;
  author?: string;
  from?: Date;
  /** Inclusive upper bound on created_at. */
  to?: Date;
  q?: string;
  page: PageRequest;
}

export class ListPosts {
  constructor(
    private readonly posts: PostRepository,
    private readonly users: UserRepository,
    private readonly follows: FollowRepository,
    private readonly feed: FollowingFeed,
    private readonly sessions: Pick<Authenticate, 'confirm'>,
  ) {}

  async execute(input: ListPostsInput): Promise<Page<PostView>> {
    const filter: PostFilter = {};
    if (input.from && input.to && input.from > input.to) {
      throw new InvalidRangeError('from', 'must not be later than to');
    }
    if (input.from) filter.idFrom = firstIdAt(input.from);
    if (input.to) filter.idBefore = firstIdAt(new Date(input.to.getTime() + 1));
    const text = input.q?.trim();
    if (text) filter.text = text;

    let viewerId = input.viewerId;
    if (input.viewerSession) {
      if (input.following && input.author === undefined && this.feed.pageForSession) {
        const page = await this.feed.pageForSession(input.viewerSession, filter, input.page);
        if (!page) throw invalidToken();
        return page;
      }
      viewerId = (await this.sessions.confirm(input.viewerSession)).user.id;
    }
    let followerId: string | undefined;
    if (input.following) {
      if (!viewerId) throw new UnauthenticatedError('The following feed needs a bearer token');
      followerId = viewerId;
    }
    let page: Page<PostView>;
    if (input.author !== undefined) {
      const author = await this.users.findByUsername(input.author);
      if (!author) throw userNotFound(input.author);
      // Following and one author: that author's posts, if the viewer follows them.
      if (followerId && !(await this.follows.isFollowing(followerId, author.id))) return { items: [], next: null };
      page = await this.posts.page({ ...filter, authorIds: [author.id] }, input.page);
    } else if (followerId) {
      page = await this.feed.page(followerId, filter, input.page);
    } else {
      page = await this.posts.page(filter, input.page);
    }
    return page;
  }
}
