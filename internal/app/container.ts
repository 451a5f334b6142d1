import 'reflect-metadata';
import { container as root, instanceCachingFactory, type DependencyContainer } from 'tsyringe';
import { HmacTokenIssuer } from '../../adapters/system/hmac-token-issuer.js';
import { BoundedPasswordHasher } from '../../adapters/system/bounded-password-hasher.js';
import { ScryptPasswordHasher } from '../../adapters/system/scrypt-password-hasher.js';
import { SystemClock } from '../../adapters/system/system-clock.js';
import { UuidV7IdGenerator } from '../../adapters/system/uuid-v7-id-generator.js';
import { SanitizeHtmlContentSanitizer } from '../../adapters/system/sanitize-html-content-sanitizer.js';
import { AddArticle } from '../domain/blogs/add-article.js';
import { CreateBlog } from '../domain/blogs/create-blog.js';
import { DeleteArticle } from '../domain/blogs/delete-article.js';
import { DeleteBlog } from '../domain/blogs/delete-blog.js';
import { GetBlog } from '../domain/blogs/get-blog.js';
import { ListArticles } from '../domain/blogs/list-articles.js';
import { ListBlogs } from '../domain/blogs/list-blogs.js';
import { UpdateArticle } from '../domain/blogs/update-article.js';
import { UpdateBlog } from '../domain/blogs/update-blog.js';
import { ViewArticle } from '../domain/blogs/view-article.js';
import { UserSummaries } from '../domain/users/user-summaries.js';
import { FollowUser } from '../domain/follows/follow-user.js';
import { CreateListing } from '../domain/listings/create-listing.js';
import { DeleteListing } from '../domain/listings/delete-listing.js';
import { GetListing } from '../domain/listings/get-listing.js';
import { GetPriceHistory } from '../domain/listings/get-price-history.js';
import { ListListings } from '../domain/listings/list-listings.js';
import { ReplaceListing } from '../domain/listings/replace-listing.js';
import { ListConnections } from '../domain/follows/list-connections.js';
import { UnfollowUser } from '../domain/follows/unfollow-user.js';
import { CreatePost } from '../domain/posts/create-post.js';
import { GetPost } from '../domain/posts/get-post.js';
import { FolloweeListFeed } from '../domain/posts/following-feed.js';
import { ListPosts } from '../domain/posts/list-posts.js';
import { PostViews } from '../domain/posts/post-views.js';
import type { Clock } from '../domain/shared/clock.js';
import { Authenticate } from '../domain/users/authenticate.js';
import { GetProfile } from '../domain/users/get-profile.js';
import { ListUsers } from '../domain/users/list-users.js';
import { LogIn } from '../domain/users/log-in.js';
import { LogOut } from '../domain/users/log-out.js';
import { LogOutEverywhere } from '../domain/users/log-out-everywhere.js';
import { SignUp } from '../domain/users/sign-up.js';
import type { Config } from './config.js';
import { instrument, type Metrics } from './http/metrics.js';
import { moduleRepository, type Stores } from './stores.js';
import { TOKENS as T } from './tokens.js';

export interface Overrides {
  clock?: Clock;
  metrics?: Metrics;
}

function single<R>(make: (c: DependencyContainer) => R) {
  return { useFactory: instanceCachingFactory(make) };
}

/** The one composition root: each port gets the adapter of the store its module is configured for. */
export function buildContainer(config: Config, stores: Stores, overrides: Overrides = {}): DependencyContainer {
  const c = root.createChildContainer();
  const storeOf = (module: keyof Config['storage']) => stores.get(config.storage[module])!;
  const repositoryOf = <M extends keyof Config['storage']>(module: M) => moduleRepository(stores, config, module);
  const timed = <R extends object>(module: keyof Config['storage'], repository: R, label: string = module): R =>
    overrides.metrics ? instrument(repository, config.storage[module], label, overrides.metrics) : repository;

  c.register(T.config, { useValue: config });
  c.register(T.clock, { useValue: overrides.clock ?? new SystemClock() });
  c.register(T.ids, { useValue: new UuidV7IdGenerator() });
  c.register(T.passwordHasher, {
    useValue: new BoundedPasswordHasher(new ScryptPasswordHasher(config.passwordHashCost), config.limits.hashConcurrency, config.limits.hashQueue),
  });
  c.register(T.tokenIssuer, single((r) => new HmacTokenIssuer(config.authSecret, config.tokenTtlSeconds, r.resolve(T.clock))));
  c.register(T.userRepository, single(() => timed('users', repositoryOf('users'))));
  c.register(T.followRepository, single(() => timed('follows', repositoryOf('follows'))));
  c.register(T.postRepository, single(() => timed('posts', repositoryOf('posts'))));
  // The store's own join when follows and posts share it, else the portable two-port feed.
  c.register(
    T.followingFeed,
    single((r) => {
      const native = config.storage.follows === config.storage.posts ? storeOf('posts').followingFeed?.() : undefined;
      return native ? timed('posts', native, 'following_feed') : new FolloweeListFeed(r.resolve(T.followRepository), r.resolve(T.postRepository));
    }),
  );
  c.register(T.postViews, single((r) => new PostViews(r.resolve(T.postRepository), r.resolve(UserSummaries))));

  c.register(SignUp, single((r) => new SignUp(r.resolve(T.userRepository), r.resolve(T.passwordHasher), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(LogIn, single((r) => new LogIn(r.resolve(T.userRepository), r.resolve(T.passwordHasher), r.resolve(T.tokenIssuer), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(Authenticate, single((r) => new Authenticate(r.resolve(T.userRepository), r.resolve(T.tokenIssuer), r.resolve(T.clock))));
  c.register(LogOut, single((r) => new LogOut(r.resolve(T.userRepository))));
  c.register(LogOutEverywhere, single((r) => new LogOutEverywhere(r.resolve(T.userRepository))));
  c.register(ListUsers, single((r) => new ListUsers(r.resolve(T.userRepository))));
  c.register(GetProfile, single((r) => new GetProfile(r.resolve(T.userRepository), r.resolve(T.followRepository), r.resolve(T.postRepository))));
  c.register(FollowUser, single((r) => new FollowUser(r.resolve(T.userRepository), r.resolve(T.followRepository), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(UnfollowUser, single((r) => new UnfollowUser(r.resolve(T.userRepository), r.resolve(T.followRepository))));
  c.register(ListConnections, single((r) => new ListConnections(r.resolve(T.userRepository), r.resolve(T.followRepository))));
  c.register(CreatePost, single((r) => new CreatePost(r.resolve(T.postRepository), r.resolve(T.postViews), r.resolve(T.ids), r.resolve(T.clock), config.posting)));
  c.register(GetPost, single((r) => new GetPost(r.resolve(T.postRepository), r.resolve(T.postViews))));
  c.register(ListPosts, single((r) => new ListPosts(r.resolve(T.postRepository), r.resolve(T.userRepository), r.resolve(T.followRepository), r.resolve(T.postViews), r.resolve(T.followingFeed))));
  c.register(T.listingRepository, single(() => timed('listings', repositoryOf('listings'))));
  c.register(CreateListing, single((r) => new CreateListing(r.resolve(T.listingRepository), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(ReplaceListing, single((r) => new ReplaceListing(r.resolve(T.listingRepository), r.resolve(T.clock))));
  c.register(DeleteListing, single((r) => new DeleteListing(r.resolve(T.listingRepository))));
  c.register(GetListing, single((r) => new GetListing(r.resolve(T.listingRepository))));
  c.register(GetPriceHistory, single((r) => new GetPriceHistory(r.resolve(T.listingRepository))));
  c.register(ListListings, single((r) => new ListListings(r.resolve(T.listingRepository))));
  c.register(UserSummaries, single((r) => new UserSummaries(r.resolve(T.userRepository))));
  c.register(T.blogRepository, single(() => timed('blogs', repositoryOf('blogs'))));
  c.register(T.contentSanitizer, { useValue: new SanitizeHtmlContentSanitizer() });
  c.register(CreateBlog, single((r) => new CreateBlog(r.resolve(T.blogRepository), r.resolve(T.contentSanitizer), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(GetBlog, single((r) => new GetBlog(r.resolve(T.blogRepository), r.resolve(UserSummaries))));
  c.register(ListBlogs, single((r) => new ListBlogs(r.resolve(T.blogRepository), r.resolve(T.userRepository), r.resolve(UserSummaries))));
  c.register(UpdateBlog, single((r) => new UpdateBlog(r.resolve(T.blogRepository), r.resolve(T.clock))));
  c.register(DeleteBlog, single((r) => new DeleteBlog(r.resolve(T.blogRepository))));
  c.register(AddArticle, single((r) => new AddArticle(r.resolve(T.blogRepository), r.resolve(T.contentSanitizer), r.resolve(T.ids), r.resolve(T.clock))));
  c.register(ViewArticle, single((r) => new ViewArticle(r.resolve(T.blogRepository), r.resolve(UserSummaries))));
  c.register(UpdateArticle, single((r) => new UpdateArticle(r.resolve(T.blogRepository), r.resolve(T.contentSanitizer), r.resolve(T.clock), r.resolve(UserSummaries))));
  c.register(DeleteArticle, single((r) => new DeleteArticle(r.resolve(T.blogRepository))));
  c.register(ListArticles, single((r) => new ListArticles(r.resolve(T.blogRepository), r.resolve(UserSummaries))));
  return c;
}

/** The use cases the HTTP shell calls, resolved once. */
export function useCases(c: DependencyContainer) {
  return {
    signUp: c.resolve(SignUp),
    logIn: c.resolve(LogIn),
    authenticate: c.resolve(Authenticate),
    logOut: c.resolve(LogOut),
    logOutEverywhere: c.resolve(LogOutEverywhere),
    listUsers: c.resolve(ListUsers),
    getProfile: c.resolve(GetProfile),
    followUser: c.resolve(FollowUser),
    unfollowUser: c.resolve(UnfollowUser),
    listConnections: c.resolve(ListConnections),
    createPost: c.resolve(CreatePost),
    getPost: c.resolve(GetPost),
    listPosts: c.resolve(ListPosts),
    createListing: c.resolve(CreateListing),
    replaceListing: c.resolve(ReplaceListing),
    deleteListing: c.resolve(DeleteListing),
    getListing: c.resolve(GetListing),
    getPriceHistory: c.resolve(GetPriceHistory),
    listListings: c.resolve(ListListings),
    createBlog: c.resolve(CreateBlog),
    getBlog: c.resolve(GetBlog),
    listBlogs: c.resolve(ListBlogs),
    updateBlog: c.resolve(UpdateBlog),
    deleteBlog: c.resolve(DeleteBlog),
    addArticle: c.resolve(AddArticle),
    viewArticle: c.resolve(ViewArticle),
    updateArticle: c.resolve(UpdateArticle),
    deleteArticle: c.resolve(DeleteArticle),
    listArticles: c.resolve(ListArticles),
  };
}

export type UseCases = ReturnType<typeof useCases>;
