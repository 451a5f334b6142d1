import type { ColumnType, Generated } from 'kysely';

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
  /** The author's username when the post was written (usernames never change). */
  author_name: string;
  content: string | null;
  search_text: string | null;
  original_id: string | null;
  created_at: Timestamp;
  slot_key: string;
  repost_key: string;
  /** How many posts repost or quote this one: kept on write, recomputed after a bulk load. */
  repost_count: Generated<number>;
  quote_count: Generated<number>;
}

/** Each user's follow counters, kept on write; a user without a row has none. */
export interface FollowCountsTable {
  user_id: string;
  followers: number;
  following: number;
}

/** Each author's posts counter, kept on write; an author without a row has none. */
export interface PostCountsTable {
  author_id: string;
  posts: number;
}

/** A reader's home timeline: `entries` counts its rows in timeline_entries, so trimming knows when. */
export interface TimelinesTable {
  reader_id: string;
  /** 1 once built; 0 while a build runs (since `opened_at`). */
  ready: number;
  /** Entries at or below it were trimmed (or never held); null when none were. */
  floor: string | null;
  opened_at: Timestamp;
  entries: number;
}

export interface TimelineEntriesTable {
  reader_id: string;
  post_id: string;
  author_id: string;
}

/** The followees of a reader whose posts are merged in at read time. */
export interface TimelineCelebritiesTable {
  reader_id: string;
  author_id: string;
}

/** The registry of authors with more followers than the celebrity threshold. */
export interface CelebritiesTable {
  author_id: string;
}

/** The timelines' durable job queue; a claimed job's `run_at` is the end of its lease. */
export interface TimelineJobsTable {
  id: string;
  /** The TimelineJob as JSON. */
  job: string;
  run_at: Timestamp;
  enqueued_at: Timestamp;
  attempts: number;
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
  follow_counts: FollowCountsTable;
  post_counts: PostCountsTable;
  timelines: TimelinesTable;
  timeline_entries: TimelineEntriesTable;
  timeline_celebrities: TimelineCelebritiesTable;
  celebrities: CelebritiesTable;
  timeline_jobs: TimelineJobsTable;
  blogs: BlogsTable;
  articles: ArticlesTable;
  listings: ListingsTable;
  listing_prices: ListingPricesTable;
}
