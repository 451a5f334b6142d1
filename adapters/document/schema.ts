import type { PostKind } from '../../internal/domain/posts/post.js';

/**
 * Document shapes, private to this adapter. `_id` is the entity's UUIDv7 string id, so the
 * primary index orders by creation time and every keyset page seeks on `_id` alone.
 */
export interface UserDoc {
  _id: string;
  username: string;
  /** Lowercase username; a unique index makes names unique ignoring case (no collation index needed). */
  username_key: string;
  password_hash: string;
  joined_at: Date;
}

export interface FollowDoc {
  _id: string;
  follower_id: string;
  followee_id: string;
  created_at: Date;
}

export interface PostDoc {
  _id: string;
  kind: PostKind;
  author_id: string;
  content: string | null;
  /** Lowercase content for the case-insensitive text filter; null for reposts. */
  search_text: string | null;
  original_id: string | null;
  created_at: Date;
  /** `<author>:<day>:<n>`: unique, so claiming a daily slot is one atomic insert. */
  slot_key: string;
  /** Unique; equal for two reposts of one post by one author. */
  repost_key: string;
}

export interface MetaDoc {
  _id: 'schema';
  /** Names of the migrations applied, in order. */
  applied: string[];
  updated_at: Date;
}
