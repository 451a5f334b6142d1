import { CreatePost } from '../../domain/posts/create-post.js';
import { FolloweeListFeed, type FollowingFeed } from '../../domain/posts/following-feed.js';
import { GetPost } from '../../domain/posts/get-post.js';
import { ListPosts } from '../../domain/posts/list-posts.js';
import { PostViews } from '../../domain/posts/post-views.js';
import { UserSummaries } from '../../domain/users/user-summaries.js';
import type { Config } from '../config.js';
import { postRoutes } from '../http/routes/posts.js';
import { TOKENS as T } from '../tokens.js';
import { defineModule, portOf, single, type UseCaseFactories, type UseCasesOf } from './module.js';

const FOLLOWING_FEED = Symbol('FollowingFeed');

const useCases = {
  createPost: (r) => new CreatePost(portOf(r, 'posts'), r.resolve(PostViews), r.resolve(T.ids), r.resolve(T.clock), r.resolve<Config>(T.config).posting),
  getPost: (r) => new GetPost(portOf(r, 'posts'), r.resolve(PostViews)),
  listPosts: (r) => new ListPosts(portOf(r, 'posts'), portOf(r, 'users'), portOf(r, 'follows'), r.resolve(PostViews), r.resolve(FOLLOWING_FEED)),
} satisfies UseCaseFactories;

export type PostUseCases = UseCasesOf<typeof useCases>;

/** Posts, reposts and quotes, and the feeds. */
export const posts = defineModule({
  name: 'posts',
  register(c, { config, storeOf, timed }) {
    // The store's own join when follows and posts share it, else the portable two-port feed.
    c.register<FollowingFeed>(
      FOLLOWING_FEED,
      single((r) => {
        const native = config.storage.follows === config.storage.posts ? storeOf('posts').followingFeed?.() : undefined;
        return native ? timed('posts', native, 'following_feed') : new FolloweeListFeed(portOf(r, 'follows'), portOf(r, 'posts'));
      }),
    );
    c.register(PostViews, single((r) => new PostViews(portOf(r, 'posts'), r.resolve(UserSummaries))));
  },
  useCases,
  routes: postRoutes,
});
