import { sql, type RawBuilder } from 'kysely';

/**
 * PostgreSQL: `INSERT INTO table (columns) SELECT ...` of `rows` (objects with one table's
 * columns, all alike) sent as one JSON parameter typed by the table's own row type. PostgreSQL
 * parses one document instead of binding tens of thousands of parameters (about twice as fast,
 * and no 65,535-parameter limit). The caller adds its ON CONFLICT and RETURNING clauses.
 */
export function insertJsonRows(table: string, rows: readonly object[]): RawBuilder<unknown> {
  const list = sql.join(Object.keys(rows[0] ?? {}).map((c) => sql.ref(c)));
  return sql`
    insert into ${sql.table(table)} (${list})
    select ${list} from json_populate_recordset(null::${sql.table(table)}, ${JSON.stringify(rows)}::json)`;
}
