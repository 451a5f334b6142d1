import type { Driver } from 'neo4j-driver';
import type { ModuleTransfer, TransferRecords } from '../shared/transfer.js';
import { articleProps, blogProps, toArticle, toBlog } from './blog-repository.js';
import { Neo4jBulkSeeder } from './bulk-seeder.js';
import { recountFollows, recountPosts } from './counters.js';
import { rowsAfter, type KeysetQuery } from './keyset.js';
import { fieldsOf, LISTING, toEntity as toListing } from './listing-repository.js';
import { int, POST, rowsNotHeld, str, toFollow, toNumber, toPost, toUser, userProps, where, type Props } from './records.js';

/**
 * Every module read and written whole (npm run transfer, export, import), over the plain
 * driver: a whole-store read or a large batch may rightly take longer than STORE_TIMEOUT_MS.
 * A page is one query, in ascending id order on the id index (a blog's articles and a
 * listing's history come along in COLLECT subqueries); a batch is one UNWIND statement, so one
 * transaction, which leaves every record whose id the graph already holds as it is.
 */
interface GraphTransfer<R> {
  /** The page query: `returns` is one record's map, and its MATCH without a cursor counts them. */
  query: KeysetQuery;
  toRecord(row: Props): R;
  write(records: readonly R[]): Promise<void>;
  /** Rebuilds the counters `write` does not keep. */
  finish?(): Promise<void>;
}

function graphTransfer<R>(driver: Driver, t: GraphTransfer<R>): ModuleTransfer<R> {
  return {
    finish: t.finish,
    async page(after, limit) {
      return (await rowsAfter(driver, t.query, after, limit)).map((row) => t.toRecord(row));
    },
    async write(records) {
      if (records.length > 0) await t.write(records);
    },
    async count() {
      const { records } = await driver.executeQuery(`${t.query.match} ${where(...(t.query.conditions ?? []))} RETURN count(*) AS n`, {}, { routing: 'READ' });
      return toNumber(records[0]?.get('n'));
    },
  };
}

/** Users; a stub another module made (a node without a username) is not one, and gets the user's properties. */
export function usersTransfer(driver: Driver): ModuleTransfer<TransferRecords['users']> {
  return graphTransfer(driver, {
    query: { match: 'MATCH (u:User)', key: 'u', conditions: ['u.username IS NOT NULL'], returns: 'u {.*}' },
    toRecord: toUser,
    async write(users) {
      await driver.executeQuery(
        `UNWIND $rows AS row
         MERGE (u:User {id: row.id})
         WITH u, row WHERE u.username IS NULL
         SET u += row`,
        { rows: users.map(userProps) },
      );
    },
  });
}

/** Follows; their users are merged by id (stubs where the users live elsewhere), as the bulk seeder does. */
export function followsTransfer(driver: Driver): ModuleTransfer<TransferRecords['follows']> {
  return graphTransfer(driver, {
    query: { match: 'MATCH (a)-[r:FOLLOWS]->(b)', key: 'r', returns: '{id: r.id, follower_id: a.id, followee_id: b.id, created_at: r.created_at}' },
    toRecord: toFollow,
    write: (follows) => new Neo4jBulkSeeder(driver).follows(follows),
    finish: () => recountFollows(driver),
  });
}

/** Posts with their daily-slot and repost keys, as the bulk seeder writes them. */
export function postsTransfer(driver: Driver): ModuleTransfer<TransferRecords['posts']> {
  return graphTransfer(driver, {
    query: { match: 'MATCH (p:Post)', key: 'p', returns: `{post: ${POST}, slot_key: p.slot_key, repost_key: p.repost_key}` },
    toRecord: (row) => ({ post: toPost(row.post as Props), slotKey: str(row, 'slot_key'), repostKey: str(row, 'repost_key') }),
    write: (posts) => new Neo4jBulkSeeder(driver).posts(posts),
    finish: () => recountPosts(driver),
  });
}

/** Blogs, each with its articles in id order and their view counts; an existing blog keeps its own. */
export function blogsTransfer(driver: Driver): ModuleTransfer<TransferRecords['blogs']> {
  return graphTransfer(driver, {
    query: {
      match: 'MATCH (b:Blog)',
      key: 'b',
      returns: '{blog: b {.*}, articles: COLLECT { MATCH (b)-[:HAS_ARTICLE]->(a:Article) WITH a ORDER BY a.id RETURN a {.*} }}',
    },
    toRecord: (row) => ({ blog: toBlog(row.blog as Props), articles: (row.articles as Props[]).map(toArticle) }),
    async write(blogs) {
      await driver.executeQuery(
        `${rowsNotHeld('Blog', 'row.blog.id')}
         CREATE (b:Blog)
         SET b = row.blog
         WITH b, row
         UNWIND row.articles AS a
         CREATE (b)-[:HAS_ARTICLE]->(x:Article)
         SET x = a`,
        { rows: blogs.map(({ blog, articles }) => ({ blog: blogProps(blog), articles: articles.map(articleProps) })) },
      );
    },
  });
}

/**
 * Listings, each with its whole price history in sequence order; written back under the same
 * sequence numbers (1, 2, ...) with the listing's `price_seq` at the last, as replace() expects.
 */
export function listingsTransfer(driver: Driver): ModuleTransfer<TransferRecords['listings']> {
  return graphTransfer(driver, {
    query: {
      match: 'MATCH (l:Listing)',
      key: 'l',
      returns: `{listing: ${LISTING}, prices: COLLECT { MATCH (l)-[:HAS_PRICE]->(p:PriceEntry) WITH p ORDER BY p.seq RETURN p {.price_eur, .created_date} }}`,
    },
    toRecord(row) {
      const listing = toListing(row.listing as Props);
      const prices = (row.prices as Props[]).map((p) => ({ listingId: listing.id, priceEur: toNumber(p.price_eur), createdDate: new Date(str(p, 'created_date')) }));
      return { listing, prices };
    },
    async write(listings) {
      await driver.executeQuery(
        `${rowsNotHeld('Listing', 'row.id')}
         CREATE (l:Listing {id: row.id, owner_id: row.owner, created_date: row.created, price_seq: size(row.prices)})
         SET l += row.fields
         WITH l, row
         UNWIND row.prices AS price
         CREATE (l)-[:HAS_PRICE]->(p:PriceEntry)
         SET p = price`,
        {
          rows: listings.map(({ listing, prices }) => ({
            id: listing.id,
            owner: listing.ownerId,
            created: listing.createdDate.toISOString(),
            fields: fieldsOf(listing),
            prices: prices.map((p, i) => ({ seq: int(i + 1), price_eur: p.priceEur, created_date: p.createdDate.toISOString() })),
          })),
        },
      );
    },
  });
}
