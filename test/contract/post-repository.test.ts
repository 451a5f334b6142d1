import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlreadyRepostedError } from '../../internal/domain/posts/errors.js';
import { dailySlotKeys, repostKey, type Post } from '../../internal/domain/posts/post.js';
import { newestAmongApart, type PostRepository } from '../../internal/domain/posts/post-repository.js';
import { firstIdAt } from '../../internal/domain/shared/id-generator.js';
import { buildPost, newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

const DAY = 86_400_000;

export function postRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let posts: PostRepository;
  beforeAll(async () => {
    t = await open();
    posts = t.store.ports.posts();
  });
  afterAll(() => t?.close());

  async function create(post: Post, limit = 5): Promise<Post> {
    expect(await posts.createInDailySlot(post, dailySlotKeys(post.authorId, post.createdAt, limit), repostKey(post))).toBe(true);
    return post;
  }

  it('stores every kind and reads it back by id', async () => {
    const original = await create(buildPost());
    const repost = await create(buildPost({ kind: 'repost', content: null, originalId: original.id }));
    const quote = await create(buildPost({ kind: 'quote', content: 'so true', originalId: repost.id }));
    for (const p of [original, repost, quote]) expect((await posts.findById(p.id))?.post).toEqual(p);
    expect(await posts.findById(newId())).toBeNull();
    const many = await posts.findManyByIds([original.id, quote.id, newId()]);
    expect(many.map((v) => v.post.id).sort()).toEqual([original.id, quote.id].sort());
  });

  it('answers whole views: the author named by the post, the counters, the original with its own', async () => {
    const original = await create(buildPost({ authorName: 'Ada' }));
    const repost = await create(buildPost({ authorName: 'Bob', kind: 'repost', content: null, originalId: original.id }));
    const quote = await create(buildPost({ authorName: 'Cy', kind: 'quote', content: 'so true', originalId: repost.id }));
    const embedded = (p: Post, reposts: number, quotes: number) => ({ post: p, author: { id: p.authorId, username: p.authorName }, repostCount: reposts, quoteCount: quotes });
    const expected = {
      [original.id]: { ...embedded(original, 1, 0), original: null },
      [repost.id]: { ...embedded(repost, 0, 1), original: embedded(original, 1, 0) },
      [quote.id]: { ...embedded(quote, 0, 0), original: embedded(repost, 0, 1) },
    };
    for (const p of [original, repost, quote]) expect(await posts.findById(p.id)).toEqual(expected[p.id]);
    for (const v of await posts.findManyByIds([original.id, repost.id, quote.id])) expect(v).toEqual(expected[v.post.id]);
    const page = await posts.page({ authorIds: [original.authorId, repost.authorId, quote.authorId] }, { limit: 10 });
    expect(page.items).toEqual([expected[quote.id], expected[repost.id], expected[original.id]]);
  });

  describe('the daily slot claim', () => {
    it('fills the slots one by one, then refuses, storing nothing', async () => {
      const author = newId();
      const at = new Date();
      const slots = dailySlotKeys(author, at, 3);
      for (let i = 0; i < 3; i++) {
        const post = buildPost({ authorId: author, createdAt: at });
        expect(await posts.createInDailySlot(post, slots, repostKey(post))).toBe(true);
      }
      const refused = buildPost({ authorId: author, createdAt: at });
      expect(await posts.createInDailySlot(refused, slots, repostKey(refused))).toBe(false);
      expect(await posts.findById(refused.id)).toBeNull();
      expect(await posts.countByAuthor(author)).toBe(3);
    });

    it('grants exactly `limit` of 20 parallel claims by one author', async () => {
      const author = newId();
      const at = new Date();
      const slots = dailySlotKeys(author, at, 5);
      const results = await Promise.all(
        Array.from({ length: 20 }, () => buildPost({ authorId: author, createdAt: at })).map((post) => posts.createInDailySlot(post, slots, repostKey(post))),
      );
      expect(results.filter(Boolean)).toHaveLength(5);
      expect(await posts.countByAuthor(author)).toBe(5);
    });

    it('gives a new day fresh slots', async () => {
      const author = newId();
      const today = new Date();
      const yesterday = new Date(today.getTime() - DAY);
      await create(buildPost({ authorId: author, createdAt: yesterday }), 1);
      await create(buildPost({ authorId: author, createdAt: today }), 1);
      expect(await posts.countByAuthor(author)).toBe(2);
    });

    it('refuses a second repost of one post by one author', async () => {
      const original = await create(buildPost());
      const author = newId();
      await create(buildPost({ authorId: author, kind: 'repost', content: null, originalId: original.id }));
      const again = buildPost({ authorId: author, kind: 'repost', content: null, originalId: original.id });
      await expect(posts.createInDailySlot(again, dailySlotKeys(author, again.createdAt, 5), repostKey(again))).rejects.toBeInstanceOf(AlreadyRepostedError);
      expect(await posts.findById(again.id)).toBeNull();
      expect(await posts.countByAuthor(author)).toBe(1);
    });
  });

  it.each(MALFORMED_IDS)('when an id is malformed (%j), then it names no post or author, and nothing fails', async (id) => {
    const known = await create(buildPost());
    expect(await posts.findById(id)).toBeNull();
    expect((await posts.findManyByIds([id, known.id])).map((v) => v.post.id)).toEqual([known.id]);
    expect(await posts.page({ authorIds: [id] }, { limit: 10 })).toEqual({ items: [], next: null });
    expect((await posts.page({ authorIds: [id, known.authorId] }, { limit: 10 })).items.map((v) => v.post)).toEqual([known]);
    expect(await posts.countByAuthor(id)).toBe(0);
  });

  it('counts reposts and quotes per post', async () => {
    const original = await create(buildPost());
    await create(buildPost({ kind: 'repost', content: null, originalId: original.id }));
    await create(buildPost({ kind: 'repost', content: null, originalId: original.id }));
    await create(buildPost({ kind: 'quote', content: 'q', originalId: original.id }));
    const lonely = await create(buildPost());
    expect(await posts.findById(original.id)).toMatchObject({ repostCount: 2, quoteCount: 1 });
    expect(await posts.findById(lonely.id)).toMatchObject({ repostCount: 0, quoteCount: 0 });
  });

  it('keeps the counters exact under parallel reposts, quotes and refused duplicates', async () => {
    const original = await create(buildPost());
    const reposters = Array.from({ length: 12 }, () => newId());
    const attempts = [
      // Each reposter twice: one of the two is refused as a second repost.
      ...[...reposters, ...reposters].map((authorId) => buildPost({ authorId, kind: 'repost', content: null, originalId: original.id })),
      ...Array.from({ length: 9 }, () => buildPost({ kind: 'quote', content: 'q', originalId: original.id })),
    ];
    const results = await Promise.allSettled(attempts.map((p) => posts.createInDailySlot(p, dailySlotKeys(p.authorId, p.createdAt, 5), repostKey(p))));
    expect(results.filter((r) => r.status === 'fulfilled' && r.value)).toHaveLength(12 + 9);
    expect(results.filter((r) => r.status === 'rejected').every((r) => (r as PromiseRejectedResult).reason instanceof AlreadyRepostedError)).toBe(true);
    expect(await posts.findById(original.id)).toMatchObject({ repostCount: 12, quoteCount: 9 });
    for (const author of reposters) expect(await posts.countByAuthor(author)).toBe(1);
  });

  describe('pages', () => {
    it('are newest first, without duplicates or gaps while new posts arrive', async () => {
      const author = newId();
      const base = Date.now() - 10 * DAY;
      const mine: Post[] = [];
      for (let i = 0; i < 9; i++) mine.push(await create(buildPost({ authorId: author, createdAt: new Date(base + i * DAY) }), 1));
      const seen: string[] = [];
      let before: string | undefined;
      let arrivals = 0;
      do {
        const page = await posts.page({ authorIds: [author] }, { limit: 2, ...(before ? { before } : {}) });
        seen.push(...page.items.map((v) => v.post.id));
        before = page.next ?? undefined;
        await create(buildPost({ authorId: author, createdAt: new Date(base + (20 + arrivals++) * DAY) }), 1);
      } while (before);
      expect(seen).toEqual(mine.map((p) => p.id).reverse());
    });

    it('filter by authors, time range and text (never matching reposts)', async () => {
      const [a, b, c] = [newId(), newId(), newId()];
      const base = Date.now() - 5 * DAY;
      const marker = `Zebra${Math.random().toString(36).slice(2, 8)}`;
      const p1 = await create(buildPost({ authorId: a, createdAt: new Date(base), content: `an ${marker} here` }));
      const p2 = await create(buildPost({ authorId: b, createdAt: new Date(base + DAY), content: 'plain text' }));
      const p3 = await create(buildPost({ authorId: a, createdAt: new Date(base + 2 * DAY), kind: 'quote', originalId: p2.id, content: `${marker.toUpperCase()}!` }));
      await create(buildPost({ authorId: c, createdAt: new Date(base + 3 * DAY), kind: 'repost', content: null, originalId: p1.id }));
      const ids = async (filter: Parameters<PostRepository['page']>[0]) =>
        (await posts.page(filter, { limit: 100 })).items.map((v) => v.post.id);

      expect(await ids({ authorIds: [a] })).toEqual([p3.id, p1.id]);
      expect(await ids({ authorIds: [a, b] })).toEqual([p3.id, p2.id, p1.id]);
      expect(await ids({ authorIds: [] })).toEqual([]);
      expect(await ids({ authorIds: [a, b, c], idFrom: firstIdAt(new Date(base + DAY)), idBefore: firstIdAt(new Date(base + 2 * DAY)) })).toEqual([p2.id]);
      expect(await ids({ text: marker.toLowerCase() })).toEqual([p3.id, p1.id]);
      expect(await ids({ text: '%' })).not.toContain(p2.id);
    });
  });

  it('newestAmong (or, where the store lacks it, the two reads HomeTimeline makes instead) answers what the views of the ids and the authors\' page merged answer', async () => {
    // An optional port method: without it HomeTimeline calls newestAmongApart, which this then checks on this store.
    const newestAmong: NonNullable<PostRepository['newestAmong']> = posts.newestAmong
      ? (...args) => posts.newestAmong!(...args)
      : (ids, filter, rows, before) => newestAmongApart(posts, ids, filter, rows, before);
    const base = Date.now() - 30 * DAY;
    const [a, b, c, d] = [newId(), newId(), newId(), newId()];
    const made: Post[] = [];
    for (let i = 0; i < 24; i++) {
      const authorId = [a, b, c, d][i % 4]!;
      const original = made.find((p) => p.authorId !== authorId && p.kind === 'original');
      const kind = i % 5 === 4 && original ? 'quote' : 'original';
      made.push(await create(buildPost({ authorId, createdAt: new Date(base + i * DAY), kind, content: `post ${i}`, originalId: kind === 'quote' ? original!.id : null }), 1));
    }
    const byOthers = made.filter((p) => p.authorId === c || p.authorId === d).map((p) => p.id);
    const rand = (n: number) => Math.floor(Math.random() * n);
    for (let round = 0; round < 30; round++) {
      const ids = [...new Set(Array.from({ length: 1 + rand(12) }, () => byOthers[rand(byOthers.length)]!))];
      if (round % 3 === 0) ids.push(made.find((p) => p.authorId === a)!.id, newId()); // one also an author's, one unknown
      const authorIds = round % 2 === 0 ? [a] : [a, b, newId()];
      const idFrom = round % 4 === 1 ? firstIdAt(new Date(base + 5 * DAY)) : undefined;
      const idBefore = round % 5 === 2 ? firstIdAt(new Date(base + 20 * DAY)) : undefined;
      const before = round % 3 === 1 ? made[8 + rand(14)]!.id : undefined;
      const rows = 1 + rand(8);
      const filter = { authorIds, ...(idFrom ? { idFrom } : {}), ...(idBefore ? { idBefore } : {}) };
      const [views, page] = await Promise.all([posts.findManyByIds(ids), posts.page(filter, { limit: rows, ...(before ? { before } : {}) })]);
      const expected = [...new Map([...views, ...page.items].map((v) => [v.post.id, v])).values()].sort((x, y) => (x.post.id < y.post.id ? 1 : -1)).slice(0, rows);
      expect(await newestAmong(ids, filter, rows, before), `round ${round}`).toEqual(expected);
    }
  });
}

describeEachStore('PostRepository contract', (kind) => postRepositoryContract(() => openTestStore(kind)), providing('posts'));
