import type { Migration, MigrationProvider } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';
import { socialMigration } from './001-social.js';
import { blogsMigration } from './002-blogs.js';
import { listingsMigration } from './003-listings.js';
import { sessionsMigration } from './004-sessions.js';
import { idempotencyMigration } from './005-idempotency.js';
import { countersAndTimelinesMigration } from './006-counters-and-timelines.js';
import { coveringFollowListsMigration } from './007-covering-follow-lists.js';
import type { SqlMigration } from './migration.js';

/** Every migration, in order; names sort in the order they apply. */
export function migrations(d: SqlDialectTraits): Record<string, Migration> {
  return {
    '001-social': forDialect(socialMigration, d),
    '002-blogs': forDialect(blogsMigration, d),
    '003-listings': forDialect(listingsMigration, d),
    '004-sessions': forDialect(sessionsMigration, d),
    '005-idempotency': forDialect(idempotencyMigration, d),
    '006-counters-and-timelines': forDialect(countersAndTimelinesMigration, d),
    '007-covering-follow-lists': forDialect(coveringFollowListsMigration, d),
  };
}

function forDialect(migration: SqlMigration, d: SqlDialectTraits): Migration {
  return { up: (db) => migration.up(db, d), down: (db) => migration.down(db, d) };
}

export function migrationProvider(d: SqlDialectTraits): MigrationProvider {
  return { getMigrations: async () => migrations(d) };
}
