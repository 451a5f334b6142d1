import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedBlogs, seedFollows, seedListings, seedPosts, seedUserId, seedUsers, type Scale } from '../../internal/app/seeding.js';
import { moduleTransfer } from '../../internal/app/transfer.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';

const DAY = 86_400_000;

/** What `npm run seed` does, at a size a test can check row by row, in every store. */
export function bulkSeederContract(open: () => Promise<TestStore>): void {
  let t: TestStore;
  const scale: Scale = {
    users: 40,
    posts: 300,
    followsPerUser: 3,
    heavyFollows: 25,
    days: 30,
    now: Math.floor(Date.now() / DAY) * DAY,
    blogs: 3,
    articlesPerBlog: 4,
    listings: 5,
    pricesPerListing: 3,
  };
  const userId = (i: number) => seedUserId(scale, i);
  const follows = [...seedFollows(scale, userId)];
  const posts = [...seedPosts(scale, userId)];

  async function seedAll(batch: number): Promise<void> {
    const seeder = t.store.bulkSeeder();
    const users = [...seedUsers(scale, 'scrypt$1024$8$1$c2FsdA==$a2V5')];
    for (let i = 0; i < users.length; i += batch) await seeder.users(users.slice(i, i + batch));
    for (let i = 0; i < follows.length; i += batch) await seeder.follows(follows.slice(i, i + batch));
    for (let i = 0; i < posts.length; i += batch) await seeder.posts(posts.slice(i, i + batch));
    await seeder.finish?.();
  }

  beforeAll(async () => {
    t = await open();
    await seedAll(64);
  });
  afterAll(() => t?.close());

  it('stores every user, follow and post the generators make', async () => {
    const u0 = await t.store.ports.users().findByUsername('u0');
    expect(u0?.id).toBe(userId(0));
    expect(await t.store.ports.users().findByUsername(`u${scale.users - 1}`)).not.toBeNull();
    for (const i of [0, 1, 7]) {
      const id = userId(i);
      expect(await t.store.ports.follows().counts(id)).toEqual({
        followers: follows.filter((f) => f.followeeId === id).length,
        following: follows.filter((f) => f.followerId === id).length,
      });
      expect(await t.store.ports.posts().countByAuthor(id)).toBe(posts.filter((p) => p.post.authorId === id).length);
    }
    expect((await t.store.ports.follows().followeeIds(userId(1))).length).toBe(scale.heavyFollows);
  });

  it('keeps the daily limit true of seeded data and serves it newest first', async () => {
    const perAuthorDay = new Map<string, number>();
    for (const { post } of posts) {
      const key = `${post.authorId}:${post.createdAt.toISOString().slice(0, 10)}`;
      perAuthorDay.set(key, (perAuthorDay.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perAuthorDay.values())).toBeLessThanOrEqual(5);
    const newest = [...posts].map((p) => p.post.id).sort().reverse().slice(0, 20);
    // By the seeded authors: Neo4j's single database also holds other suites' posts.
    const authorIds = Array.from({ length: scale.users }, (_, i) => userId(i));
    expect((await t.store.ports.posts().page({ authorIds }, { limit: 20 })).items.map((v) => v.post.id)).toEqual(newest);
  });

  it('can be run again over the same data: nothing doubles, nothing fails', async () => {
    await seedAll(50);
    const id = userId(0);
    expect(await t.store.ports.follows().counts(id)).toEqual({
      followers: follows.filter((f) => f.followeeId === id).length,
      following: follows.filter((f) => f.followerId === id).length,
    });
    expect(await t.store.ports.posts().countByAuthor(id)).toBe(posts.filter((p) => p.post.authorId === id).length);
  });

  it('seeds blogs with their articles and view counts, and listings whose history ends at their price, twice without doubling', async () => {
    for (let run = 0; run < 2; run++) {
      await moduleTransfer(t.store, 'blogs').write([...seedBlogs(scale, userId)]);
      await moduleTransfer(t.store, 'listings').write([...seedListings(scale, userId)]);
    }
    const blog = await t.store.ports.blogs().findBySlug('blog-2');
    expect(blog?.ownerId).toBe(userId(2));
    const articles = await t.store.ports.blogs().articles(blog!.id, { limit: 10 });
    expect(articles.items).toHaveLength(scale.articlesPerBlog);
    const [first] = [...seedListings(scale, userId)];
    const listing = await t.store.ports.listings().findById(first!.listing.id);
    const prices = await t.store.ports.listings().prices(first!.listing.id);
    expect(prices.map((p) => p.priceEur)).toEqual(first!.prices.map((p) => p.priceEur));
    expect(listing?.latestPriceEur).toBe(prices.at(-1)!.priceEur);
    // Not doubled: each seeded listing holds its own history once (a count would also see other
    // suites' listings on a single-database server).
    for (const { listing: seeded, prices: history } of seedListings(scale, userId)) {
      expect(await t.store.ports.listings().prices(seeded.id)).toHaveLength(history.length);
    }
  });
}

describeEachStore('BulkSeeder contract', (kind) => bulkSeederContract(() => openTestStore(kind)), providing('users', 'follows', 'posts', 'blogs', 'listings'));
