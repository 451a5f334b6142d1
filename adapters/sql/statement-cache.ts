import type { Database as SqliteConnection, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { DirectRunner } from './compiled.js';
import { rowMaker } from './row-maker.js';

/**
 * Kysely's SQLite driver prepares every query anew, and for the short queries of a feed
 * page preparing costs as much as running. This keeps the most recently used statements by
 * their SQL text (Kysely emits the same text for the same query shape, values are bound).
 * Safe because Kysely runs each statement to completion synchronously (`all`/`run`); a
 * statement is never re-entered while another use of it is still iterating.
 */
export function withStatementCache(connection: SqliteConnection, capacity = 500): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // re-inserted below: a Map keeps insertion order, so this is LRU
      } else {
        statement = rowsAsObjects(connection.prepare(sql));
        if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Compiled reads run on `connection` through `statements` (see runsDirectly), except while a
 * transaction is open on it: a read then would see the transaction's uncommitted rows, so it
 * answers undefined and the read waits for the transaction through Kysely. Writes answer
 * undefined too (they go through Kysely).
 */
export function directReads(connection: SqliteConnection, statements: SqliteDatabase): DirectRunner {
  return (sql, parameters) => {
    if (connection.inTransaction) return undefined;
    const statement = statements.prepare(sql);
    return statement.reader ? statement.all(parameters) : undefined;
  };
}

/**
 * A statement whose rows come back as objects, as Kysely expects, but read as arrays and
 * keyed here: better-sqlite3 builds each row object through V8's C++ API one property at a
 * time, which costs more than SQLite's own work for a page of posts (156 µs against 93 µs for
 * a feed page of 21 joined rows, measured at 1M posts). Same keys and the same "last column
 * of a name wins" as better-sqlite3's own objects.
 */
function rowsAsObjects(statement: Statement): SqliteStatement {
  if (!statement.reader) return statement as SqliteStatement;
  const names = statement.columns().map((column) => column.name);
  statement.raw(true);
  const keyed = rowMaker(names);
  return {
    reader: true,
    all: (parameters) => (statement.all(parameters) as unknown[][]).map(keyed),
    run: (parameters) => statement.run(parameters),
    *iterate(parameters) {
      for (const values of statement.iterate(parameters) as IterableIterator<unknown[]>) yield keyed(values);
    },
  };
}
