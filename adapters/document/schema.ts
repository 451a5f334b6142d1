import type { BuildingType } from '../../internal/domain/listings/listing.js';
import type { PostKind } from '../../internal/domain/posts/post.js';
import type { TimelineJob } from '../../internal/domain/timelines/timeline-store.js';

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
  /** The author's username when the post was written (usernames never change). */
  author_name: string;
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

/**
 * A counter kept on write where updates are isolated (MongoDB): `$inc` on one document per
 * counter. See counters.ts.
 */
export interface CounterDoc {
  /** The counter's key (counterKey in counters.ts). */
  _id: string;
  n: number;
}

/**
 * One version of a counter where updates are not isolated (FerretDB v1): a change inserts the
 * next version, `_id` `<key>#<v, 12 digits>`, whose unique `_id` admits one writer. See counters.ts.
 */
export interface CounterVersionDoc {
  _id: string;
  key: string;
  v: number;
  n: number;
  /** The token of the insert that made this version (see chain.ts). */
  t?: string;
}

/**
 * What a reader's home timeline is made of besides its entries, one document each, all found by
 * `reader_id` in one query, none ever updated on FerretDB v1 (see timeline-store.ts): its state
 * (`_id` = the reader id), the mark that its build `token` ended (it is ready), a floor candidate
 * (the floor is the highest, so raising it is an insert), each of its celebrities, and the
 * takeover of a stale build.
 */
export type TimelineDoc =
  | {
      _id: string;
      reader_id: string;
      kind: 'state';
      opened_at: Date;
      /** Drawn anew by each open: the build's ready mark and its takeover carry it. */
      token: string;
      /** Entries added minus entries removed, where `$inc` is isolated (MongoDB): says when to trim. */
      entry_count?: number;
    }
  | { _id: string; reader_id: string; kind: 'ready'; token: string }
  | { _id: string; reader_id: string; kind: 'floor'; post_id: string }
  | { _id: string; reader_id: string; kind: 'celebrity'; author_id: string }
  | { _id: string; reader_id: string; kind: 'build' };

/** One post in one reader's timeline: `_id` `<reader>/<post>`, so adding it twice is one insert refused. */
export interface TimelineEntryDoc {
  _id: string;
  reader_id: string;
  post_id: string;
  author_id: string;
}

/** An author the registry counts as a celebrity (`_id` = the author id). */
export interface CelebrityDoc {
  _id: string;
}

/**
 * One version of a queued job (`_id` `<job>#<seq>`, see chain.ts): enqueue inserts version 0,
 * and each claim (a lease) and reschedule advances the chain with a new `run_at`; the job is its
 * highest version, and `complete` deletes them all.
 */
export interface TimelineJobDoc {
  _id: string;
  job_id: string;
  seq: number;
  job: TimelineJob;
  run_at: Date;
  enqueued_at: Date;
  /** Claims so far. */
  attempts: number;
  /** The token of the insert that made this version (see chain.ts). */
  t?: string;
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
