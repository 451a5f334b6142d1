import type { Kysely } from 'kysely';
import type { SqlDialectTraits } from '../dialect.js';

/** One schema change, written once for both dialects (`d` says how each spells a type). */
export interface SqlMigration {
  up(db: Kysely<unknown>, d: SqlDialectTraits): Promise<void>;
  down(db: Kysely<unknown>, d: SqlDialectTraits): Promise<void>;
}
