import type { Db, IndexDescription } from 'mongodb';
import type { MongoCapabilities } from './capabilities.js';
import { counters, FOLLOW_COUNTERS, POST_COUNTERS, recountFollows, recountPosts } from './counters.js';
import type { FollowDoc, MetaDoc, PostDoc, UserDoc } from './schema.js';

export interface CollectionSpec {
  name: string;
  /** Named indexes; key order follows the ESR rule (equality, then sort, then range). */
  indexes: IndexDescription[];
}

export interface MongoMigration {
  name: string;
  collections: CollectionSpec[];
  /** What the data written before it needs, after its indexes; idempotent, like the rest. */
  data?: (db: Db, capabilities: () => Promise<MongoCapabilities>) => Promise<void>;
}

/**
 * Every migration, in order. A migration adds collections and indexes, and may fill in what
 * earlier data lacks, so applying one twice changes nothing. Partial, sparse and collation
 * indexes are avoided on purpose: FerretDB v1 refuses the first and last and ignores `sparse`.
 */
export const MIGRATIONS: readonly MongoMigration[] = [
  {
    name: '001-social',
    collections: [
      { name: 'users', indexes: [{ key: { username_key: 1 }, name: 'users_username_key', unique: true }] },
      {
        name: 'follows',
        indexes: [
          { key: { follower_id: 1, followee_id: 1 }, name: 'follows_pair_key', unique: true },
          { key: { follower_id: 1, _id: -1 }, name: 'follows_by_follower' },
          { key: { followee_id: 1, _id: -1 }, name: 'follows_by_followee' },
        ],
      },
      {
        name: 'posts',
        indexes: [
          { key: { slot_key: 1 }, name: 'posts_slot_key', unique: true },
          { key: { repost_key: 1 }, name: 'posts_repost_key', unique: true },
          { key: { author_id: 1, _id: -1 }, name: 'posts_by_author' },
          { key: { original_id: 1, kind: 1 }, name: 'posts_by_original' },
        ],
      },
    ],
  },
  {
    name: '002-blogs',
    collections: [
      {
        name: 'blogs',
        indexes: [
          { key: { slug: 1 }, name: 'blogs_slug', unique: true },
          { key: { owner_id: 1, _id: -1 }, name: 'blogs_by_owner' },
        ],
      },
      { name: 'articles', indexes: [{ key: { blog_id: 1, _id: -1 }, name: 'articles_by_blog' }] },
      // Views are keyed `<article>:<n>`, so counting one article's views is a seek on `_id`.
      { name: 'article_views', indexes: [{ key: { blog_id: 1 }, name: 'article_views_by_blog' }] },
      { name: 'blog_intents', indexes: [{ key: { started_at: 1 }, name: 'blog_intents_by_start' }] },
    ],
  },
  {
    name: '003-listings',
    collections: [
      {
        name: 'listings',
        // Equality filters, then the newest-first sort, then the price range; with no equality
        // filter the _id index serves the sort and the price is checked per document.
        indexes: [
          { key: { city_key: 1, building_type: 1, _id: -1, latest_price_eur: 1 }, name: 'listings_by_city' },
          { key: { building_type: 1, _id: -1, latest_price_eur: 1 }, name: 'listings_by_type' },
        ],
      },
    ],
  },
  {
    name: '004-sessions',
    // The token's session is found by `_id`; log-out everywhere and the purge of a user's
    // expired sessions at log-in seek (user_id, expires_at).
    collections: [{ name: 'sessions', indexes: [{ key: { user_id: 1, expires_at: 1 }, name: 'sessions_by_user' }] }],
  },
  {
    name: '005-idempotency',
    // Idempotency-Key records are found by `_id` alone (user, key and generation), the unique
    // key each claim inserts under; see idempotency-repository.ts.
    collections: [{ name: 'idempotency_keys', indexes: [] }],
  },
  {
    name: '006-counters-and-timelines',
    // Counters are read by `_id` on MongoDB and by `key` on FerretDB v1, whose queries use no
    // index; see counters.ts. Timelines: see timeline-store.ts.
    collections: [
      { name: FOLLOW_COUNTERS, indexes: [] },
      { name: POST_COUNTERS, indexes: [] },
      { name: 'timelines', indexes: [{ key: { reader_id: 1, kind: 1 }, name: 'timelines_by_reader' }] },
      {
        name: 'timeline_entries',
        indexes: [
          { key: { reader_id: 1, post_id: -1 }, name: 'timeline_entries_by_reader' },
          // removeAuthor (an unfollow) finds a followee's entries in one reader's timeline.
          { key: { reader_id: 1, author_id: 1 }, name: 'timeline_entries_by_author' },
        ],
      },
      { name: 'celebrities', indexes: [] },
      {
        name: 'timeline_jobs',
        indexes: [
          { key: { run_at: 1, _id: 1 }, name: 'timeline_jobs_due' },
          { key: { job_id: 1, seq: -1 }, name: 'timeline_jobs_by_job' },
        ],
      },
    ],
    // Posts written before carry the name their author has in this database (empty when the
    // users live elsewhere), and the counters start exact.
    async data(db, capabilities) {
      await nameAuthors(db);
      await recountFollows(db.collection<FollowDoc>('follows'), counters(db, FOLLOW_COUNTERS, capabilities));
      await recountPosts(db.collection<PostDoc>('posts'), counters(db, POST_COUNTERS, capabilities));
    },
  },
];

/**
 * Puts on every post without `author_name` its author's username, or '' when this database
 * lacks the user: one update per author, one at a time (FerretDB v1 deadlocks on many updates
 * at once, see chain.ts).
 */
async function nameAuthors(db: Db): Promise<void> {
  const posts = db.collection<PostDoc>('posts');
  const users = db.collection<UserDoc>('users');
  const unnamed = { author_name: { $exists: false } };
  for (const authorId of await posts.distinct('author_id', unnamed)) {
    const author = await users.findOne({ _id: authorId }, { projection: { username: 1 } });
    await posts.updateMany({ author_id: authorId, ...unnamed }, { $set: { author_name: author?.username ?? '' } });
  }
}

export const META_COLLECTION = 'agora_meta';

async function existingCollections(db: Db): Promise<Set<string>> {
  const found = await db.listCollections({}, { nameOnly: true }).toArray();
  return new Set(found.map((c) => c.name));
}

async function indexNames(db: Db, collection: string): Promise<Set<string>> {
  const found = await db.collection(collection).listIndexes().toArray();
  return new Set(found.map((i) => String(i.name)));
}

async function appliedNames(db: Db): Promise<Set<string>> {
  const meta = await db.collection<MetaDoc>(META_COLLECTION).findOne({ _id: 'schema' });
  return new Set(meta?.applied ?? []);
}

async function isComplete(db: Db, migration: MongoMigration, applied: Set<string>, collections: Set<string>): Promise<boolean> {
  if (!applied.has(migration.name)) return false;
  for (const spec of migration.collections) {
    if (!collections.has(spec.name)) return false;
    const names = await indexNames(db, spec.name);
    if (!spec.indexes.every((i) => i.name !== undefined && names.has(i.name))) return false;
  }
  return true;
}

/** A migration is pending until it is recorded and every index it creates exists. */
export async function pendingMigrations(db: Db): Promise<string[]> {
  const [applied, collections] = await Promise.all([appliedNames(db), existingCollections(db)]);
  const pending: string[] = [];
  for (const migration of MIGRATIONS) {
    if (!(await isComplete(db, migration, applied, collections))) pending.push(migration.name);
  }
  return pending;
}

/** Creates what is missing and records each migration in `agora_meta`; returns the names applied. */
export async function migrate(db: Db, capabilities: () => Promise<MongoCapabilities>): Promise<string[]> {
  const pending = new Set(await pendingMigrations(db));
  const applied: string[] = [];
  for (const migration of MIGRATIONS.filter((m) => pending.has(m.name))) {
    const collections = await existingCollections(db);
    for (const spec of migration.collections) {
      if (!collections.has(spec.name)) await db.createCollection(spec.name).catch(ignoreNamespaceExists);
      // Only the missing ones: FerretDB v1 drops the connection (a panic) when createIndexes
      // names several indexes that already exist.
      const existing = await indexNames(db, spec.name);
      const missing = spec.indexes.filter((i) => i.name === undefined || !existing.has(i.name));
      if (missing.length > 0) await db.collection(spec.name).createIndexes(missing);
    }
    await migration.data?.(db, capabilities);
    await db.collection<MetaDoc>(META_COLLECTION).updateOne(
      { _id: 'schema' },
      { $addToSet: { applied: migration.name }, $set: { updated_at: new Date() } },
      { upsert: true },
    );
    applied.push(migration.name);
  }
  return applied;
}

/** Two processes migrating at once may both create a collection; the loser's error is harmless. */
function ignoreNamespaceExists(err: unknown): void {
  if ((err as { code?: unknown }).code !== 48) throw err;
}
