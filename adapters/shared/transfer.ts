import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import type { Follow } from '../../internal/domain/follows/follow-repository.js';
import type { Listing, PriceEntry } from '../../internal/domain/listings/listing.js';
import type { Post } from '../../internal/domain/posts/post.js';
import type { User } from '../../internal/domain/users/user.js';

/**
 * One record of each module as `npm run transfer` moves it between stores: everything the
 * module's rules depend on, exactly (ids, timestamps, password hashes, view counts, the order of
 * a price history, the daily-slot and repost keys), so every rule still holds on the target.
 * Sessions and idempotency records are not moved: users log in again on the new store.
 */
export interface TransferRecords {
  users: User;
  follows: Follow;
  /** `slotKey`: the daily slot the post took (`slotKeys` of the post module); `repostKey`: `repostKey(post)`. */
  posts: { post: Post; slotKey: string; repostKey: string };
  /** A blog and every one of its articles, in id order, each with its view count. */
  blogs: { blog: Blog; articles: Article[] };
  /** A listing and its whole price history, oldest first (the last entry is its price). */
  listings: { listing: Listing; prices: PriceEntry[] };
}

/**
 * The modules whose records a transfer moves. Timelines are not among them: they are derived from
 * follows and posts, and a reader's timeline is rebuilt on first read in the new store.
 */
export type DataModule = keyof TransferRecords;

/** The id a record is ordered and resumed by. */
export function recordId<M extends DataModule>(module: M, record: TransferRecords[M]): string {
  const r = record as TransferRecords[DataModule];
  if ('post' in r) return r.post.id;
  if ('blog' in r) return r.blog.id;
  if ('listing' in r) return r.listing.id;
  return (r as User | Follow).id;
}

/**
 * How a store reads and writes one module's records whole, for a transfer, an export or an import.
 * Ids are UUIDv7 strings: ascending string order is creation order.
 */
export interface ModuleTransfer<R> {
  /** Up to `limit` records whose id is greater than `after` (from the first when null), in ascending id order. */
  page(after: string | null, limit: number): Promise<R[]>;
  /**
   * Writes `records` (ascending ids, after every record they reference) as they are, through the
   * store's bulk path. A record whose id the store already holds is left as it is, so a batch
   * may be written twice (an interrupted transfer resumed) with the same result.
   */
  write(records: readonly R[]): Promise<void>;
  /** How many records the module holds (a blog with its articles is one). */
  count(): Promise<number>;
  /**
   * After the last `write` of a transfer or an import (also a resumed one): rebuilds what the store
   * derives from the records rather than storing them — the counters (followers, following and
   * posts per user, reposts and quotes per post), which `write` does not keep — so they are exact.
   */
  finish?(): Promise<void>;
}

/** The transfer of each module a store provides. */
export type StoreTransfers = { readonly [M in DataModule]?: () => ModuleTransfer<TransferRecords[M]> };
