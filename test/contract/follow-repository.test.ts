import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FollowRepository } from '../../internal/domain/follows/follow-repository.js';
import { newId } from '../support/builders.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';
import { MALFORMED_IDS } from './malformed-ids.js';

function follow(followerId: string, followeeId: string, at = new Date()) {
  return { id: newId(at), followerId, followeeId, createdAt: at };
}

export function followRepositoryContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  let follows: FollowRepository;
  beforeAll(async () => {
    t = await open();
    follows = t.store.ports.follows();
  });
  afterAll(() => t?.close());

  it('follows idempotently and counts each pair once', async () => {
    const [a, b] = [newId(), newId()];
    await follows.follow(follow(a, b));
    await follows.follow(follow(a, b));
    await Promise.all(Array.from({ length: 5 }, () => follows.follow(follow(a, b))));
    expect(await follows.isFollowing(a, b)).toBe(true);
    expect(await follows.isFollowing(b, a)).toBe(false);
    expect(await follows.counts(a)).toEqual({ followers: 0, following: 1 });
    expect(await follows.counts(b)).toEqual({ followers: 1, following: 0 });
  });

  it('keeps both counters exact under parallel follows and unfollows', async () => {
    const star = newId();
    const fans = Array.from({ length: 30 }, () => newId());
    // Every fan follows three times at once; the first ten then unfollow twice at once.
    await Promise.all(fans.flatMap((fan) => [0, 1, 2].map(() => follows.follow(follow(fan, star)))));
    expect(await follows.counts(star)).toEqual({ followers: 30, following: 0 });
    await Promise.all(fans.slice(0, 10).flatMap((fan) => [follows.unfollow(fan, star), follows.unfollow(fan, star)]));
    expect(await follows.counts(star)).toEqual({ followers: 20, following: 0 });
    for (const fan of fans) expect(await follows.counts(fan)).toEqual({ followers: 0, following: fans.indexOf(fan) < 10 ? 0 : 1 });
    // Follow and unfollow racing on one pair: the counters agree with whichever won.
    const [a, b] = [newId(), newId()];
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? follows.unfollow(a, b) : follows.follow(follow(a, b)))));
    const following = (await follows.isFollowing(a, b)) ? 1 : 0;
    expect(await follows.counts(a)).toEqual({ followers: 0, following });
    expect(await follows.counts(b)).toEqual({ followers: following, following: 0 });
  });

  it('unfollows idempotently', async () => {
    const [a, b] = [newId(), newId()];
    await follows.follow(follow(a, b));
    await follows.unfollow(a, b);
    await follows.unfollow(a, b);
    expect(await follows.isFollowing(a, b)).toBe(false);
    expect(await follows.counts(b)).toEqual({ followers: 0, following: 0 });
    await follows.unfollow(newId(), newId());
  });

  it('lists followers and following newest follow first, in pages without gaps', async () => {
    const star = newId();
    const fans = Array.from({ length: 7 }, () => newId());
    for (const [i, fan] of fans.entries()) await follows.follow(follow(fan, star, new Date(Date.now() + i)));
    const seen: string[] = [];
    let before: string | undefined;
    do {
      const page = await follows.followers(star, { limit: 3, ...(before ? { before } : {}) });
      seen.push(...page.items.map((f) => f.followerId));
      before = page.next ?? undefined;
    } while (before);
    expect(seen).toEqual([...fans].reverse());

    const first = await follows.following(fans[0]!, { limit: 10 });
    expect(first.items.map((f) => f.followeeId)).toEqual([star]);
    expect(first.next).toBeNull();
    expect((await follows.followeeIds(fans[0]!)).sort()).toEqual([star]);
  });

  it.each(MALFORMED_IDS)('when a user id is malformed (%j), then it follows nobody and nobody follows it, and nothing fails', async (id) => {
    const other = newId();
    await follows.follow(follow(other, newId()));
    expect(await follows.isFollowing(id, other)).toBe(false);
    expect(await follows.isFollowing(other, id)).toBe(false);
    expect(await follows.counts(id)).toEqual({ followers: 0, following: 0 });
    expect(await follows.followers(id, { limit: 10 })).toEqual({ items: [], next: null });
    expect(await follows.following(id, { limit: 10 })).toEqual({ items: [], next: null });
    expect(await follows.followeeIds(id)).toEqual([]);
    await expect(follows.unfollow(id, other)).resolves.toBeUndefined();
    await expect(follows.unfollow(other, id)).resolves.toBeUndefined();
    expect(await follows.counts(other)).toEqual({ followers: 0, following: 1 });
  });

  it('returns every followee id', async () => {
    const me = newId();
    const others = Array.from({ length: 12 }, () => newId());
    for (const other of others) await follows.follow(follow(me, other));
    expect((await follows.followeeIds(me)).sort()).toEqual([...others].sort());
    expect(await follows.followeeIds(newId())).toEqual([]);
  });
}

describeEachStore('FollowRepository contract', (kind) => followRepositoryContract(() => openTestStore(kind)), providing('follows'));
