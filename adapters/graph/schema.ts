/**
 * Constraints and indexes, each idempotent. Uniqueness lives in constraints (which also
 * index); range indexes back the newest-first keyset pages and the lookups.
 */
export const SCHEMA_STATEMENTS: readonly string[] = [
  'CREATE CONSTRAINT user_id IF NOT EXISTS FOR (u:User) REQUIRE u.id IS UNIQUE',
  'CREATE CONSTRAINT user_username_key IF NOT EXISTS FOR (u:User) REQUIRE u.username_key IS UNIQUE',
  'CREATE CONSTRAINT session_id IF NOT EXISTS FOR (s:Session) REQUIRE s.id IS UNIQUE',
  'CREATE CONSTRAINT post_id IF NOT EXISTS FOR (p:Post) REQUIRE p.id IS UNIQUE',
  'CREATE CONSTRAINT post_slot_key IF NOT EXISTS FOR (p:Post) REQUIRE p.slot_key IS UNIQUE',
  'CREATE CONSTRAINT post_repost_key IF NOT EXISTS FOR (p:Post) REQUIRE p.repost_key IS UNIQUE',
  'CREATE INDEX post_author IF NOT EXISTS FOR (p:Post) ON (p.author_id, p.id)',
  'CREATE INDEX follows_id IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.id)',
  'CREATE CONSTRAINT meta_id IF NOT EXISTS FOR (m:AgoraMeta) REQUIRE m.id IS UNIQUE',
  'CREATE CONSTRAINT blog_id IF NOT EXISTS FOR (b:Blog) REQUIRE b.id IS UNIQUE',
  'CREATE CONSTRAINT blog_slug IF NOT EXISTS FOR (b:Blog) REQUIRE b.slug IS UNIQUE',
  'CREATE INDEX blog_owner IF NOT EXISTS FOR (b:Blog) ON (b.owner_id, b.id)',
  'CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE',
  'CREATE INDEX article_blog IF NOT EXISTS FOR (a:Article) ON (a.blog_id, a.id)',
  'CREATE CONSTRAINT listing_id IF NOT EXISTS FOR (l:Listing) REQUIRE l.id IS UNIQUE',
  'CREATE INDEX listing_city IF NOT EXISTS FOR (l:Listing) ON (l.city_key, l.id)',
  'CREATE INDEX listing_type IF NOT EXISTS FOR (l:Listing) ON (l.building_type, l.id)',
  // Idempotency-Key records: one property holds user and key (node key constraints are Enterprise-only).
  'CREATE CONSTRAINT idempotency_key_id IF NOT EXISTS FOR (k:IdempotencyKey) REQUIRE k.id IS UNIQUE',
];

/** Bumped whenever SCHEMA_STATEMENTS or the graph model changes. */
export const SCHEMA_VERSION = 5;
