import type { Collection, Filter } from 'mongodb';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { searchKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostFilter, PostRepository } from '../../internal/domain/posts/post-repository.js';
import type { PostView } from '../../internal/domain/posts/post-views.js';
import { toPage, type Page, type PageRequest } from '../../internal/domain/shared/page.js';
import { counterKey, type CounterChange, type Counters } from './counters.js';
import { isDuplicateKey } from './errors.js';
import { olderThan } from './keyset.js';
import type { PostViewReader } from './post-views.js';
import { postDoc } from './records.js';
import type { PostDoc } from './schema.js';

/** `text` as a regular expression matching itself literally. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function smallest(...ids: Array<string | undefined>): string | undefined {
  return ids.filter((id): id is string => id !== undefined).sort()[0];
}

/** What storing `post` adds to the counters: its author's posts, and its original's reposts or quotes. */
function counterChanges(post: Post): CounterChange[] {
  const changes = [{ key: counterKey('posts', post.authorId), delta: 1 }];
  if (post.originalId) changes.push({ key: counterKey(post.kind === 'repost' ? 'reposts' : 'quotes', post.originalId), delta: 1 });
  return changes;
}

/**
 * The post and its counters are separate writes (no transactions here): the counters change only
 * after the post was stored. A process that dies between the two leaves them short by one until
 * the next repair (BulkSeeder.finish, ModuleTransfer.finish).
 */
export class MongoPostRepository implements PostRepository {
  constructor(
    private readonly posts: Collection<PostDoc>,
    private readonly counters: Counters,
    private readonly views: PostViewReader,
  ) {}

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
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // A racing writer took this slot, or reposted the same post first: the lookup says which.
        if ((await this.posts.countDocuments({ repost_key: repostKey }, { limit: 1 })) > 0) throw new AlreadyRepostedError();
        continue;
      }
      await this.counters.add(counterChanges(post));
      return true;
    }
    return false;
  }

  async findById(id: string): Promise<PostView | null> {
    const [view] = await this.views.find({ _id: id });
    return view ?? null;
  }

  async findManyByIds(ids: readonly string[]): Promise<PostView[]> {
    if (ids.length === 0) return [];
    return this.views.find({ _id: { $in: [...ids] } });
  }

  /** The filter's upper id bound and the cursor are one bound, the smaller. */
  async page(filter: PostFilter, request: PageRequest): Promise<Page<PostView>> {
    if (filter.authorIds?.length === 0) return { items: [], next: null };
    const query: Filter<PostDoc> = {};
    if (filter.authorIds) query.author_id = { $in: [...filter.authorIds] };
    if (filter.idFrom) query._id = { $gte: filter.idFrom };
    if (filter.text) query.search_text = { $regex: literalPattern(searchKey(filter.text)) };
    const views = await this.views.find(olderThan(query, smallest(filter.idBefore, request.before)), request.limit + 1);
    return toPage(views, request.limit, (v) => v.post.id);
  }

  async countByAuthor(authorId: string): Promise<number> {
    const key = counterKey('posts', authorId);
    return (await this.counters.read([key])).get(key) ?? 0;
  }
}
