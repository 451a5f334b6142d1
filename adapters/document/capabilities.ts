import type { Db, Document } from 'mongodb';

/**
 * What the server behind MONGODB_URL can do, read from `buildInfo` and `hello` when the store
 * first connects. Counters, timeline trimming and post views take another path where a flag is
 * false (see each flag); the flags also tell tests what to skip (with the reason) and operators
 * what to expect. FerretDB reports `ferretdbVersion`.
 */
export interface MongoCapabilities {
  server: 'mongodb' | 'ferretdb';
  /** The MongoDB version the server reports (FerretDB reports the one it is compatible with). */
  version: string;
  flags: {
    /** Multi-document transactions: needs a replica set or sharded cluster. Agora never uses them. */
    transactions: boolean;
    /**
     * Every unique violation is an E11000 naming its index. FerretDB v1 names no index, and an
     * update's violation is an InternalError ("UNIQUE constraint failed"); isDuplicateKey reads both.
     */
    duplicateKeyDetails: boolean;
    /**
     * An update's read-modify-write is isolated from concurrent updates of the same document.
     * FerretDB v1 reads the document, applies the operators in its own process and writes the
     * whole document back: concurrent `$inc`s lose counts and the last writer wins. Agora keeps
     * every invariant on inserts and unique indexes, which FerretDB does enforce atomically.
     */
    isolatedUpdates: boolean;
    /** `partialFilterExpression` indexes (FerretDB v1: "not implemented"). Not used. */
    partialIndexes: boolean;
    /** Indexes with a collation (FerretDB v1: "not implemented"); usernames use a lowercase key instead. */
    collationIndexes: boolean;
    /** findOneAndUpdate with a projection (FerretDB v1: "not implemented"); updates here return no document. */
    findAndModifyProjection: boolean;
    /**
     * Filters, sorts and limits run on the server's indexes. False on FerretDB v1 whatever its
     * backend (v1.24 source and `explain`). PostgreSQL backend: only equality (`{f: v}`, `$eq`,
     * `$ne`) on a top-level field holding a string, ObjectId, date, boolean or number reaches
     * SQL, as `_jsonb->'f' @> v`, which its btree indexes cannot serve: a sequential scan of the
     * table, `_id` lookups included; `$in`, ranges, `$or` and dotted paths are filtered in
     * FerretDB; no sort reaches SQL (only `$natural` on capped collections) and a limit only
     * when the query has no filter, sort or skip. SQLite backend: only `_id` equality (on its
     * index) reaches SQL; every other filter and every sort run in FerretDB.
     */
    /** The `$lookup` aggregation stage (FerretDB v1: "not implemented yet"): post views join their originals on the server where true. */
    lookup: boolean;
    indexedQueries: boolean;
  };
}

export async function detectCapabilities(db: Db): Promise<MongoCapabilities> {
  const admin = db.admin();
  const [build, hello] = await Promise.all([admin.command({ buildInfo: 1 }), admin.command({ hello: 1 })]);
  const ferret = typeof build.ferretdbVersion === 'string';
  const native = !ferret;
  return {
    server: ferret ? 'ferretdb' : 'mongodb',
    version: String(build.version),
    flags: {
      transactions: supportsTransactions(hello),
      duplicateKeyDetails: native,
      isolatedUpdates: native,
      partialIndexes: native,
      collationIndexes: native,
      findAndModifyProjection: native,
      lookup: native,
      indexedQueries: native,
    },
  };
}

/** Transactions need sessions and a replica set member or a mongos router (a standalone has neither). */
function supportsTransactions(hello: Document): boolean {
  const sessions = typeof hello.logicalSessionTimeoutMinutes === 'number';
  return sessions && (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
}
