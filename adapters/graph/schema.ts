import type { Driver } from 'neo4j-driver';
import { eachNode, recountFollows, recountPosts } from './counters.js';

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
  // The timelines module: a timeline per reader, its entries in order per reader, the celebrity
  // registry, and the job queue in the order jobs fall due.
  'CREATE CONSTRAINT timeline_reader IF NOT EXISTS FOR (t:Timeline) REQUIRE t.reader IS UNIQUE',
  'CREATE INDEX timeline_entry IF NOT EXISTS FOR (e:TimelineEntry) ON (e.reader, e.post_id)',
  'CREATE CONSTRAINT celebrity_id IF NOT EXISTS FOR (c:Celebrity) REQUIRE c.id IS UNIQUE',
  'CREATE CONSTRAINT timeline_job_id IF NOT EXISTS FOR (j:TimelineJob) REQUIRE j.id IS UNIQUE',
  'CREATE INDEX timeline_job_due IF NOT EXISTS FOR (j:TimelineJob) ON (j.run_at)',
];

/** Bumped whenever SCHEMA_STATEMENTS or the graph model changes. */
export const SCHEMA_VERSION = 6;

/**
 * What the model's changes need of the data written before them, after the statements; each
 * step idempotent. Version 6 put on each post its author's name (from the author's node, where
 * this store holds the users; else empty) and counters on users and posts.
 */
export async function migrateData(driver: Driver): Promise<void> {
  await eachNode(driver, 'p', 'Post', "WITH p WHERE p.author_name IS NULL OPTIONAL MATCH (p)-[:POSTED_BY]->(u:User) SET p.author_name = coalesce(u.username, '')");
  await recountFollows(driver);
  await recountPosts(driver);
}
