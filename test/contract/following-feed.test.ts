import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqlFollowingFeed } from '../../adapters/sql/following-feed.js';
import type { SqlStore } from '../../adapters/sql/sql-store.js';
import type { FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import { FolloweeListFeed, type FeedFilter, type FollowingFeed } from '../../internal/domain/posts/following-feed.js';
import { dailySlotKeys, repostKey, type Post } from '../../internal/domain/posts/post.js';
import type { PostRepository } from '../../internal/domain/posts/post-repository.js';
import { firstIdAt } from '../../internal/domain/shared/id-generator.js';
import { buildPost, newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestedStore, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

const MINUTE = 60_000;

/** Every FollowingFeed, whichever store answers it and however: same pages for the same data. */
export function followingFeedContract(open: () => Promise<TestStore>, feedOf: (store: TestedStore) => FollowingFeed): void {
  let t: TestStore;
  let feed: FollowingFeed;
  let posts: PostRepository;
  let follows: FollowRepository;
  beforeAll(async () => {
    t = await open();
    feed = feedOf(t.store);
    posts = t.store.ports.posts();
    follows = t.store.ports.follows();
  });
  afterAll(() => t?.close());

  // Posts are spaced a minute apart from `start`, so their ids (and so their order) are known.
  let clock = Date.now() - 1_000 * MINUTE;
  async function post(authorId: string, overrides: Partial<Post> = {}): Promise<Post> {
    const createdAt = new Date((clock += MINUTE));
    const p = buildPost({ authorId, createdAt, ...overrides });
    expect(await posts.createInDailySlot(p, dailySlotKeys(authorId, createdAt, 1_000), repostKey(p))).toBe(true);
    return p;
  }
  async function follow(followerId: string, followeeId: string): Promise<void> {
    await follows.follow({ id: newId(), followerId, followeeId, createdAt: new Date() });
  }
  async function everyPage(followerId: string, filter: FeedFilter = {}, limit = 2): Promise<string[]> {
    const seen: string[] = [];
    let before: string | undefined;
    for (let i = 0; i < 100; i++) {
      const page = await feed.page(followerId, filter, before ? { limit, before } : { limit });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      seen.push(...page.items.map((v) => v.post.id));
      if (!page.next) return seen;
      before = page.next;
    }
    throw new Error('the feed never ended');
  }

  it('is empty for someone who follows nobody', async () => {
    const lonely = newId();
    await post(newId());
    expect(await feed.page(lonely, {}, { limit: 10 })).toEqual({ items: [], next: null });
  });

  it.each(MALFORMED_IDS)('is empty, not an error, for a follower id that is not an id (%j)', async (id) => {
    await post(newId());
    expect(await feed.page(id, {}, { limit: 10 })).toEqual({ items: [], next: null });
  });

  it("holds only the followees' posts, of every kind, newest first, in pages without gaps", async () => {
    const [reader, a, b, stranger] = [newId(), newId(), newId(), newId()];
    await follow(reader, a);
    await follow(reader, b);
    const expected: Post[] = [];
    const original = await post(stranger);
    expected.push(await post(a));
    await post(reader); // the reader's own posts are not in their following feed
    expected.push(await post(b, { kind: 'repost', content: null, originalId: original.id }));
    expected.push(await post(a, { kind: 'quote', content: 'indeed', originalId: original.id }));
    expected.push(await post(b));
    // Many newer posts by others: the followees' are no longer among the newest.
    for (let i = 0; i < 6; i++) await post(stranger);

    const newestFirst = expected.reverse().map((p) => p.id);
    expect(await everyPage(reader)).toEqual(newestFirst);
    expect(await everyPage(reader, {}, 100)).toEqual(newestFirst);
    const first = await feed.page(reader, {}, { limit: 1 });
    expect(first.items.map((v) => v.post)).toEqual([expected[0]]);
  });

  it('finds the newest page when the followees are the most active accounts', async () => {
    const [reader, a] = [newId(), newId()];
    await follow(reader, a);
    const mine = [];
    for (let i = 0; i < 5; i++) mine.push((await post(a)).id);
    expect(await everyPage(reader, {}, 3)).toEqual(mine.reverse());
  });

  it('keeps pages stable while new posts arrive', async () => {
    const [reader, a] = [newId(), newId()];
    await follow(reader, a);
    const older = [];
    for (let i = 0; i < 4; i++) older.push((await post(a)).id);
    const first = await feed.page(reader, {}, { limit: 2 });
    await post(a);
    await post(a);
    const second = await feed.page(reader, {}, { limit: 2, before: first.next! });
    expect([...first.items, ...second.items].map((v) => v.post.id)).toEqual(older.reverse());
  });

  it('applies the text and time filters', async () => {
    const [reader, a, b] = [newId(), newId(), newId()];
    await follow(reader, a);
    await follow(reader, b);
    const marker = `m${newId().slice(-8)}`;
    const p1 = await post(a, { content: `one ${marker}` });
    const p2 = await post(b, { content: 'two' });
    const p3 = await post(b, { content: `THREE ${marker.toUpperCase()}` });
    for (let i = 0; i < 4; i++) await post(newId(), { content: `noise ${marker}` });
    expect(await everyPage(reader, { text: marker })).toEqual([p3.id, p1.id]);
    expect(await everyPage(reader, { idFrom: p2.id, idBefore: firstIdAt(new Date(p3.createdAt.getTime() + 1)) })).toEqual([p3.id, p2.id]);
    expect(await everyPage(reader, { idBefore: p2.id })).toEqual([p1.id]);
  });

  it('drops an account once unfollowed', async () => {
    const [reader, a, b] = [newId(), newId(), newId()];
    await follow(reader, a);
    await follow(reader, b);
    const pa = await post(a);
    await post(b);
    await follows.unfollow(reader, b);
    expect(await everyPage(reader)).toEqual([pa.id]);
  });
}

describeEachStore('FollowingFeed contract (the store’s own feed)', (kind) =>
  followingFeedContract(
    () => openTestStore(kind),
    (store) => store.followingFeed?.() ?? new FolloweeListFeed(store.ports.follows(), store.ports.posts()),
  ),
  providing('follows', 'posts'),
);

describeEachStore('FollowingFeed contract (FolloweeListFeed over the two repositories)', (kind) =>
  followingFeedContract(
    () => openTestStore(kind),
    (store) => new FolloweeListFeed(store.ports.follows(), store.ports.posts()),
  ),
  providing('follows', 'posts'),
);

// Tiny windows make every step of the SQL feed run on the data above: the newest page found
// within a window, a miss in the first window then a hit in the second, and the fall-back to
// the followee index past them all.
for (const windows of [[3], [3, 8]]) {
  describeEachStore(
    `FollowingFeed contract (SQL, recent windows of ${windows.join(' then ')} rows)`,
    (kind) =>
      followingFeedContract(
        () => openTestStore(kind),
        (store) => new SqlFollowingFeed((store as SqlStore).db, kind === 'postgres' ? 'postgres' : 'sqlite', windows),
      ),
    ['sqlite', 'postgres'],
  );
}
