import type { AnyBulkWriteOperation, Collection, Db } from 'mongodb';
import type { MongoCapabilities } from './capabilities.js';
import { advance, backOff, newToken, versionId } from './chain.js';
import { insertIfAbsent } from './inserts.js';
import type { CounterDoc, CounterVersionDoc, FollowDoc, PostDoc } from './schema.js';

/** Each counter's key is its prefix and the id it counts for (the view pipeline joins on them too). */
export const COUNTER_PREFIX = {
  followers: 'followers:',
  following: 'following:',
  posts: 'posts:',
  reposts: 'reposts:',
  quotes: 'quotes:',
} as const;

export function counterKey(counter: keyof typeof COUNTER_PREFIX, id: string): string {
  return `${COUNTER_PREFIX[counter]}${id}`;
}

export interface CounterChange {
  key: string;
  delta: number;
}

/**
 * Counters by key (absent reads as 0), each change applied exactly once however many writers
 * change one counter at once. How they are kept depends on the server (see `counters`).
 */
export interface Counters {
  add(changes: readonly CounterChange[]): Promise<void>;
  /** The value of each of `keys`. */
  read(keys: readonly string[]): Promise<Map<string, number>>;
  /**
   * Sets every counter to `values` (any other to 0): the repair after a bulk load (seeding, a
   * transfer or an import, a migration), which runs with no other writer.
   */
  rebuild(values: ReadonlyMap<string, number>): Promise<void>;
}

function zeros(keys: readonly string[]): Map<string, number> {
  return new Map(keys.map((key) => [key, 0]));
}

/** Where an update is isolated (MongoDB): one document per counter, changed by an atomic `$inc`. */
class IncrementedCounters implements Counters {
  constructor(private readonly docs: Collection<CounterDoc>) {}

  async add(changes: readonly CounterChange[]): Promise<void> {
    const updates: Array<AnyBulkWriteOperation<CounterDoc>> = changes
      .filter((c) => c.delta !== 0)
      .map(({ key, delta }) => ({ updateOne: { filter: { _id: key }, update: { $inc: { n: delta } }, upsert: true } }));
    if (updates.length > 0) await this.docs.bulkWrite(updates, { ordered: false });
  }

  async read(keys: readonly string[]): Promise<Map<string, number>> {
    const values = zeros(keys);
    if (keys.length === 0) return values;
    for (const doc of await this.docs.find({ _id: { $in: [...values.keys()] } }).toArray()) values.set(doc._id, doc.n);
    return values;
  }

  async rebuild(values: ReadonlyMap<string, number>): Promise<void> {
    await this.docs.deleteMany({});
    const docs = [...values].filter(([, n]) => n !== 0).map(([_id, n]) => ({ _id, n }));
    if (docs.length > 0) await this.docs.insertMany(docs, { ordered: false });
  }
}

/**
 * Where updates are not isolated (FerretDB v1, see chain.ts): a counter is a chain of versions
 * `<key>#<v>` holding its value, and a change advances it. A counter without a version starts
 * from a version 0 of value 0 (one that a writer whose read predates the counter inserts again,
 * once the first was deleted, lies below the head: nobody reads it).
 */
class VersionedCounters implements Counters {
  constructor(private readonly versions: Collection<CounterVersionDoc>) {}

  async add(changes: readonly CounterChange[]): Promise<void> {
    await Promise.all(changes.filter((c) => c.delta !== 0).map((c) => this.change(c.key, c.delta)));
  }

  /** One query: every version of `keys` (one each, but for changes in flight), the highest wins. */
  async read(keys: readonly string[]): Promise<Map<string, number>> {
    const values = zeros(keys);
    const unique = [...values.keys()];
    if (unique.length === 0) return values;
    // FerretDB hands a top-level equality to its backend; `$in` it filters itself.
    const filter = unique.length === 1 ? { key: unique[0]! } : { key: { $in: unique } };
    const highest = new Map<string, number>();
    for (const doc of await this.versions.find(filter, { projection: { _id: 0, key: 1, v: 1, n: 1 } }).toArray()) {
      if (doc.v < (highest.get(doc.key) ?? -1)) continue;
      highest.set(doc.key, doc.v);
      values.set(doc.key, doc.n);
    }
    return values;
  }

  async rebuild(values: ReadonlyMap<string, number>): Promise<void> {
    await this.versions.deleteMany({});
    const roots = [...values].filter(([, n]) => n !== 0).map(([key, n]) => ({ _id: versionId(key, 0), key, v: 0, n, t: newToken() }));
    if (roots.length > 0) await this.versions.insertMany(roots, { ordered: false });
  }

  private async change(key: string, delta: number): Promise<void> {
    for (let lost = 0; ; ) {
      const head = await this.versions.findOne({ key }, { sort: { v: -1 } });
      if (!head) {
        await insertIfAbsent(this.versions, { _id: versionId(key, 0), key, v: 0, n: 0, t: newToken() });
        continue;
      }
      if (await advance(this.versions, head, { _id: versionId(key, head.v + 1), key, v: head.v + 1, n: head.n + delta })) return;
      await backOff(++lost);
    }
  }
}

/**
 * The counters in collection `name`: `$inc`ed documents where the server isolates updates,
 * version chains where it does not (its `isolatedUpdates` flag, detected on first contact).
 */
export function counters(db: Db, name: string, capabilities: () => Promise<MongoCapabilities>): Counters {
  const incremented = new IncrementedCounters(db.collection<CounterDoc>(name));
  const versioned = new VersionedCounters(db.collection<CounterVersionDoc>(name));
  const kept = async (): Promise<Counters> => ((await capabilities()).flags.isolatedUpdates ? incremented : versioned);
  return {
    add: async (changes) => (await kept()).add(changes),
    read: async (keys) => (await kept()).read(keys),
    rebuild: async (values) => (await kept()).rebuild(values),
  };
}

/** The follows module's counters: followers and following per user. */
export const FOLLOW_COUNTERS = 'follow_counters';
/** The posts module's counters: posts per author, reposts and quotes per post. */
export const POST_COUNTERS = 'post_counters';

/** How many documents hold each value of `group` (an aggregation expression): one `$group`. */
async function tally<D extends { _id: string }, K>(collection: Collection<D>, group: unknown, match: object = {}): Promise<Array<{ _id: K; n: number }>> {
  return collection.aggregate<{ _id: K; n: number }>([{ $match: match }, { $group: { _id: group, n: { $sum: 1 } } }], { allowDiskUse: true }).toArray();
}

/** Every user's followers and following counters, from the follows. */
export async function recountFollows(follows: Collection<FollowDoc>, into: Counters): Promise<void> {
  const [followers, following] = await Promise.all([tally<FollowDoc, string>(follows, '$followee_id'), tally<FollowDoc, string>(follows, '$follower_id')]);
  await into.rebuild(
    new Map([
      ...followers.map(({ _id, n }) => [counterKey('followers', _id), n] as const),
      ...following.map(({ _id, n }) => [counterKey('following', _id), n] as const),
    ]),
  );
}

/** Every author's posts counter and every post's repost and quote counters, from the posts. */
export async function recountPosts(posts: Collection<PostDoc>, into: Counters): Promise<void> {
  const [authors, references] = await Promise.all([
    tally<PostDoc, string>(posts, '$author_id'),
    tally<PostDoc, { original: string; kind: 'repost' | 'quote' }>(posts, { original: '$original_id', kind: '$kind' }, { kind: { $in: ['repost', 'quote'] } }),
  ]);
  await into.rebuild(
    new Map([
      ...authors.map(({ _id, n }) => [counterKey('posts', _id), n] as const),
      ...references.map(({ _id, n }) => [counterKey(_id.kind === 'repost' ? 'reposts' : 'quotes', _id.original), n] as const),
    ]),
  );
}
