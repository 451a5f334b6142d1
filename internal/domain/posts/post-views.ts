import type { UserSummary } from '../users/user.js';
import type { UserSummaries } from '../users/user-summaries.js';
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
    private readonly users: UserSummaries,
  ) {}

  /** At most three calls: the originals not in `posts`, then their counts and authors together. */
  async of(posts: Post[]): Promise<PostView[]> {
    const known = new Map(posts.map((p) => [p.id, p]));
    const missing = [...new Set(posts.flatMap((p) => (p.originalId && !known.has(p.originalId) ? [p.originalId] : [])))];
    if (missing.length > 0) for (const original of await this.posts.findManyByIds(missing)) known.set(original.id, original);

    const views = new Map((await this.embed([...known.values()])).map((v) => [v.post.id, v]));
    return posts.map((post) => {
      const original = post.originalId ? views.get(post.originalId) : undefined;
      return { ...views.get(post.id)!, original: original ?? null };
    });
  }

  /** Posts with their authors and counts, not their originals: two calls, made together. */
  async embed(posts: Post[]): Promise<EmbeddedPostView[]> {
    if (posts.length === 0) return [];
    const [counts, authorOf] = await Promise.all([
      this.posts.referenceCounts(posts.map((p) => p.id)),
      this.users.of(posts.map((p) => p.authorId)),
    ]);
    return posts.map((post) => ({
      post,
      author: authorOf(post.authorId),
      repostCount: counts.get(post.id)?.reposts ?? 0,
      quoteCount: counts.get(post.id)?.quotes ?? 0,
    }));
  }
}
