import type { Collection } from 'mongodb';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import { SlugTakenError } from '../../internal/domain/blogs/errors.js';
import { isDuplicateKey } from './errors.js';
import { articleDoc, blogDoc } from './records.js';
import type { ArticleDoc, BlogDoc, BlogIntentDoc } from './schema.js';

/** An intent older than this belongs to a creation that crashed, and is swept. */
export const ABANDONED_AFTER_MS = 60 * 60_000;
/** A creation slower than this gives up before its commit point, so a sweep never races it. */
const COMMIT_DEADLINE_MS = ABANDONED_AFTER_MS / 2;

export interface BlogCollections {
  blogs: Collection<BlogDoc>;
  articles: Collection<ArticleDoc>;
  intents: Collection<BlogIntentDoc>;
}

async function slugHeldByOther(blogs: Collection<BlogDoc>, blog: Blog): Promise<boolean> {
  return (await blogs.countDocuments({ slug: blog.slug, _id: { $ne: blog.id } }, { limit: 1 })) > 0;
}

/** Removes whatever a creation of `blogId` wrote: the blog first (which hides the rest). */
async function undo(c: BlogCollections, blogId: string): Promise<void> {
  await c.blogs.deleteOne({ _id: blogId });
  await c.articles.deleteMany({ blog_id: blogId });
  await c.intents.deleteOne({ _id: blogId });
}

/**
 * A blog and its first articles, all or nothing, with inserts and deletes only (no
 * multi-document transaction, and no update, which FerretDB v1 does not isolate):
 *  0. an intent `{_id: blog id, started_at}` is recorded;
 *  1. the articles are inserted; no read shows them, as their blog does not exist yet;
 *  2. the blog is inserted: the commit point, where the unique slug index may refuse it;
 *  3. the intent is deleted.
 * A failure in 1 or 2 undoes everything (the blog too, in case its insert landed unacknowledged).
 * A crash leaves the intent, and sweepAbandonedCreations finishes the job an hour later.
 */
export async function commitBlogWithArticles(c: BlogCollections, blog: Blog, list: readonly Article[]): Promise<void> {
  if (await slugHeldByOther(c.blogs, blog)) throw new SlugTakenError(blog.slug);
  const startedAt = new Date();
  await c.intents.insertOne({ _id: blog.id, started_at: startedAt });
  try {
    if (list.length > 0) await c.articles.insertMany(list.map(articleDoc), { ordered: true });
    if (Date.now() - startedAt.getTime() > COMMIT_DEADLINE_MS) throw new Error('blog creation took too long; nothing was kept');
    await c.blogs.insertOne(blogDoc(blog));
  } catch (err) {
    await undo(c, blog.id);
    if (isDuplicateKey(err) && (await slugHeldByOther(c.blogs, blog))) throw new SlugTakenError(blog.slug);
    throw err;
  }
  // Committed: a failure here only leaves the intent, which the sweep removes.
  await c.intents.deleteOne({ _id: blog.id }).catch(() => undefined);
}

/**
 * Finishes creations that crashed: an old intent whose blog exists was committed (only the
 * intent goes); one whose blog does not was not (its articles go). Returns the blogs undone.
 */
export async function sweepAbandonedCreations(c: BlogCollections, now = Date.now()): Promise<number> {
  const stale = await c.intents.find({ started_at: { $lt: new Date(now - ABANDONED_AFTER_MS) } }).toArray();
  let undone = 0;
  for (const { _id: blogId } of stale) {
    if ((await c.blogs.countDocuments({ _id: blogId }, { limit: 1 })) > 0) {
      await c.intents.deleteOne({ _id: blogId });
    } else {
      await undo(c, blogId);
      undone++;
    }
  }
  return undone;
}
