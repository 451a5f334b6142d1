import type { ColumnType } from 'kysely';

/** Written as ISO strings; read back as a string (SQLite) or a Date (PostgreSQL). */
export type Timestamp = ColumnType<Date | string, string, string>;

export interface UsersTable {
  id: string;
  username: string;
  username_key: string;
  password_hash: string;
  joined_at: Timestamp;
}

export interface FollowsTable {
  id: string;
  follower_id: string;
  followee_id: string;
  created_at: Timestamp;
}

export interface PostsTable {
  id: string;
  kind: 'original' | 'repost' | 'quote';
  author_id: string;
  content: string | null;
  search_text: string | null;
  original_id: string | null;
  created_at: Timestamp;
  slot_key: string;
  repost_key: string;
}

export interface Database {
  users: UsersTable;
  follows: FollowsTable;
  posts: PostsTable;
}
