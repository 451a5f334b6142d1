import type { BuildingType } from '../../internal/domain/listings/listing.js';
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

/**
 * A log-in (`_id` = the session id the token carries); deleted by log-out. Its own document,
 * not an array in the user's: FerretDB v1 does not isolate concurrent updates of one document,
 * so a log-in racing a log-out could write a revoked session back.
 */
export interface SessionDoc {
  _id: string;
  user_id: string;
  expires_at: Date;
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

export interface PriceEntryDoc {
  price_eur: number;
  created_date: Date;
}

export interface ListingDoc {
  _id: string;
  owner_id: string;
  name: string;
  postal_address: { street_address: string; postal_code: string; city: string; country: string };
  /** cityKey(city): the city filter's equality field. */
  city_key: string;
  description: string;
  building_type: BuildingType;
  latest_price_eur: number;
  surface_area_m2: number;
  rooms_count: number;
  bedrooms_count: number;
  contact_phone_number: string | null;
  created_date: Date;
  updated_date: Date;
  /**
   * Embedded, oldest first, so a price change and its entry are one single-document update.
   * At ~40 bytes an entry, the 16 MB document limit allows hundreds of thousands of changes.
   */
  price_history: PriceEntryDoc[];
}

export interface BlogDoc {
  _id: string;
  owner_id: string;
  name: string;
  /** Unique index blogs_slug. */
  slug: string;
  description: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * An article is visible only while its blog document exists: the blog is written after its
 * first articles (the commit point) and deleted before them.
 */
export interface ArticleDoc {
  _id: string;
  blog_id: string;
  author_id: string;
  title: string | null;
  content: string;
  created_at: Date;
  updated_at: Date;
}

/** One view of an article (see ArticleViews): the article's view count is its highest n. */
export interface ArticleViewDoc {
  /** `<article id>:<n, 12 digits>` */
  _id: string;
  blog_id: string;
}

/** A blog creation in flight (`_id` = the blog's id); left behind only by a crash. */
export interface BlogIntentDoc {
  _id: string;
  started_at: Date;
}

export interface MetaDoc {
  _id: 'schema';
  /** Names of the migrations applied, in order. */
  applied: string[];
  updated_at: Date;
}
