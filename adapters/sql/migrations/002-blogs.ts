import type { SqlMigration } from './migration.js';

/** Blogs (unique slug) and their articles, newest first per blog and per owner. */
export const blogsMigration: SqlMigration = {
  async up(db, d) {
    await db.schema
      .createTable('blogs')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('owner_id', d.idType, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('slug', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', d.timestampType, (c) => c.notNull())
      .addColumn('updated_at', d.timestampType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('blogs_slug_key').unique().on('blogs').column('slug').execute();
    await db.schema.createIndex('blogs_by_owner').on('blogs').columns(['owner_id', 'id']).execute();

    await db.schema
      .createTable('articles')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('blog_id', d.idType, (c) => c.notNull().references('blogs.id').onDelete('cascade'))
      .addColumn('author_id', d.idType, (c) => c.notNull())
      .addColumn('title', 'text')
      .addColumn('content', 'text', (c) => c.notNull())
      .addColumn('view_count', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', d.timestampType, (c) => c.notNull())
      .addColumn('updated_at', d.timestampType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('articles_by_blog').on('articles').columns(['blog_id', 'id']).execute();
  },
  async down(db) {
    await db.schema.dropTable('articles').execute();
    await db.schema.dropTable('blogs').execute();
  },
};
