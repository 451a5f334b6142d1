import type { Page, PageRequest } from '../shared/page.js';
import type { Post } from './post.js';
import { newestOnce, type PostView } from './post-views.js';

export interface PostFilter {
  /** Only posts by these authors (an empty list matches nothing). */
  authorIds?: readonly string[];
  /** Only ids >= this (created at or after the time it encodes). */
  idFrom?: string;
  /** Only ids < this. */
  idBefore?: string;
  /** Case-insensitive substring of `content` (reposts have none, so never match). */
  text?: string;
}

/**
 * Posts and their counters. Every read answers whole views — the post, its author's name (which
 * the post carries), its repost and quote counters and its original with the same — in one
 * store call, so a page costs one round trip.
 *
 * An id that names no post, malformed ones included (`''`, `'nope'`), is an unknown id: lookups
 * answer null, nothing or zero, never an error.
 */
/**
 * What `newestAmong` answers, by two reads (the views of `ids`, the authors' page) merged: for a
 * repository without it, or a case its single statement does not cover.
 */
export async function newestAmongApart(
  posts: PostRepository,
  ids: readonly string[],
  authors: PostFilter & { authorIds: readonly string[] },
  rows: number,
  before?: string,
): Promise<PostView[]> {
  const [views, page] = await Promise.all([
    ids.length > 0 ? posts.findManyByIds(ids) : [],
    authors.authorIds.length > 0 ? posts.page(authors, { limit: rows, ...(before ? { before } : {}) }).then((p) => p.items) : [],
  ]);
  return newestOnce([...views, ...page], rows);
}

export interface PostRepository {
  /**
   * Stores the post under the first free key of `slotKeys`, atomically; returns false and
   * stores nothing when every slot is taken. `repostKey` (the domain's `repostKey(post)`) is
   * unique among all posts: AlreadyRepostedError when it is taken, i.e. the author already
   * reposted the same post. With the post, and as one atomic change even under concurrency,
   * it adds one to its author's posts counter and, for a repost or a quote, to the original's
   * repost or quote counter.
   */
  createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean>;
  findById(id: string): Promise<PostView | null>;
  /** Unknown ids are left out; order is not specified. */
  findManyByIds(ids: readonly string[]): Promise<PostView[]>;
  /** Newest first. */
  page(filter: PostFilter, request: PageRequest): Promise<Page<PostView>>;
  /**
   * Optional (a store that answers it in one call provides it): the newest `rows` views among
   * the posts `ids` names and the posts `authors` selects older than `before`, newest first,
   * each once. A following page from a home timeline, whose entries are `ids` and whose
   * celebrities' posts `authors` selects: without it, HomeTimeline reads the two apart and
   * merges them.
   */
  newestAmong?(ids: readonly string[], authors: PostFilter & { authorIds: readonly string[] }, rows: number, before?: string): Promise<PostView[]>;
  /** The author's posts counter. */
  countByAuthor(authorId: string): Promise<number>;
}
