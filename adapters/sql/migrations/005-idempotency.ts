import type { SqlMigration } from './migration.js';

/**
 * Idempotency keys: one row per (user, key), claimed pending (`status` null) and completed with
 * the answer to replay. The primary key decides each claim; an expired row is replaced in the
 * same statement. `user_id` is text, not a reference: any id names a user with no rows.
 */
export const idempotencyMigration: SqlMigration = {
  async up(db, d) {
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('created_at', d.timestampType, (c) => c.notNull())
      .addColumn('expires_at', d.timestampType, (c) => c.notNull())
      .addColumn('status', 'integer')
      .addColumn('content_type', 'text')
      .addColumn('location', 'text')
      .addColumn('body', 'text')
      .addPrimaryKeyConstraint('idempotency_keys_pkey', ['user_id', 'key'])
      .execute();
  },
  async down(db) {
    await db.schema.dropTable('idempotency_keys').execute();
  },
};
