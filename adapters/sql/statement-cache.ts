import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query anew, and for the short queries of a feed
 * page preparing costs as much as running. This keeps the most recently used statements by
 * their SQL text (Kysely emits the same text for the same query shape, values are bound).
 * Safe because Kysely runs each statement to completion synchronously (`all`/`run`); a
 * statement is never re-entered while another use of it is still iterating.
 */
export function withStatementCache(connection: SqliteConnection, capacity = 500): SqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below: a Map keeps insertion order, so this is LRU
      } else {
        statement = connection.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}
