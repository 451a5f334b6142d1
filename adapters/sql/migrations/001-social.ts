import { sql } from 'kysely';
import type { SqlMigration } from './migration.js';

/** Users, follows and posts, with the indexes that make every list a keyset seek. */
export const socialMigration: SqlMigration = {
  async up(db, d) {
    await db.schema
      .createTable('users')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull())
      .addColumn('username_key', 'text', (c) => c.notNull())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('joined_at', d.timestampType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('users_username_key').unique().on('users').column('username_key').execute();

    await db.schema
      .createTable('follows')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('follower_id', d.idType, (c) => c.notNull())
      .addColumn('followee_id', d.idType, (c) => c.notNull())
      .addColumn('created_at', d.timestampType, (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('follows_pair_key')
      .unique()
      .on('follows')
      .columns(['follower_id', 'followee_id'])
      .execute();
    await db.schema.createIndex('follows_by_follower').on('follows').columns(['follower_id', 'id']).execute();
    await db.schema.createIndex('follows_by_followee').on('follows').columns(['followee_id', 'id']).execute();

    await db.schema
      .createTable('posts')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('original', 'repost', 'quote')`))
      .addColumn('author_id', d.idType, (c) => c.notNull())
      .addColumn('content', 'text')
      .addColumn('search_text', 'text')
      .addColumn('original_id', d.idType)
      .addColumn('created_at', d.timestampType, (c) => c.notNull())
      .addColumn('slot_key', 'text', (c) => c.notNull())
      .addColumn('repost_key', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('posts_slot_key').unique().on('posts').column('slot_key').execute();
    await db.schema.createIndex('posts_repost_key').unique().on('posts').column('repost_key').execute();
    await db.schema.createIndex('posts_by_author').on('posts').columns(['author_id', 'id']).execute();
    await db.schema.createIndex('posts_by_original').on('posts').columns(['original_id', 'kind']).execute();
  },
  async down(db) {
    for (const table of ['posts', 'follows', 'users']) await db.schema.dropTable(table).execute();
  },
};
