import { sql } from 'kysely';
import { recountFollows, recountPosts } from '../counters.js';
import type { SqlMigration } from './migration.js';

/**
 * Counters kept on write (follows per user, posts per author, reposts and quotes per post), the
 * author's name on each post (a page of posts is then one query), and the `timelines` module:
 * home timelines, their celebrities, the celebrity registry and the job queue.
 */
export const countersAndTimelinesMigration: SqlMigration = {
  async up(db, d) {
    await db.schema.alterTable('posts').addColumn('author_name', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('posts').addColumn('repost_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('posts').addColumn('quote_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    // Posts written before this carry the name their author has in this database, if it holds them.
    await sql`update posts set author_name = coalesce((select username from users where users.id = posts.author_id), '')`.execute(db);

    await db.schema
      .createTable('follow_counts')
      .addColumn('user_id', d.idType, (c) => c.primaryKey())
      .addColumn('followers', 'integer', (c) => c.notNull())
      .addColumn('following', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('post_counts')
      .addColumn('author_id', d.idType, (c) => c.primaryKey())
      .addColumn('posts', 'integer', (c) => c.notNull())
      .execute();
    await recountFollows(db);
    await recountPosts(db);

    await db.schema
      .createTable('timelines')
      .addColumn('reader_id', d.idType, (c) => c.primaryKey())
      .addColumn('ready', 'integer', (c) => c.notNull())
      .addColumn('floor', d.idType)
      .addColumn('opened_at', d.timestampType, (c) => c.notNull())
      .addColumn('entries', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('timeline_entries')
      .addColumn('reader_id', d.idType, (c) => c.notNull())
      .addColumn('post_id', d.idType, (c) => c.notNull())
      .addColumn('author_id', d.idType, (c) => c.notNull())
      .addPrimaryKeyConstraint('timeline_entries_pk', ['reader_id', 'post_id'])
      .execute();
    // removeAuthor (an unfollow) finds a followee's entries in one reader's timeline.
    await db.schema.createIndex('timeline_entries_by_author').on('timeline_entries').columns(['reader_id', 'author_id']).execute();
    await db.schema
      .createTable('timeline_celebrities')
      .addColumn('reader_id', d.idType, (c) => c.notNull())
      .addColumn('author_id', d.idType, (c) => c.notNull())
      .addPrimaryKeyConstraint('timeline_celebrities_pk', ['reader_id', 'author_id'])
      .execute();
    await db.schema.createTable('celebrities').addColumn('author_id', d.idType, (c) => c.primaryKey()).execute();
    await db.schema
      .createTable('timeline_jobs')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('run_at', d.timestampType, (c) => c.notNull())
      .addColumn('enqueued_at', d.timestampType, (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('timeline_jobs_due').on('timeline_jobs').columns(['run_at', 'id']).execute();
  },
  async down(db) {
    for (const table of ['timeline_jobs', 'celebrities', 'timeline_celebrities', 'timeline_entries', 'timelines', 'post_counts', 'follow_counts']) {
      await db.schema.dropTable(table).execute();
    }
    for (const column of ['quote_count', 'repost_count', 'author_name']) await db.schema.alterTable('posts').dropColumn(column).execute();
  },
};
