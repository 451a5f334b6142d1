import type { Db, Document } from 'mongodb';

/**
 * What the server behind MONGODB_URL can do, read from `buildInfo` and `hello` when the store
 * first connects. The adapter's code is the same whatever these say; they tell tests what to
 * skip (with the reason) and operators what to expect. FerretDB reports `ferretdbVersion`.
 */
export interface MongoCapabilities {
  server: 'mongodb' | 'ferretdb';
  /** The MongoDB version the server reports (FerretDB reports the one it is compatible with). */
  version: string;
  flags: {
    /** Multi-document transactions: needs a replica set or sharded cluster. Agora never uses them. */
    transactions: boolean;
    /** E11000 errors name the violated index (keyPattern); repositories never rely on it. */
    duplicateKeyDetails: boolean;
    /** `partialFilterExpression` indexes (FerretDB v1: "not implemented"). Not used. */
    partialIndexes: boolean;
    /** Indexes with a collation (FerretDB v1: "not implemented"); usernames use a lowercase key instead. */
    collationIndexes: boolean;
    /** findOneAndUpdate with a projection (FerretDB v1: "not implemented"); updates here return no document. */
    findAndModifyProjection: boolean;
    /** Filters, sorts and limits run on the server's indexes; FerretDB v1 (SQLite) filters and sorts in its own process. */
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
      partialIndexes: native,
      collationIndexes: native,
      findAndModifyProjection: native,
      indexedQueries: native,
    },
  };
}

/** Transactions need sessions and a replica set member or a mongos router (a standalone has neither). */
function supportsTransactions(hello: Document): boolean {
  const sessions = typeof hello.logicalSessionTimeoutMinutes === 'number';
  return sessions && (typeof hello.setName === 'string' || hello.msg === 'isdbgrid');
}
