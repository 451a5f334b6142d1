import type { Collection } from 'mongodb';
import { isDuplicateKey } from './errors.js';
import type { ArticleViewDoc } from './schema.js';

const DIGITS = 12;

/** `<article>:<n, zero-padded>`: the views of one article are one contiguous `_id` range. */
function viewKey(articleId: string, n: number): string {
  return `${articleId}:${String(n).padStart(DIGITS, '0')}`;
}

/**
 * View counts as insert-only claims: the n-th view of an article inserts `_id` viewKey(article,
 * n), which the primary index grants to exactly one reader. An `$inc` would be simpler on
 * MongoDB, but FerretDB v1 does not isolate updates (concurrent `$inc`s lose counts); an insert
 * under a unique key is atomic on both, so this one code path counts exactly everywhere.
 */
export class ArticleViews {
  constructor(private readonly views: Collection<ArticleViewDoc>) {}

  /** The highest view number claimed: one backward seek on `_id`. */
  async count(articleId: string): Promise<number> {
    const last = await this.views.findOne(
      { _id: { $gt: `${articleId}:`, $lt: `${articleId};` } },
      { projection: { _id: 1 }, sort: { _id: -1 } },
    );
    return last ? Number(last._id.slice(articleId.length + 1)) : 0;
  }

  async counts(articleIds: readonly string[]): Promise<Map<string, number>> {
    const counts = await Promise.all(articleIds.map((id) => this.count(id)));
    return new Map(articleIds.map((id, i) => [id, counts[i] ?? 0]));
  }

  /**
   * Claims the next view number of the article and returns it. A clash means another reader
   * holds n, so n + 1 is the next candidate (no gap can open): racing readers pay one insert per
   * lost round, not an insert and a count, which FerretDB answers by scanning the collection.
   */
  async record(articleId: string, blogId: string): Promise<number> {
    for (let n = (await this.count(articleId)) + 1; ; n++) {
      try {
        await this.views.insertOne({ _id: viewKey(articleId, n), blog_id: blogId });
        return n;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    }
  }

  async removeArticle(articleId: string): Promise<void> {
    await this.views.deleteMany({ _id: { $gt: `${articleId}:`, $lt: `${articleId};` } });
  }

  async removeBlog(blogId: string): Promise<void> {
    await this.views.deleteMany({ blog_id: blogId });
  }
}
