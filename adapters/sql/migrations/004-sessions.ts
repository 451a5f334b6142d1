import type { SqlMigration } from './migration.js';

/**
 * Sessions: one row per log-in, deleted by log-out. (user_id, expires_at) serves log-out
 * everywhere and the purge of a user's expired sessions at log-in; the primary key serves
 * the lookup every authenticated request makes.
 */
export const sessionsMigration: SqlMigration = {
  async up(db, d) {
    await db.schema
      .createTable('sessions')
      .addColumn('id', d.idType, (c) => c.primaryKey())
      .addColumn('user_id', d.idType, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('expires_at', d.timestampType, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sessions_by_user').on('sessions').columns(['user_id', 'expires_at']).execute();
  },
  async down(db) {
    await db.schema.dropTable('sessions').execute();
  },
};
