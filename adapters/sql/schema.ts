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

/** A log-in; deleted by log-out. */
export interface SessionsTable {
  id: string;
  user_id: string;
  expires_at: Timestamp;
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

export interface BlogsTable {
  id: string;
  owner_id: string;
  name: string;
  slug: string;
  description: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ArticlesTable {
  id: string;
  blog_id: string;
  author_id: string;
  title: string | null;
  content: string;
  view_count: ColumnType<number | string, number, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ListingsTable {
  id: string;
  owner_id: string;
  name: string;
  street_address: string;
  postal_code: string;
  city: string;
  city_key: string;
  country: string;
  description: string;
  building_type: 'STUDIO' | 'APARTMENT' | 'HOUSE';
  latest_price_eur: number;
  surface_area_m2: number;
  rooms_count: number;
  bedrooms_count: number;
  contact_phone_number: string | null;
  /** The seq of the newest price entry: entries order by it, never by clock. */
  price_seq: number;
  created_date: Timestamp;
  updated_date: Timestamp;
}

export interface ListingPricesTable {
  listing_id: string;
  seq: number;
  price_eur: number;
  created_date: Timestamp;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  follows: FollowsTable;
  posts: PostsTable;
  blogs: BlogsTable;
  articles: ArticlesTable;
  listings: ListingsTable;
  listing_prices: ListingPricesTable;
}
