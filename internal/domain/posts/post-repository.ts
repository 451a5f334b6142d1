import type { Page, PageRequest } from '../shared/page.js';
import type { Post } from './post.js';

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

export interface ReferenceCounts {
  reposts: number;
  quotes: number;
}

/**
 * An id that names no post, malformed ones included (`''`, `'nope'`), is an unknown id: lookups
 * answer null, nothing or zero, never an error.
 */
export interface PostRepository {
  /**
   * Stores the post under the first free key of `slotKeys`, atomically; returns false and
   * stores nothing when every slot is taken. `repostKey` (the domain's `repostKey(post)`) is
   * unique among all posts: AlreadyRepostedError when it is taken, i.e. the author already
   * reposted the same post.
   */
  createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean>;
  findById(id: string): Promise<Post | null>;
  /** Unknown ids are left out; order is not specified. */
  findManyByIds(ids: readonly string[]): Promise<Post[]>;
  /** Newest first. */
  page(filter: PostFilter, request: PageRequest): Promise<Page<Post>>;
  countByAuthor(authorId: string): Promise<number>;
  /** How many reposts and quotes point at each of `ids` (absent ids count zero). */
  referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>>;
}
