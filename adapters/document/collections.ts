import type { Db, IndexDescription } from 'mongodb';

export interface UserDoc {
  _id: string;
  username: string;
  username_key: string;
  password_hash: string;
  joined_at: Date;
}

/** `_id` is "<follower>:<followee>", so a pair exists once and following is an idempotent insert. */
export interface FollowDoc {
  _id: string;
  follow_id: string;
  follower_id: string;
  followee_id: string;
  created_at: Date;
}

export interface PostDoc {
  _id: string;
  kind: 'original' | 'repost' | 'quote';
  author_id: string;
  content: string | null;
  search_text: string | null;
  original_id: string | null;
  created_at: Date;
  slot_key: string;
  repost_key: string;
}

export interface MetaDoc {
  _id: string;
  version: number;
}

export interface Collections {
  users: UserDoc;
  follows: FollowDoc;
  posts: PostDoc;
}

/**
 * Indexes per collection, named so a check can find them. Equality fields first, then the
 * sort key (`_id` / `follow_id` descending for newest-first keyset pages), ranges last.
 */
export const INDEXES: Record<keyof Collections, IndexDescription[]> = {
  users: [{ key: { username_key: 1 }, name: 'users_username_key', unique: true }],
  follows: [
    { key: { follower_id: 1, follow_id: -1 }, name: 'follows_by_follower' },
    { key: { followee_id: 1, follow_id: -1 }, name: 'follows_by_followee' },
  ],
  posts: [
    { key: { slot_key: 1 }, name: 'posts_slot_key', unique: true },
    { key: { repost_key: 1 }, name: 'posts_repost_key', unique: true },
    { key: { author_id: 1, _id: -1 }, name: 'posts_by_author' },
    { key: { original_id: 1, kind: 1 }, name: 'posts_by_original' },
  ],
};

/** Bumped whenever INDEXES or the document shapes change. */
export const SCHEMA_VERSION = 1;

export function collection<K extends keyof Collections>(db: Db, name: K) {
  return db.collection<Collections[K]>(name);
}
