import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type { StoreKind } from '../../internal/app/config.js';
import { descriptorOf } from '../../internal/app/registry.js';
import type { TimelineEntry, TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import { newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

const HOUR = 3_600_000;

/** `n` entries by `authorId`, oldest first, one millisecond apart from `start`. */
function entries(authorId: string, n: number, start = Date.now() - HOUR): TimelineEntry[] {
  return Array.from({ length: n }, (_, i) => ({ postId: newId(new Date(start + i)), authorId }));
}

/** Whether suites running beside this one share its database (Neo4j Community). */
function sharedDatabase(kind: StoreKind): boolean {
  return descriptorOf(kind).testing.database(inject('servers')[kind]?.env ?? {}, 'agora_probe').shared === true;
}

const newestFirst = (list: readonly TimelineEntry[]) => list.map((e) => e.postId).sort().reverse();

/** `port`: the TimelineStore under test, of the opened store (its plain port unless told). */
export function timelineStoreContract(open: () => Promise<TestStore>, port: (store: TestStore['store']) => TimelineStore = (s) => s.ports.timelines()): void {
  let t: TestStore;
  let timelines: TimelineStore;
  beforeAll(async () => {
    t = await open();
    timelines = port(t.store);
  });
  afterAll(() => t?.close());

  /** A ready timeline for a new reader, filled with `list`. */
  async function readyTimeline(list: readonly TimelineEntry[] = [], floor: string | null = null, celebrities: string[] = [], cap = 800) {
    const reader = newId();
    expect(await timelines.open(reader, new Date(), new Date(Date.now() - 60_000))).toBe(true);
    await timelines.fill(reader, list, floor, celebrities, cap);
    return reader;
  }

  it('answers null for a reader without a timeline, and writes to such a reader do nothing', async () => {
    const reader = newId();
    expect(await timelines.read(reader, {}, 10)).toBeNull();
    const [entry] = entries(newId(), 1);
    await timelines.fanOut(entry!, [reader], 800);
    await timelines.backfill(reader, [entry!], 800);
    await timelines.removeAuthor(reader, entry!.authorId);
    await timelines.setCelebrity(reader, newId(), true);
    await timelines.drop(reader);
    expect(await timelines.read(reader, {}, 10)).toBeNull();
  });

  it('opens a timeline once: it is not ready until filled, and a second open is refused until the build goes stale', async () => {
    const reader = newId();
    const now = new Date();
    expect(await timelines.open(reader, now, new Date(now.getTime() - 60_000))).toBe(true);
    expect(await timelines.open(reader, now, new Date(now.getTime() - 60_000))).toBe(false);
    expect(await timelines.read(reader, {}, 10)).toEqual({ ready: false, floor: null, celebrities: [], postIds: [] });
    // A build that started before `staleBefore` is taken over.
    expect(await timelines.open(reader, new Date(now.getTime() + 120_000), new Date(now.getTime() + 60_000))).toBe(true);
    await timelines.fill(reader, [], null, [], 800);
    expect((await timelines.read(reader, {}, 10))?.ready).toBe(true);
    expect(await timelines.open(reader, new Date(now.getTime() + 999_999), new Date(now.getTime() + 999_000))).toBe(false);
  });

  it('reads entries newest first within id bounds, up to the limit', async () => {
    const author = newId();
    const list = entries(author, 12);
    const reader = await readyTimeline(list);
    const all = newestFirst(list);
    expect(await timelines.read(reader, {}, 100)).toEqual({ ready: true, floor: null, celebrities: [], postIds: all });
    expect((await timelines.read(reader, {}, 5))?.postIds).toEqual(all.slice(0, 5));
    expect((await timelines.read(reader, { idBefore: all[4] }, 3))?.postIds).toEqual(all.slice(5, 8));
    expect((await timelines.read(reader, { idFrom: all[9], idBefore: all[2] }, 100))?.postIds).toEqual(all.slice(3, 10));
    expect((await timelines.read(reader, {}, 0))?.postIds).toEqual([]);
  });

  it('fans out to the readers that have a timeline (ready or being built), idempotently', async () => {
    const author = newId();
    const ready = await readyTimeline();
    const building = newId();
    await timelines.open(building, new Date(), new Date(0));
    const absent = newId();
    const [entry] = entries(author, 1);
    await timelines.fanOut(entry!, [ready, building, absent], 800);
    await timelines.fanOut(entry!, [ready, building, absent], 800);
    expect((await timelines.read(ready, {}, 10))?.postIds).toEqual([entry!.postId]);
    expect((await timelines.read(building, {}, 10))?.postIds).toEqual([entry!.postId]);
    expect(await timelines.read(absent, {}, 10)).toBeNull();
    // A build's fill keeps what fan-out added meanwhile.
    const [older] = entries(author, 1, Date.now() - 2 * HOUR);
    await timelines.fill(building, [older!], null, [], 800);
    expect((await timelines.read(building, {}, 10))?.postIds).toEqual([entry!.postId, older!.postId]);
  });

  it('trims to the cap, oldest first, and raises the floor to the newest entry trimmed', async () => {
    const author = newId();
    const list = entries(author, 8);
    const all = newestFirst(list);
    const reader = await readyTimeline(list.slice(0, 6), null, [], 5);
    // Filled with 6, capped at 5: the oldest goes and becomes the floor.
    expect(await timelines.read(reader, {}, 100)).toEqual({ ready: true, floor: all[7], celebrities: [], postIds: all.slice(2, 7) });
    await timelines.fanOut(list[6]!, [reader], 5);
    await timelines.fanOut(list[7]!, [reader], 5);
    expect(await timelines.read(reader, {}, 100)).toEqual({ ready: true, floor: all[5], celebrities: [], postIds: all.slice(0, 5) });
    // An entry at or below the floor is not added: the timeline holds nothing down there.
    await timelines.backfill(reader, [list[0]!, list[2]!], 5);
    expect((await timelines.read(reader, {}, 100))?.postIds).toEqual(all.slice(0, 5));
  });

  it('fills with the floor and celebrities it is given', async () => {
    const celebrity = newId();
    const list = entries(newId(), 3);
    const floor = newId(new Date(Date.now() - 3 * HOUR));
    const reader = await readyTimeline(list, floor, [celebrity], 800);
    expect(await timelines.read(reader, {}, 10)).toEqual({ ready: true, floor, celebrities: [celebrity], postIds: newestFirst(list) });
  });

  it('backfills a followee and removes an author, leaving the others', async () => {
    const [a, b] = [newId(), newId()];
    const ofA = entries(a, 4);
    const ofB = entries(b, 3, Date.now() - HOUR + 100);
    const reader = await readyTimeline(ofA);
    await timelines.backfill(reader, ofB, 800);
    await timelines.backfill(reader, ofB, 800);
    expect((await timelines.read(reader, {}, 100))?.postIds).toEqual(newestFirst([...ofA, ...ofB]));
    await timelines.removeAuthor(reader, a);
    await timelines.removeAuthor(reader, a);
    expect((await timelines.read(reader, {}, 100))?.postIds).toEqual(newestFirst(ofB));
  });

  it('keeps each reader a set of celebrities', async () => {
    const [c1, c2] = [newId(), newId()];
    const reader = await readyTimeline();
    await timelines.setCelebrity(reader, c1, true);
    await timelines.setCelebrity(reader, c1, true);
    await timelines.setCelebrity(reader, c2, true);
    expect((await timelines.read(reader, {}, 10))?.celebrities.sort()).toEqual([c1, c2].sort());
    await timelines.setCelebrity(reader, c1, false);
    await timelines.setCelebrity(reader, c1, false);
    expect((await timelines.read(reader, {}, 10))?.celebrities).toEqual([c2]);
  });

  it('drops a timeline', async () => {
    const reader = await readyTimeline(entries(newId(), 2));
    await timelines.drop(reader);
    expect(await timelines.read(reader, {}, 10)).toBeNull();
    expect(await timelines.open(reader, new Date(), new Date(0))).toBe(true);
  });

  it('keeps a registry of celebrities', async () => {
    const [c1, c2] = [newId(), newId()];
    await timelines.markCelebrity(c1, true);
    await timelines.markCelebrity(c1, true);
    await timelines.markCelebrity(c2, true);
    expect(await timelines.isCelebrity(c1)).toBe(true);
    expect(await timelines.celebrities()).toEqual(expect.arrayContaining([c1, c2]));
    await timelines.markCelebrity(c1, false);
    expect(await timelines.isCelebrity(c1)).toBe(false);
    expect(await timelines.celebrities()).not.toContain(c1);
  });

  it('keeps up under parallel fan-outs to one reader: every entry lands, the cap holds', async () => {
    const author = newId();
    const list = entries(author, 40);
    const reader = await readyTimeline([], null, [], 30);
    await Promise.all(list.map((e) => timelines.fanOut(e, [reader], 30)));
    const slice = await timelines.read(reader, {}, 100);
    expect(slice?.postIds).toEqual(newestFirst(list).slice(0, 30));
    expect(slice?.floor).toBe(newestFirst(list)[30]);
  });

  it('queues jobs durably: due ones are claimed once, oldest due first, until their lease ends', async () => {
    const now = new Date(Date.now() + 1000 * HOUR); // far from any other test's jobs
    const later = new Date(now.getTime() + 60_000);
    const post = { kind: 'post' as const, postId: newId(), authorId: newId() };
    const follow = { kind: 'follow' as const, followerId: newId(), followeeId: newId() };
    const first = await timelines.enqueue(post, new Date(now.getTime() - 2_000));
    const second = await timelines.enqueue(follow, new Date(now.getTime() - 1_000));
    const notYet = await timelines.enqueue(post, later);
    expect(new Set([first, second, notYet]).size).toBe(3);

    const claimed = await timelines.claim(now, 30_000, 100);
    const mine = claimed.filter((j) => [first, second, notYet].includes(j.id));
    expect(mine.map((j) => j.id)).toEqual([first, second]);
    expect(mine.map((j) => j.job)).toEqual([post, follow]);
    expect(mine.every((j) => j.attempts === 0 && j.enqueuedAt instanceof Date)).toBe(true);
    // Leased: not claimed again until the lease ends, then claimed with one more attempt.
    expect((await timelines.claim(now, 30_000, 100)).filter((j) => j.id === first)).toEqual([]);
    const afterLease = await timelines.claim(new Date(now.getTime() + 31_000), 30_000, 100);
    expect(afterLease.find((j) => j.id === first)?.attempts).toBe(1);

    await timelines.complete([first]);
    await timelines.complete([first]);
    await timelines.reschedule(second, new Date(now.getTime() + 40_000));
    const rescheduled = await timelines.claim(new Date(now.getTime() + 41_000), 30_000, 100);
    expect(rescheduled.map((j) => j.id).filter((id) => [first, second].includes(id))).toEqual([second]);
    expect(await timelines.pendingJobs()).toBeGreaterThanOrEqual(2);
    await timelines.complete([second, notYet]);
  });

  // Claims below fill their limit with ready jobs of their own wherever they can: a claim of due
  // jobs far in the future would also lease those of the suites sharing a database (Neo4j).
  it('claims a ready job before its due time, but only one never claimed before', async () => {
    const now = new Date(Date.now() + 3000 * HOUR);
    const job = { kind: 'post' as const, postId: newId(), authorId: newId() };
    const due = new Date(now.getTime() + 60_000);
    const ready = await timelines.enqueue(job, due);
    const [witness1, witness2] = [await timelines.enqueue(job, due), await timelines.enqueue(job, due)];

    expect(await timelines.claim(now, 30_000, 1, [ready])).toEqual([{ id: ready, job, enqueuedAt: expect.any(Date), attempts: 0 }]);
    // Claimed once: under its lease, then retried later, it waits for its due time though named
    // ready (the claim takes the next ready job instead).
    expect((await timelines.claim(new Date(now.getTime() + 1_000), 30_000, 1, [ready, witness1])).map((j) => j.id)).toEqual([witness1]);
    await timelines.reschedule(ready, new Date(now.getTime() + 120_000));
    expect((await timelines.claim(new Date(now.getTime() + 40_000), 30_000, 1, [ready, witness2])).map((j) => j.id)).toEqual([witness2]);
    await timelines.complete([ready, witness1, witness2]);
  });

  it('claims ready jobs first, counting them towards the limit, and ignores ready ids of no queued job', async () => {
    const now = new Date(Date.now() + 4000 * HOUR);
    const post = () => ({ kind: 'post' as const, postId: newId(), authorId: newId() });
    const due = await timelines.enqueue(post(), new Date(now.getTime() - 1_000));
    const a = await timelines.enqueue(post(), new Date(now.getTime() + 30_000));
    const b = await timelines.enqueue(post(), new Date(now.getTime() + 30_001));
    const c = await timelines.enqueue(post(), new Date(now.getTime() + 30_002));
    const gone = await timelines.enqueue(post(), new Date(now.getTime() + 30_000));
    await timelines.complete([gone]);
    const nothing = [gone, newId(), ...MALFORMED_IDS];

    // Oldest due first, and the due job (older still) left out: the limit is theirs.
    expect((await timelines.claim(now, 30_000, 2, [b, ...nothing, a])).map((j) => j.id)).toEqual([a, b]);
    expect((await timelines.claim(now, 30_000, 1, [...nothing, a, c])).map((j) => j.id)).toEqual([c]);
    await timelines.complete([due, a, b, c]);
  });

  it('completes many jobs in one call; none, or unknown or malformed ids, change nothing', async () => {
    const runAt = new Date(Date.now() + 5000 * HOUR);
    const queue = (ms: number) => timelines.enqueue({ kind: 'build', readerId: newId() }, new Date(runAt.getTime() + ms));
    const [a, b, c] = [await queue(0), await queue(1), await queue(2)];
    // Suites sharing the database (Neo4j) queue and complete jobs meanwhile: the count is theirs too.
    const exact = !sharedDatabase(t.kind);
    const before = await timelines.pendingJobs();
    await timelines.complete([]);
    await timelines.complete([newId(), ...MALFORMED_IDS]);
    if (exact) expect(await timelines.pendingJobs()).toBe(before);
    await timelines.complete([a, b]);
    if (exact) expect(await timelines.pendingJobs()).toBe(before - 2);
    // Gone: a claim naming all three ready takes the newest, the one left.
    expect((await timelines.claim(runAt, 30_000, 1, [a, b, c])).map((j) => j.id)).toEqual([c]);
    await timelines.complete([c, a]);
    if (exact) expect(await timelines.pendingJobs()).toBe(before - 3);
  });

  it('hands each due job to one of many parallel claims', async () => {
    const now = new Date(Date.now() + 2000 * HOUR);
    const ids = await Promise.all(
      Array.from({ length: 20 }, () => timelines.enqueue({ kind: 'post', postId: newId(), authorId: newId() }, new Date(now.getTime() - 1))),
    );
    const claims = await Promise.all(Array.from({ length: 8 }, () => timelines.claim(now, 30_000, 5)));
    const got = claims.flat().map((j) => j.id).filter((id) => ids.includes(id));
    expect(new Set(got).size).toBe(got.length);
    await timelines.complete(ids);
  });

  it.each(MALFORMED_IDS)('when a reader id is malformed (%j), then it has no timeline and nothing fails', async (id) => {
    expect(await timelines.read(id, {}, 10)).toBeNull();
    await timelines.fanOut({ postId: newId(), authorId: newId() }, [id], 800);
    await timelines.removeAuthor(id, id);
    expect(await timelines.isCelebrity(id)).toBe(false);
  });
}

describeEachStore('TimelineStore contract', (kind) => timelineStoreContract(() => openTestStore(kind)), providing('timelines'));

// The port a store gives when it also holds the posts and follows (SQLite's commits without an
// fsync of their own): the same contract. test/unit/sqlite-timeline-commits.test.ts checks
// which stores give one.
describeEachStore(
  'TimelineStore contract, beside the writes it follows',
  (kind) => timelineStoreContract(() => openTestStore(kind), (s) => s.timelinesBesideTheirWrites!()!),
  ['sqlite'],
);
