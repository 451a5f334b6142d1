import type { UserSummary } from '../users/user.js';
import type { UserRepository } from '../users/user-repository.js';
import type { Post } from './post.js';
import type { PostRepository } from './post-repository.js';

export interface EmbeddedPostView {
  post: Post;
  author: UserSummary;
  repostCount: number;
  quoteCount: number;
}

export interface PostView extends EmbeddedPostView {
  original: EmbeddedPostView | null;
}

/**
 * Joins posts to their authors, originals and counts through ports only, in a fixed number
 * of queries per page, so it works when users and posts live in different stores.
 */
export class PostViews {
  constructor(
    private readonly posts: PostRepository,
    private readonly users: UserRepository,
  ) {}

  async of(posts: Post[]): Promise<PostView[]> {
    const known = new Map(posts.map((p) => [p.id, p]));
    const missing = [...new Set(posts.flatMap((p) => (p.originalId && !known.has(p.originalId) ? [p.originalId] : [])))];
    for (const original of await this.posts.findManyByIds(missing)) known.set(original.id, original);

    const everyPost = [...known.values()];
    const [counts, authors] = await Promise.all([
      this.posts.referenceCounts(everyPost.map((p) => p.id)),
      this.users.findManyByIds([...new Set(everyPost.map((p) => p.authorId))]),
    ]);
    const authorById = new Map(authors.map((u) => [u.id, { id: u.id, username: u.username }]));

    const embed = (post: Post): EmbeddedPostView => ({
      post,
      author: authorById.get(post.authorId) ?? { id: post.authorId, username: '[deleted]' },
      repostCount: counts.get(post.id)?.reposts ?? 0,
      quoteCount: counts.get(post.id)?.quotes ?? 0,
    });
    return posts.map((post) => {
      const original = post.originalId ? known.get(post.originalId) : undefined;
      return { ...embed(post), original: original ? embed(original) : null };
    });
  }
}
