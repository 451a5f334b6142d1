import { CreatePost } from '../../domain/posts/create-post.js';
import { FolloweeListFeed, type FollowingFeed } from '../../domain/posts/following-feed.js';
import { GetPost } from '../../domain/posts/get-post.js';
import { ListPosts } from '../../domain/posts/list-posts.js';
import { FeedUpdates } from '../../domain/timelines/feed-updates.js';
import { HomeTimeline } from '../../domain/timelines/home-timeline.js';
import { Authenticate } from '../../domain/users/authenticate.js';
import type { Config } from '../config.js';
import { postRoutes } from '../http/routes/posts.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, single, type UseCaseFactories, type UseCasesOf } from './module.js';
import { PULL_FEED } from './timelines.js';

const useCases = {
  createPost: (r) => new CreatePost(portOf(r, 'posts'), r.resolve(T.ids), r.resolve(T.clock), r.resolve<Config>(T.config).posting, r.resolve(FeedUpdates)),
  getPost: (r) => new GetPost(portOf(r, 'posts')),
  listPosts: (r) =>
    new ListPosts(portOf(r, 'posts'), portOf(r, 'users'), portOf(r, 'follows'), r.resolve<FollowingFeed>(HomeTimeline), r.resolve(Authenticate)),
} satisfies UseCaseFactories;

export type PostUseCases = UseCasesOf<typeof useCases>;

/** Posts, reposts and quotes, and the feeds (the following feed through the home timelines). */
export const posts = defineModule({
  name: 'posts',
  register(c, { config, storeOf, timed }) {
    // The definition of the following feed: the store's own join when follows and posts share
    // it, else the portable two-port feed. Timelines are built from it and fall back to it.
    c.register<FollowingFeed>(
      PULL_FEED,
      single((r) => {
        const native = config.storage.follows === config.storage.posts ? storeOf('posts').followingFeed?.() : undefined;
        return native ? timed('posts', native, 'following_feed') : new FolloweeListFeed(portOf(r, 'follows'), portOf(r, 'posts'));
      }),
    );
  },
  useCases,
  routes: postRoutes,
});
