import type { Collection, Document, Filter } from 'mongodb';
import { embeddedView, type EmbeddedPostView, type PostView } from '../../internal/domain/posts/post-views.js';
import type { MongoCapabilities } from './capabilities.js';
import { COUNTER_PREFIX, counterKey, type Counters } from './counters.js';
import { POST_FIELDS, toPost } from './records.js';
import type { PostDoc } from './schema.js';

type PostFields = Pick<PostDoc, keyof typeof POST_FIELDS>;

/** A post as the pipeline answers it: with its original and the counter documents of both. */
interface JoinedPost extends PostFields {
  original: PostFields[];
  counters: Array<{ _id: string; n: number }>;
}

/**
 * Whether the server joins: MongoDB has `$lookup`, FerretDB v1 (1.24) has not ("not implemented
 * yet"); no capability flag says so yet, the server does. The pipeline also needs each counter to
 * be one document (`isolatedUpdates`, see counters.ts), which it joins by `_id`.
 */
function joinsOnServer(capabilities: MongoCapabilities): boolean {
  return capabilities.flags.lookup && capabilities.flags.isolatedUpdates;
}

/** The repost and quote counter keys of a post, as an aggregation expression of its `_id` field. */
function counterKeysOf(idField: string): Document[] {
  return [COUNTER_PREFIX.reposts, COUNTER_PREFIX.quotes].map((prefix) => ({ $concat: [prefix, idField] }));
}

/**
 * Whole post views (the post, its author's name, its counters, its original with the same).
 * MongoDB: one aggregate, the originals and every counter joined by `$lookup`. FerretDB v1, which
 * has no `$lookup`: the posts, then their originals and all the counters together (two round trips).
 */
export class PostViewReader {
  constructor(
    private readonly posts: Collection<PostDoc>,
    private readonly counters: Counters,
    private readonly counterCollection: string,
    private readonly capabilities: () => Promise<MongoCapabilities>,
  ) {}

  /** The views of the posts `filter` selects: with `limit`, the newest `limit` of them, newest first. */
  async find(filter: Filter<PostDoc>, limit?: number): Promise<PostView[]> {
    return joinsOnServer(await this.capabilities()) ? this.joined(filter, limit) : this.inTwoSteps(filter, limit);
  }

  private async joined(filter: Filter<PostDoc>, limit: number | undefined): Promise<PostView[]> {
    const pipeline: Document[] = [{ $match: filter }];
    if (limit !== undefined) pipeline.push({ $sort: { _id: -1 } }, { $limit: limit });
    pipeline.push(
      { $project: POST_FIELDS },
      { $lookup: { from: this.posts.collectionName, localField: 'original_id', foreignField: '_id', as: 'original' } },
      // A null original_id makes null keys, which no counter has.
      { $addFields: { counter_keys: [...counterKeysOf('$_id'), ...counterKeysOf('$original_id')] } },
      { $lookup: { from: this.counterCollection, localField: 'counter_keys', foreignField: '_id', as: 'counters' } },
      { $unset: ['counter_keys', 'original.search_text', 'original.slot_key', 'original.repost_key'] },
    );
    const docs = await this.posts.aggregate<JoinedPost>(pipeline).toArray();
    return docs.map((doc) => {
      const counts = new Map(doc.counters.map((c) => [c._id, c.n]));
      return viewOf(doc, doc.original[0] ?? null, counts);
    });
  }

  private async inTwoSteps(filter: Filter<PostDoc>, limit: number | undefined): Promise<PostView[]> {
    let found = this.posts.find(filter, { projection: POST_FIELDS });
    if (limit !== undefined) found = found.sort({ _id: -1 }).limit(limit);
    const docs: PostFields[] = await found.toArray();
    if (docs.length === 0) return [];
    const known = new Map(docs.map((d) => [d._id, d]));
    const originalIds = [...new Set(docs.flatMap((d) => (d.original_id ? [d.original_id] : [])))];
    const missing = originalIds.filter((id) => !known.has(id));
    const ids = [...known.keys(), ...missing];
    const [originals, counts] = await Promise.all([
      missing.length > 0 ? this.posts.find({ _id: { $in: missing } }, { projection: POST_FIELDS }).toArray() : [],
      this.counters.read(ids.flatMap((id) => [counterKey('reposts', id), counterKey('quotes', id)])),
    ]);
    for (const original of originals) known.set(original._id, original);
    return docs.map((doc) => viewOf(doc, (doc.original_id && known.get(doc.original_id)) || null, counts));
  }
}

function embedded(doc: PostFields, counts: ReadonlyMap<string, number>): EmbeddedPostView {
  return embeddedView(toPost(doc), counts.get(counterKey('reposts', doc._id)) ?? 0, counts.get(counterKey('quotes', doc._id)) ?? 0);
}

function viewOf(doc: PostFields, original: PostFields | null, counts: ReadonlyMap<string, number>): PostView {
  return { ...embedded(doc, counts), original: original && embedded(original, counts) };
}
