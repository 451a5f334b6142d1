import type { Collection, Filter } from 'mongodb';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository, ReferenceCounts } from '../../internal/domain/posts/post-repository.js';
import type { Page, PageRequest } from '../../internal/domain/shared/page.js';
import { isDuplicateKey } from './errors.js';
import { keysetPage } from './keyset.js';
import { POST_FIELDS, postDoc, toPost } from './records.js';
import type { PostDoc } from './schema.js';

/** `text` as a regular expression matching itself literally. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function smallest(...ids: Array<string | undefined>): string | undefined {
  return ids.filter((id): id is string => id !== undefined).sort()[0];
}

export class MongoPostRepository implements PostRepository {
  constructor(private readonly posts: Collection<PostDoc>) {}

  /**
   * One read finds the slots already taken (and an earlier repost); then each free slot is tried
   * with one insert, which the unique slot_key index decides atomically, so racing writers never
   * share a slot and no transaction is needed.
   */
  async createInDailySlot(post: Post, slotKeys: readonly string[], repostKey: string): Promise<boolean> {
    const taken = await this.posts
      .find({ $or: [{ slot_key: { $in: [...slotKeys] } }, { repost_key: repostKey }] }, { projection: { _id: 0, slot_key: 1, repost_key: 1 } })
      .toArray();
    if (taken.some((d) => d.repost_key === repostKey)) throw new AlreadyRepostedError();
    const takenSlots = new Set(taken.map((d) => d.slot_key));
    for (const slotKey of slotKeys.filter((k) => !takenSlots.has(k))) {
      try {
        await this.posts.insertOne(postDoc(post, slotKey, repostKey));
        return true;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // A racing writer took this slot, or reposted the same post first: the lookup says which.
        if ((await this.posts.countDocuments({ repost_key: repostKey }, { limit: 1 })) > 0) throw new AlreadyRepostedError();
      }
    }
    return false;
  }

  async findById(id: string): Promise<Post | null> {
    const doc = await this.posts.findOne({ _id: id }, { projection: POST_FIELDS });
    return doc ? toPost(doc) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<Post[]> {
    if (ids.length === 0) return [];
    const docs = await this.posts.find({ _id: { $in: [...ids] } }, { projection: POST_FIELDS }).toArray();
    return docs.map(toPost);
  }

  /** The filter's upper id bound and the cursor are one bound, the smaller. */
  async page(filter: PostFilter, request: PageRequest): Promise<Page<Post>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    const query: Filter<PostDoc> = {};
    if (filter.authorIds) query.author_id = { $in: [...filter.authorIds] };
    if (filter.idFrom) query._id = { $gte: filter.idFrom };
    if (filter.text) query.search_text = { $regex: literalPattern(searchKey(filter.text)) };
    const before = smallest(filter.idBefore, request.before);
    return keysetPage(this.posts, query, { limit: request.limit, ...(before ? { before } : {}) }, toPost, { projection: POST_FIELDS });
  }

  /** An index-only count on posts_by_author. */
  countByAuthor(authorId: string): Promise<number> {
    return this.posts.countDocuments({ author_id: authorId });
  }

  async referenceCounts(ids: readonly string[]): Promise<Map<string, ReferenceCounts>> {
    const counts = new Map<string, ReferenceCounts>();
    if (ids.length === 0) return counts;
    const groups = await this.posts
      .aggregate<{ _id: { original: string; kind: string }; n: number }>([
        { $match: { original_id: { $in: [...ids] }, kind: { $in: ['repost', 'quote'] } } },
        { $group: { _id: { original: '$original_id', kind: '$kind' }, n: { $sum: 1 } } },
      ])
      .toArray();
    for (const { _id, n } of groups) {
      const entry = counts.get(_id.original) ?? { reposts: 0, quotes: 0 };
      if (_id.kind === 'repost') entry.reposts = n;
      else entry.quotes = n;
      counts.set(_id.original, entry);
    }
    return counts;
  }
}
