import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { isId } from '../../internal/domain/shared/id-generator.js';

const NOTHING = sql<SqlBool>`1 = 0`;

/**
 * `column = id`, matching nothing when `id` is not an id. PostgreSQL's uuid columns refuse a
 * malformed id with an error, and the ports say such an id is simply unknown; this is where the
 * SQL adapter keeps that promise, for SQLite too, so both answer alike.
 */
export function idIs(column: string, id: string): RawBuilder<SqlBool> {
  return isId(id) ? sql<SqlBool>`${sql.ref(column)} = ${id}` : NOTHING;
}

/** `column IN ids`, leaving out what is not an id (see idIs); nothing matches an empty list. */
export function idIn(column: string, ids: readonly string[]): RawBuilder<SqlBool> {
  const known = knownIds(ids);
  return known.length > 0 ? sql<SqlBool>`${sql.ref(column)} in (${sql.join(known)})` : NOTHING;
}

/** The ids a uuid column can be compared with; any other names nothing. */
export function knownIds(ids: readonly string[]): string[] {
  return ids.filter(isId);
}
