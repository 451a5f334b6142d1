import type { Collection, Db, Filter, OptionalUnlessRequiredId, WithId } from 'mongodb';
import type { Article } from '../../internal/domain/blogs/blog.js';
import type { ModuleTransfer, StoreTransfers, TransferRecords } from '../shared/transfer.js';
import { ABANDONED_AFTER_MS, type BlogCollections } from './blog-commit.js';
import type { MongoCapabilities } from './capabilities.js';
import { counters, FOLLOW_COUNTERS, POST_COUNTERS, recountFollows, recountPosts } from './counters.js';
import { insertEach } from './inserts.js';
import { oldestFirst } from './keyset.js';
import {
  articleDoc, blogDoc, followDoc, listingDoc, postDoc, toArticle, toBlog, toFollow, toListing, toPost, toPriceEntries, toUser, userDoc,
} from './records.js';
import type { ArticleDoc, ArticleViewDoc, BlogDoc, BlogIntentDoc, FollowDoc, ListingDoc, PostDoc, UserDoc } from './schema.js';

/**
 * Every module's records, read and written whole on `db` (the store's maintenance connection:
 * a whole collection may take longer than STORE_TIMEOUT_MS). No multi-document transactions:
 * each write is unordered insertMany calls under unique `_id`s, so writing a batch again (a
 * resumed transfer) leaves what is already there as it is, on MongoDB and FerretDB v1 alike.
 */
export function documentTransfers(db: () => Db, capabilities: () => Promise<MongoCapabilities>): StoreTransfers {
  return {
    users: () => collectionTransfer(db().collection<UserDoc>('users'), toUser, userDoc),
    follows: () => {
      const follows = db().collection<FollowDoc>('follows');
      return { ...collectionTransfer(follows, toFollow, followDoc), finish: () => recountFollows(follows, counters(db(), FOLLOW_COUNTERS, capabilities)) };
    },
    posts: () => {
      const posts = db().collection<PostDoc>('posts');
      return {
        ...collectionTransfer(
          posts,
          (doc) => ({ post: toPost(doc), slotKey: doc.slot_key, repostKey: doc.repost_key }),
          (r) => postDoc(r.post, r.slotKey, r.repostKey),
        ),
        finish: () => recountPosts(posts, counters(db(), POST_COUNTERS, capabilities)),
      };
    },
    blogs: () => new BlogTransfer(db()),
    // The price history is embedded, oldest first: it moves with its listing, in its order.
    listings: () =>
      collectionTransfer(
        db().collection<ListingDoc>('listings'),
        (doc) => ({ listing: toListing(doc), prices: toPriceEntries(doc) }),
        (r) => listingDoc(r.listing, r.prices),
      ),
  };
}

/** A module kept in one collection, one document a record: a page is one forward seek on `_id`. */
function collectionTransfer<D extends { _id: string }, R>(
  collection: Collection<D>,
  toRecord: (doc: WithId<D>) => R,
  toDoc: (record: R) => D,
): ModuleTransfer<R> {
  return {
    page: async (after, limit) => (await oldestFirst(collection, after, limit)).map(toRecord),
    write: async (records) => refuseClashes(collection, await insertNew(collection, records.map(toDoc))),
    count: () => collection.countDocuments({}),
  };
}

/** Which of `ids` the collection holds: one read. */
async function heldIds<D extends { _id: string }>(collection: Collection<D>, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const held = await collection.find({ _id: { $in: [...ids] } } as Filter<D>, { projection: { _id: 1 } }).toArray();
  return new Set(held.map((d) => d._id));
}

/**
 * Inserts every document (insertEach); one whose `_id` the collection already holds is left as
 * it is. Returns the ids refused although not held, i.e. that clash with another document on a
 * unique key (a username, a follow pair, a daily slot, a slug).
 */
async function insertNew<D extends { _id: string }>(collection: Collection<D>, docs: readonly D[]): Promise<string[]> {
  const inserted = await insertEach(collection, docs as OptionalUnlessRequiredId<D>[]);
  const refused = docs.filter((_, i) => !inserted[i]).map((d) => d._id);
  if (refused.length === 0) return [];
  const held = await heldIds(collection, refused);
  return refused.filter((id) => !held.has(id));
}

/** Fails naming the records `insertNew` found clashing, after every other record was written. */
function refuseClashes(collection: { collectionName: string }, ids: readonly string[]): void {
  if (ids.length > 0) {
    throw new Error(`${collection.collectionName}: ${ids.join(', ')} not written: another record holds one of its unique keys`);
  }
}

/**
 * The `_id` of the `n`-th view of an article, as ArticleViews writes it (article-views.ts):
 * an article's view count is its highest n, so one document stands for all its views.
 */
function viewKey(articleId: string, n: number): string {
  return `${articleId}:${String(n).padStart(12, '0')}`;
}

/** Each article's view count (its highest view number) over the views of `blogIds`, in one read. */
async function viewCounts(views: Collection<ArticleViewDoc>, blogIds: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const { _id } of views.find({ blog_id: { $in: [...blogIds] } }, { projection: { _id: 1 } })) {
    const cut = _id.lastIndexOf(':');
    const articleId = _id.slice(0, cut);
    counts.set(articleId, Math.max(counts.get(articleId) ?? 0, Number(_id.slice(cut + 1))));
  }
  return counts;
}

/** A creation slower than this gives up before its commit point (as blog-commit.ts does). */
const COMMIT_DEADLINE_MS = ABANDONED_AFTER_MS / 2;

/** Blogs, their articles and their view counts, all or nothing per blog without transactions. */
class BlogTransfer implements ModuleTransfer<TransferRecords['blogs']> {
  private readonly c: BlogCollections;
  private readonly views: Collection<ArticleViewDoc>;

  constructor(db: Db) {
    this.c = {
      blogs: db.collection<BlogDoc>('blogs'),
      articles: db.collection<ArticleDoc>('articles'),
      intents: db.collection<BlogIntentDoc>('blog_intents'),
    };
    this.views = db.collection<ArticleViewDoc>('article_views');
  }

  /** Three reads a page: the blogs, then all their articles and all their views. */
  async page(after: string | null, limit: number): Promise<Array<TransferRecords['blogs']>> {
    const blogs = await oldestFirst(this.c.blogs, after, limit);
    if (blogs.length === 0) return [];
    const ids = blogs.map((b) => b._id);
    const [articles, views] = await Promise.all([
      this.c.articles.find({ blog_id: { $in: ids } }).sort({ _id: 1 }).toArray(),
      viewCounts(this.views, ids),
    ]);
    const byBlog = new Map<string, Article[]>(ids.map((id) => [id, []]));
    for (const a of articles) byBlog.get(a.blog_id)?.push(toArticle(a, views.get(a._id) ?? 0));
    return blogs.map((b) => ({ blog: toBlog(b), articles: byBlog.get(b._id) ?? [] }));
  }

  /**
   * The store's all-or-nothing creation (blog-commit.ts), for a whole batch at once: intents,
   * then the articles and one view document per viewed article (invisible while their blog is
   * missing), then the blogs (the commit point), then the intents go. A blog already held is
   * left as it is, articles and all. A blog refused (its slug is another blog's) takes its
   * articles and views with it, and the write fails naming it; a crash leaves the intents, so
   * the blog sweep removes what was not committed (or writing the batch again completes it).
   */
  async write(records: ReadonlyArray<TransferRecords['blogs']>): Promise<void> {
    const held = await heldIds(this.c.blogs, records.map((r) => r.blog.id));
    const fresh = records.filter((r) => !held.has(r.blog.id));
    if (fresh.length === 0) return;
    const ids = fresh.map((r) => r.blog.id);
    const startedAt = new Date();
    await this.c.intents.deleteMany({ _id: { $in: ids } }); // left by an interrupted write: start afresh
    await this.c.intents.insertMany(ids.map((_id) => ({ _id, started_at: startedAt })));
    const articles = fresh.flatMap((r) => r.articles);
    refuseClashes(this.c.articles, await insertNew(this.c.articles, articles.map(articleDoc)));
    const viewed = articles.filter((a) => a.viewCount > 0);
    await insertNew(this.views, viewed.map((a) => ({ _id: viewKey(a.id, a.viewCount), blog_id: a.blogId })));
    if (Date.now() - startedAt.getTime() > COMMIT_DEADLINE_MS) {
      await this.discard(ids);
      throw new Error('blogs: the batch took too long to write; nothing of it was kept');
    }
    const refused = await insertNew(this.c.blogs, fresh.map((r) => blogDoc(r.blog)));
    if (refused.length > 0) await this.discard(refused);
    await this.c.intents.deleteMany({ _id: { $in: ids } });
    refuseClashes(this.c.blogs, refused);
  }

  count(): Promise<number> {
    return this.c.blogs.countDocuments({});
  }

  /** What was written for blogs that were not committed: their articles, views and intents. */
  private async discard(blogIds: readonly string[]): Promise<void> {
    await this.c.articles.deleteMany({ blog_id: { $in: [...blogIds] } });
    await this.views.deleteMany({ blog_id: { $in: [...blogIds] } });
    await this.c.intents.deleteMany({ _id: { $in: [...blogIds] } });
  }
}
