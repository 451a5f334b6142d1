import type { UserSummary } from '../users/user.js';
import type { Post } from './post.js';

/** A post as the API shows it: its author and its counters (kept on write, never counted). */
export interface EmbeddedPostView {
  post: Post;
  author: UserSummary;
  repostCount: number;
  quoteCount: number;
}

/** A post with the one it reposts or quotes (one level), as a store answers it in one call. */
export interface PostView extends EmbeddedPostView {
  original: EmbeddedPostView | null;
}

/** The view of a stored post and its counters; the author comes from the name the post carries. */
export function embeddedView(post: Post, repostCount: number, quoteCount: number): EmbeddedPostView {
  return { post, author: { id: post.authorId, username: post.authorName }, repostCount, quoteCount };
}

/** The newest `rows` of `views`, newest first, each post once (the same post read twice is one view). */
export function newestOnce(views: Iterable<PostView>, rows: number): PostView[] {
  const byId = new Map<string, PostView>();
  for (const view of views) byId.set(view.post.id, view);
  return [...byId.values()].sort((a, b) => (a.post.id < b.post.id ? 1 : a.post.id > b.post.id ? -1 : 0)).slice(0, rows);
}
