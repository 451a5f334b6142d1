export type PostKind = 'original' | 'repost' | 'quote';

export interface Post {
  id: string;
  kind: PostKind;
  authorId: string;
  /**
   * The author's username when the post was written. Usernames never change, so a post carries
   * it and a page of posts is answered without asking the users module.
   */
  authorName: string;
  /** Null for reposts; a quote's own added text otherwise. */
  content: string | null;
  /** The reposted or quoted post; null for originals. */
  originalId: string | null;
  createdAt: Date;
}

export interface PostingRules {
  maxLength: number;
  dailyLimit: number;
}

export const DEFAULT_POSTING_RULES: PostingRules = { maxLength: 777, dailyLimit: 5 };

/** The UTC calendar day of an instant, as YYYY-MM-DD. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function secondsUntilNextUtcDay(at: Date): number {
  const next = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - at.getTime()) / 1000));
}

/**
 * The keys of an author's posting slots for a day. A store keeps slot keys unique, so
 * claiming a slot is one atomic insert in any store, with or without transactions.
 */
export function dailySlotKeys(authorId: string, at: Date, limit: number): string[] {
  // A loop over one prefix: every post makes `limit` keys, and Array.from's callback made
  // them ten times slower (63 against 6 µs for a limit of 1,000).
  const prefix = `${authorId}:${utcDay(at)}:`;
  const keys = new Array<string>(limit);
  for (let i = 0; i < limit; i++) keys[i] = prefix + (i + 1);
  return keys;
}

/**
 * The form text search compares: stores keep a post's content in it (reposts have none), and a
 * query's text goes through it too, so a match ignores case the same way in every store.
 */
export function searchKey(text: string): string {
  return text.toLowerCase();
}

/**
 * A key unique across all posts that is equal for two reposts of one post by one author,
 * so a store's unique index enforces "a user reposts a post at most once".
 */
export function repostKey(post: Post): string {
  return post.kind === 'repost' ? `${post.authorId}:${post.originalId}` : `post:${post.id}`;
}
