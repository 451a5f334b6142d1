import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import type { PriceEntry } from '../../internal/domain/listings/listing.js';
import type { ModuleTransfer, StoreTransfers, TransferRecords } from '../shared/transfer.js';
import { articleRow, blogRow, toArticle, toBlog } from './blog-repository.js';
import { recountFollows, recountPosts } from './counters.js';
import { toCount, toDate, type SqlDialectName } from './dialect.js';
import { insertJsonRows } from './json-rows.js';
import { oldestFirst } from './keyset.js';
import { fieldsOf, toEntity as toListing } from './listing-repository.js';
import { POST_COLUMNS, followRow, postRow, toFollow, toPost, toUser, userRow } from './records.js';
import type { Database } from './schema.js';

/** The tables a module's records are ordered, resumed and counted by. */
type RecordTable = 'users' | 'follows' | 'posts' | 'blogs' | 'listings';

/**
 * Bound parameters in one statement: under SQLite's 32,766 and PostgreSQL's 65,535, so a batch
 * of any size (or a blog with many articles) is split into multi-row INSERTs that fit.
 */
const MAX_PARAMETERS = 30_000;

function* statementsOf<T extends object>(rows: readonly T[]): Generator<T[]> {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Object.keys(rows[0] ?? {}).length));
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/**
 * Inserts the rows whose id `table` does not hold yet (a row already there is left as it is)
 * and returns the ids inserted. Any other unique key that refuses a row (a username, a slug, a
 * daily slot taken by another id) fails the batch: the target holds something else there.
 */
async function insertNew<T extends RecordTable | 'articles'>(
  trx: Transaction<Database>,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  dialect: SqlDialectName,
): Promise<Set<string>> {
  const inserted = new Set<string>();
  if (rows.length === 0) return inserted;
  if (dialect === 'postgres') {
    const written = await sql<{ id: string }>`${insertJsonRows(table, rows)} on conflict (id) do nothing returning id`.execute(trx);
    for (const { id } of written.rows) inserted.add(id);
    return inserted;
  }
  for (const part of statementsOf(rows)) {
    const written = await trx
      .insertInto(table as 'users')
      .values(part as Insertable<Database['users']>[])
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const { id } of written) inserted.add(id);
  }
  return inserted;
}

/** How one module's records are read (a page of rows, then a fixed number of queries) and written. */
interface TableTransfer<R> {
  /** The table its records are ordered, resumed and counted by. */
  table: RecordTable;
  read(db: Kysely<Database>, after: string | null, limit: number, dialect: SqlDialectName): Promise<R[]>;
  write(trx: Transaction<Database>, records: readonly R[], dialect: SqlDialectName): Promise<unknown>;
  /** Rebuilds the counters the module derives from its records (`write` leaves them alone). */
  recount?(trx: Transaction<Database>): Promise<void>;
}

/**
 * Each parent of a page with its children, which `childrenOf` fetches for the whole page in one
 * query, in the order each parent keeps them (`parentId` names a child's parent).
 */
async function withChildren<P extends { id: string }, C>(
  parents: readonly P[],
  childrenOf: (parentIds: string[]) => Promise<C[]>,
  parentId: (child: C) => string,
): Promise<Array<[P, C[]]>> {
  if (parents.length === 0) return [];
  const groups = new Map<string, C[]>();
  for (const child of await childrenOf(parents.map((p) => p.id))) {
    const group = groups.get(parentId(child));
    if (group) group.push(child);
    else groups.set(parentId(child), [child]);
  }
  return parents.map((parent) => [parent, groups.get(parent.id) ?? []]);
}

/** The modules whose records move (the timelines are not moved: they are rebuilt as readers read). */
type MovedModule = keyof TransferRecords;

const TRANSFERS: { [M in MovedModule]: TableTransfer<TransferRecords[M]> } = {
  users: {
    table: 'users',
    read: async (db, after, limit, d) => (await oldestFirst(db.selectFrom('users').selectAll(), after, limit, d).execute()).map(toUser),
    write: (trx, users, d) => insertNew(trx, 'users', users.map(userRow), d),
  },

  follows: {
    table: 'follows',
    read: async (db, after, limit, d) => (await oldestFirst(db.selectFrom('follows').selectAll(), after, limit, d).execute()).map(toFollow),
    write: (trx, follows, d) => insertNew(trx, 'follows', follows.map(followRow), d),
    recount: recountFollows,
  },

  posts: {
    table: 'posts',
    async read(db, after, limit, d) {
      const rows = await oldestFirst(db.selectFrom('posts').select([...POST_COLUMNS, 'slot_key', 'repost_key']), after, limit, d).execute();
      return rows.map((row) => ({ post: toPost(row), slotKey: row.slot_key, repostKey: row.repost_key }));
    },
    write: (trx, posts, d) => insertNew(trx, 'posts', posts.map((p) => postRow(p.post, p.slotKey, p.repostKey)), d),
    recount: recountPosts,
  },

  blogs: {
    table: 'blogs',
    async read(db, after, limit, d) {
      const blogs = (await oldestFirst(db.selectFrom('blogs').selectAll(), after, limit, d).execute()).map(toBlog);
      const articlesOf = async (ids: string[]) =>
        (await db.selectFrom('articles').selectAll().where('blog_id', 'in', ids).orderBy('id', 'asc').execute()).map(toArticle);
      return (await withChildren(blogs, articlesOf, (a) => a.blogId)).map(([blog, articles]) => ({ blog, articles }));
    },
    async write(trx, records, d) {
      const inserted = await insertNew(trx, 'blogs', records.map((r) => blogRow(r.blog)), d);
      await insertNew(trx, 'articles', records.filter((r) => inserted.has(r.blog.id)).flatMap((r) => r.articles.map(articleRow)), d);
    },
  },

  listings: {
    table: 'listings',
    async read(db, after, limit, d) {
      const listings = (await oldestFirst(db.selectFrom('listings').selectAll(), after, limit, d).execute()).map(toListing);
      const pricesOf = async (ids: string[]) =>
        (await db.selectFrom('listing_prices').selectAll().where('listing_id', 'in', ids).orderBy('listing_id').orderBy('seq').execute()).map(
          (p): PriceEntry => ({ listingId: p.listing_id, priceEur: Number(p.price_eur), createdDate: toDate(p.created_date) }),
        );
      return (await withChildren(listings, pricesOf, (p) => p.listingId)).map(([listing, prices]) => ({ listing, prices }));
    },
    async write(trx, records, d) {
      const rows = records.map(({ listing, prices }) => ({
        ...fieldsOf(listing), id: listing.id, owner_id: listing.ownerId, price_seq: prices.length, created_date: listing.createdDate.toISOString(),
      }));
      const inserted = await insertNew(trx, 'listings', rows, d);
      // The history in order: seq 1 is the first price, the listing's price_seq the last one.
      const entries = records
        .filter((r) => inserted.has(r.listing.id))
        .flatMap(({ listing, prices }) => prices.map((p, i) => ({ listing_id: listing.id, seq: i + 1, price_eur: p.priceEur, created_date: p.createdDate.toISOString() })));
      for (const part of statementsOf(entries)) await trx.insertInto('listing_prices').values(part).execute();
    },
  },
};

function transferOf<R>(db: Kysely<Database>, dialect: SqlDialectName, spec: TableTransfer<R>): ModuleTransfer<R> {
  const { recount } = spec;
  return {
    ...(recount && { finish: () => db.transaction().execute(recount) }),
    page: async (after, limit) => (limit > 0 ? spec.read(db, after, limit, dialect) : []),
    async write(records) {
      if (records.length > 0) await db.transaction().execute((trx) => spec.write(trx, records, dialect));
    },
    async count() {
      const row = await db.selectFrom(spec.table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return toCount(row.n);
    },
  };
}

/**
 * Every module's records, read and written whole over the connection `open` gives (the store's
 * maintenance connection: a whole table may take longer than one request's time limit).
 * Writes are multi-row `INSERT ... ON CONFLICT (id) DO NOTHING`, one transaction per batch; a
 * blog's articles and a listing's price history are inserted only with their newly inserted
 * parent. Foreign keys: articles need their blog and price entries their listing (both written
 * with them); nothing references users, so any module can be moved alone. `finish` rebuilds the
 * follow and post counters in one transaction of set-based statements (see counters.ts).
 */
export function sqlTransfers(open: () => { db: Kysely<Database>; dialect: SqlDialectName }): StoreTransfers {
  const transfer = <M extends MovedModule>(module: M) => () => {
    const { db, dialect } = open();
    return transferOf(db, dialect, TRANSFERS[module] as TableTransfer<TransferRecords[M]>);
  };
  return { users: transfer('users'), follows: transfer('follows'), posts: transfer('posts'), blogs: transfer('blogs'), listings: transfer('listings') };
}
