import { randomUUID } from 'node:crypto';
import type { AnyBulkWriteOperation, Collection, Db, Filter } from 'mongodb';
import type { IdRange, QueuedJob, TimelineEntry, TimelineJob, TimelineSlice, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import type { MongoCapabilities } from './capabilities.js';
import { insertEach, insertIfAbsent } from './inserts.js';
import type { CelebrityDoc, TimelineDoc, TimelineEntryDoc, TimelineJobDoc } from './schema.js';
import { MongoJobQueue } from './timeline-jobs.js';

export interface TimelineCollections {
  timelines: Collection<TimelineDoc>;
  entries: Collection<TimelineEntryDoc>;
  celebrities: Collection<CelebrityDoc>;
  jobs: Collection<TimelineJobDoc>;
}

/** The collections of the `timelines` module. */
export function timelineCollections(db: Db): TimelineCollections {
  return {
    timelines: db.collection<TimelineDoc>('timelines'),
    entries: db.collection<TimelineEntryDoc>('timeline_entries'),
    celebrities: db.collection<CelebrityDoc>('celebrities'),
    jobs: db.collection<TimelineJobDoc>('timeline_jobs'),
  };
}

type Kind = TimelineDoc['kind'];

/** The `_id` of a reader's document of `kind` about `id` (the state document's is the reader id). */
function docId(readerId: string, kind: Exclude<Kind, 'state'>, id: string): string {
  return `${readerId}/${kind}/${id}`;
}

function entryDoc(readerId: string, entry: TimelineEntry): TimelineEntryDoc {
  return { _id: `${readerId}/${entry.postId}`, reader_id: readerId, post_id: entry.postId, author_id: entry.authorId };
}

/**
 * Knows when a timeline holds more than its cap. Where `$inc` is isolated (MongoDB) the state
 * document counts its entries, so a fan-out to 1,000 readers reads 1,000 counters, not their
 * entries. FerretDB v1 would lose concurrent `$inc`s (and with them a trim), so there the entries
 * are counted by one `$group`, which costs what any FerretDB query does: a scan in its process.
 */
interface EntryTally {
  /** After `added` (new entries per reader) went in: the readers now over `cap`. */
  added(added: ReadonlyMap<string, number>, cap: number): Promise<string[]>;
  removed(readerId: string, n: number): Promise<void>;
}

class CountedEntries implements EntryTally {
  constructor(private readonly timelines: Collection<TimelineDoc>) {}

  async added(added: ReadonlyMap<string, number>, cap: number): Promise<string[]> {
    const updates: Array<AnyBulkWriteOperation<TimelineDoc>> = [...added].map(([readerId, n]) => ({
      updateOne: { filter: { _id: readerId, kind: 'state' }, update: { $inc: { entry_count: n } } },
    }));
    await this.timelines.bulkWrite(updates, { ordered: false });
    const over = await this.timelines.find({ _id: { $in: [...added.keys()] }, entry_count: { $gt: cap } }, { projection: { _id: 1 } }).toArray();
    return over.map((d) => d._id);
  }

  async removed(readerId: string, n: number): Promise<void> {
    if (n > 0) await this.timelines.updateOne({ _id: readerId, kind: 'state' }, { $inc: { entry_count: -n } });
  }
}

class TalliedEntries implements EntryTally {
  constructor(private readonly entries: Collection<TimelineEntryDoc>) {}

  async added(added: ReadonlyMap<string, number>, cap: number): Promise<string[]> {
    const over = await this.entries
      .aggregate<{ _id: string }>([
        { $match: { reader_id: { $in: [...added.keys()] } } },
        { $group: { _id: '$reader_id', n: { $sum: 1 } } },
        { $match: { n: { $gt: cap } } },
      ])
      .toArray();
    return over.map((d) => d._id);
  }

  async removed(): Promise<void> {}
}

/** A reader's timeline as its documents (other than entries) tell it. */
interface Held {
  token: string;
  openedAt: Date;
  ready: boolean;
  floor: string | null;
  celebrities: string[];
}

/** The timelines `docs` describe, by reader: only those with a state document exist. */
function heldTimelines(docs: readonly TimelineDoc[]): Map<string, Held> {
  const held = new Map<string, Held>();
  for (const d of docs) {
    if (d.kind === 'state') held.set(d.reader_id, { token: d.token, openedAt: d.opened_at, ready: false, floor: null, celebrities: [] });
  }
  for (const d of docs) {
    const t = held.get(d.reader_id);
    if (!t) continue;
    if (d.kind === 'ready' && d.token === t.token) t.ready = true;
    if (d.kind === 'floor' && (t.floor === null || d.post_id > t.floor)) t.floor = d.post_id;
    if (d.kind === 'celebrity') t.celebrities.push(d.author_id);
  }
  return held;
}

/**
 * Home timelines, the celebrity registry and the job queue (timeline-jobs.ts), with no
 * transactions and, on FerretDB v1, no updates (see chain.ts: they are neither isolated nor safe
 * in numbers there): every decision racing writers must agree on is an insert under a unique
 * `_id` or a delete, which FerretDB makes atomically.
 *
 * - A timeline is its state document (`_id` = reader id: opening is one insert), a ready mark for
 *   the build that filled it, its entries (`_id` `<reader>/<post>`: adding one twice is one insert
 *   refused), its celebrities, and its floor candidates: the floor is the highest, so raising it
 *   is an insert and it never goes down, whatever the order of racing trims.
 * - Trimming reads the (cap + 1)-th newest entry, inserts it as a floor candidate, then deletes
 *   every entry at or below it. An entry is added only above the floor read before its insert;
 *   one a racing trim passes lies at or below the floor, which `read` never answers and the next
 *   trim deletes. Every writer checks the cap after its own insert, so the last of racing
 *   fan-outs sees every entry and trims to exactly `cap`, with the right floor.
 *
 * A write racing `drop` may leave an entry or a floor behind; the reader's next `open` clears them.
 */
export class MongoTimelineStore implements TimelineStore {
  private readonly queue: MongoJobQueue;
  private readonly counted: EntryTally;
  private readonly tallied: EntryTally;

  constructor(
    private readonly c: TimelineCollections,
    private readonly capabilities: () => Promise<MongoCapabilities>,
  ) {
    this.queue = new MongoJobQueue(c.jobs);
    this.counted = new CountedEntries(c.timelines);
    this.tallied = new TalliedEntries(c.entries);
  }

  /** Two queries sent together (one round trip): the reader's documents, and its page of entries. */
  async read(readerId: string, range: IdRange, limit: number): Promise<TimelineSlice | null> {
    const postId: { $gte?: string; $lt?: string } = {};
    if (range.idFrom) postId.$gte = range.idFrom;
    if (range.idBefore) postId.$lt = range.idBefore;
    const filter: Filter<TimelineEntryDoc> = range.idFrom || range.idBefore ? { reader_id: readerId, post_id: postId } : { reader_id: readerId };
    const [held, entries] = await Promise.all([
      this.timelinesOf([readerId]),
      // A limit of 0 would mean none to the server.
      limit > 0 ? this.c.entries.find(filter, { projection: { _id: 0, post_id: 1 } }).sort({ post_id: -1 }).limit(limit).toArray() : [],
    ]);
    const timeline = held.get(readerId);
    if (!timeline) return null;
    const { ready, floor } = timeline;
    // Entries a racing trim passed lie below every other: leaving them out leaves the newest above the floor.
    const postIds = entries.map((e) => e.post_id).filter((id) => floor === null || id > floor);
    return { ready, floor, celebrities: timeline.celebrities.sort(), postIds };
  }

  /**
   * A new timeline is one insert. Taking over a stale build inserts `<reader>/build/<token>` for
   * the build it read, which admits one taker; the old state goes, what the build left is
   * cleared, and a new state is inserted (refused if another open made one meanwhile).
   */
  async open(readerId: string, now: Date, staleBefore: Date): Promise<boolean> {
    for (;;) {
      if (await this.insertState(readerId, now)) {
        await this.clear(readerId);
        return true;
      }
      const held = (await this.timelinesOf([readerId])).get(readerId);
      if (!held) continue; // dropped meanwhile: open it anew
      if (held.ready || held.openedAt.getTime() >= staleBefore.getTime()) return false;
      if (!(await insertIfAbsent(this.c.timelines, { _id: docId(readerId, 'build', held.token), reader_id: readerId, kind: 'build' }))) return false;
      await this.c.timelines.deleteOne({ _id: readerId });
      await this.clear(readerId);
      return this.insertState(readerId, now);
    }
  }

  async fill(readerId: string, entries: readonly TimelineEntry[], floor: string | null, celebrities: readonly string[], cap: number): Promise<void> {
    const held = (await this.timelinesOf([readerId])).get(readerId);
    if (!held) return; // dropped while it was being built
    const raised = floor !== null && (held.floor === null || floor > held.floor) ? await this.raiseFloor(readerId, floor) : held.floor;
    await this.c.timelines.deleteMany({ reader_id: readerId, kind: 'celebrity', author_id: { $nin: [...celebrities] } });
    await insertEach(this.c.timelines, celebrities.map((authorId) => celebrityDoc(readerId, authorId)));
    await this.add(new Map([[readerId, raised]]), entries, cap);
    await insertIfAbsent(this.c.timelines, { _id: docId(readerId, 'ready', held.token), reader_id: readerId, kind: 'ready', token: held.token });
  }

  async fanOut(entry: TimelineEntry, readerIds: readonly string[], cap: number): Promise<void> {
    if (readerIds.length === 0) return;
    await this.add(await this.floors(readerIds), [entry], cap);
  }

  async backfill(readerId: string, entries: readonly TimelineEntry[], cap: number): Promise<void> {
    if (entries.length === 0) return;
    await this.add(await this.floors([readerId]), entries, cap);
  }

  async removeAuthor(readerId: string, authorId: string): Promise<void> {
    const { deletedCount } = await this.c.entries.deleteMany({ reader_id: readerId, author_id: authorId });
    await (await this.tally()).removed(readerId, deletedCount);
  }

  async setCelebrity(readerId: string, authorId: string, celebrity: boolean): Promise<void> {
    if (!celebrity) {
      await this.c.timelines.deleteOne({ _id: docId(readerId, 'celebrity', authorId) });
      return;
    }
    if ((await this.c.timelines.countDocuments({ _id: readerId }, { limit: 1 })) === 0) return;
    await insertIfAbsent(this.c.timelines, celebrityDoc(readerId, authorId));
  }

  /** The state first, so writes stop finding the timeline; then the rest. */
  async drop(readerId: string): Promise<void> {
    await this.c.timelines.deleteOne({ _id: readerId });
    await this.c.timelines.deleteMany({ reader_id: readerId });
    await this.c.entries.deleteMany({ reader_id: readerId });
  }

  async isCelebrity(authorId: string): Promise<boolean> {
    return (await this.c.celebrities.countDocuments({ _id: authorId }, { limit: 1 })) > 0;
  }

  async celebrities(): Promise<string[]> {
    return (await this.c.celebrities.find({}).toArray()).map((d) => d._id);
  }

  async markCelebrity(authorId: string, celebrity: boolean): Promise<void> {
    if (celebrity) await insertIfAbsent(this.c.celebrities, { _id: authorId });
    else await this.c.celebrities.deleteOne({ _id: authorId });
  }

  enqueue(job: TimelineJob, runAt: Date): Promise<string> {
    return this.queue.enqueue(job, runAt);
  }

  reschedule(jobId: string, runAt: Date): Promise<void> {
    return this.queue.reschedule(jobId, runAt);
  }

  claim(now: Date, leaseMs: number, limit: number, ready?: readonly string[]): Promise<QueuedJob[]> {
    return this.queue.claim(now, leaseMs, limit, ready);
  }

  complete(jobIds: readonly string[]): Promise<void> {
    return this.queue.complete(jobIds);
  }

  pendingJobs(): Promise<number> {
    return this.queue.pending();
  }

  private async tally(): Promise<EntryTally> {
    return (await this.capabilities()).flags.isolatedUpdates ? this.counted : this.tallied;
  }

  private insertState(readerId: string, now: Date): Promise<boolean> {
    return insertIfAbsent(this.c.timelines, { _id: readerId, reader_id: readerId, kind: 'state', opened_at: now, token: randomUUID() });
  }

  /** The timelines of `readerIds` that exist: one query. */
  private async timelinesOf(readerIds: readonly string[]): Promise<Map<string, Held>> {
    const filter: Filter<TimelineDoc> = readerIds.length === 1 ? { reader_id: readerIds[0]! } : { reader_id: { $in: [...readerIds] } };
    return heldTimelines(await this.c.timelines.find(filter).toArray());
  }

  /** The floor of each of `readerIds` that has a timeline: one query. */
  private async floors(readerIds: readonly string[]): Promise<Map<string, string | null>> {
    const docs = await this.c.timelines.find({ reader_id: { $in: [...readerIds] }, kind: { $in: ['state', 'floor'] } }).toArray();
    return new Map([...heldTimelines(docs)].map(([readerId, t]) => [readerId, t.floor]));
  }

  /**
   * Adds `entries` to each timeline of `floors` above its floor (those it holds already are
   * refused by their `_id`): one insert; then trims each timeline that went over `cap`.
   */
  private async add(floors: ReadonlyMap<string, string | null>, entries: readonly TimelineEntry[], cap: number): Promise<void> {
    const docs = [...floors].flatMap(([readerId, floor]) => entries.filter((e) => floor === null || e.postId > floor).map((e) => entryDoc(readerId, e)));
    const inserted = await insertEach(this.c.entries, docs);
    const added = new Map<string, number>();
    docs.forEach((d, i) => {
      if (inserted[i]) added.set(d.reader_id, (added.get(d.reader_id) ?? 0) + 1);
    });
    if (added.size === 0) return;
    const over = await (await this.tally()).added(added, cap);
    await Promise.all(over.map((readerId) => this.trim(readerId, cap)));
  }

  /** Raises the floor to the (cap + 1)-th newest entry, then deletes it and every older one. */
  private async trim(readerId: string, cap: number): Promise<void> {
    const [oldest] = await this.c.entries.find({ reader_id: readerId }, { projection: { _id: 0, post_id: 1 } }).sort({ post_id: -1 }).skip(cap).limit(1).toArray();
    if (!oldest) return;
    await this.raiseFloor(readerId, oldest.post_id);
    const { deletedCount } = await this.c.entries.deleteMany({ reader_id: readerId, post_id: { $lte: oldest.post_id } });
    await (await this.tally()).removed(readerId, deletedCount);
  }

  /** Adds `postId` as a floor candidate, then deletes the lower ones (the floor, the highest, stays). */
  private async raiseFloor(readerId: string, postId: string): Promise<string> {
    await insertIfAbsent(this.c.timelines, { _id: docId(readerId, 'floor', postId), reader_id: readerId, kind: 'floor', post_id: postId });
    await this.c.timelines.deleteMany({ reader_id: readerId, kind: 'floor', post_id: { $lt: postId } });
    return postId;
  }

  /**
   * What an earlier timeline of the reader may have left: entries, floors, celebrities, ready
   * marks (not the takeovers, whose `_id`s must stay taken). The new state's entry count, where
   * kept, never counted them.
   */
  private async clear(readerId: string): Promise<void> {
    await this.c.timelines.deleteMany({ reader_id: readerId, kind: { $in: ['ready', 'floor', 'celebrity'] } });
    await this.c.entries.deleteMany({ reader_id: readerId });
  }
}

function celebrityDoc(readerId: string, authorId: string): TimelineDoc {
  return { _id: docId(readerId, 'celebrity', authorId), reader_id: readerId, kind: 'celebrity', author_id: authorId };
}
