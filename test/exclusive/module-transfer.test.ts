import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { recordId, type DataModule, type ModuleTransfer, type TransferRecords } from '../../adapters/shared/transfer.js';
import type { Article, Blog } from '../../internal/domain/blogs/blog.js';
import { dailySlotKeys, repostKey, type Post } from '../../internal/domain/posts/post.js';
import { buildListing, buildPost, buildUser, newId } from '../support/builders.js';
import type { StoreKind } from '../../internal/app/config.js';
import { descriptorOf } from '../../internal/app/registry.js';
import { describeEachStore, openTestStore, providing, type TestStore } from '../support/store-matrix.js';

const MODULES = ['users', 'follows', 'posts', 'blogs', 'listings'] as const satisfies readonly DataModule[];

/** Every record of `transfer`, page by page (a small page size, so paging itself is tested). */
async function readAll<R>(module: DataModule, transfer: ModuleTransfer<R>, limit = 3): Promise<R[]> {
  const all: R[] = [];
  for (let after: string | null = null; ; ) {
    const page = await transfer.page(after, limit);
    all.push(...page);
    if (page.length < limit) return all;
    after = recordId(module, page.at(-1) as TransferRecords[typeof module]);
  }
}

function transferOf<M extends DataModule>(t: TestStore, module: M): ModuleTransfer<TransferRecords[M]> {
  const make = t.store.transfers?.[module];
  if (!make) throw new Error(`the ${t.kind} store has no transfer for ${module}`);
  return make() as ModuleTransfer<TransferRecords[M]>;
}

const at = (iso: string) => new Date(iso);

/**
 * Writes a small dataset with every edge case through the ports of `source`: non-ASCII text, a
 * repost of a quote and a quote of a repost, a blog with articles and views, a listing whose
 * price changed several times, follows both ways.
 */
async function seed(t: TestStore) {
  const users = [buildUser({ username: `Zoë${Date.now().toString(36)}`.slice(0, 14) }), buildUser(), buildUser()];
  for (const u of users) await t.store.ports.users().create(u);
  const [a, b, c] = users as [typeof users[0], typeof users[0], typeof users[0]];
  const follows = t.store.ports.follows();
  for (const [x, y] of [[a, b], [b, a], [c, a]] as const) {
    await follows.follow({ id: newId(), followerId: x.id, followeeId: y.id, createdAt: new Date() });
  }
  const posts = t.store.ports.posts();
  const write = async (post: Post) => {
    expect(await posts.createInDailySlot(post, dailySlotKeys(post.authorId, post.createdAt, 5), repostKey(post))).toBe(true);
    return post;
  };
  const original = await write(buildPost({ authorId: a.id, content: 'héllo 👋🏽 wörld' }));
  const quote = await write(buildPost({ authorId: b.id, kind: 'quote', originalId: original.id, content: '« quoted »' }));
  const repostOfQuote = await write(buildPost({ authorId: c.id, kind: 'repost', originalId: quote.id, content: null }));
  await write(buildPost({ authorId: a.id, kind: 'quote', originalId: repostOfQuote.id, content: 'quote of a repost' }));
  const blogs = t.store.ports.blogs();
  const created = at('2026-01-02T03:04:05.678Z');
  const blog: Blog = { id: newId(created), ownerId: a.id, name: 'Ünïcode blog', slug: `blog-${newId().slice(-12)}`, description: null, createdAt: created, updatedAt: created };
  const articles: Article[] = [0, 1, 2].map((i) => ({
    id: newId(new Date(created.getTime() + i)),
    blogId: blog.id,
    authorId: a.id,
    title: i === 1 ? null : `Article ${i} ✓`,
    content: `<p>body ${i}</p>`,
    viewCount: 0,
    createdAt: created,
    updatedAt: created,
  }));
  await blogs.createWithArticles(blog, articles);
  for (let i = 0; i < 3; i++) await blogs.viewArticle(articles[0]!.id);
  const listings = t.store.ports.listings();
  const listing = buildListing({ ownerId: b.id, name: 'Maison à Évry' });
  await listings.create(listing);
  for (const price of [120_000, 99_999.5, 130_000]) {
    const later = new Date(listing.createdDate.getTime() + price);
    await listings.replace({ ...listing, latestPriceEur: price, updatedDate: later });
  }
}

/**
 * A store to read from and one to write to, both empty at first. On a server with a single
 * database (Neo4j Community) they are the same store, emptied between the read and the write.
 */
async function openPair(kind: StoreKind): Promise<{ source: TestStore; target: TestStore; emptyTarget(): Promise<void> }> {
  const { testing } = descriptorOf(kind);
  const server = inject('servers')[kind]?.env ?? {};
  if (testing.database(server, 'probe').shared && testing.reset) {
    await testing.reset(server);
    const store = await openTestStore(kind);
    return { source: store, target: store, emptyTarget: () => testing.reset!(server) };
  }
  const [source, target] = await Promise.all([openTestStore(kind), openTestStore(kind)]);
  return { source, target, emptyTarget: async () => {} };
}

export function moduleTransferContract(kind: StoreKind): void {
  let source: TestStore;
  let target: TestStore;
  let emptyTarget: () => Promise<void>;
  beforeAll(async () => {
    ({ source, target, emptyTarget } = await openPair(kind));
    await seed(source);
  });
  afterAll(async () => {
    await source?.close();
    if (target !== source) await target?.close();
  });

  it.each(MODULES)('when %s is read page by page, then it comes whole, in ascending id order, and its count agrees', async (module) => {
    const records = await readAll(module, transferOf(source, module));
    const ids = records.map((r) => recordId(module, r));
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(records.length).toBeGreaterThan(0);
    expect(await transferOf(source, module).count()).toBe(records.length);
  });

  it('when every module is written to an empty store of the same kind, in order, twice, then it reads back equal', async () => {
    const read = new Map<DataModule, unknown[]>();
    for (const module of MODULES) read.set(module, await readAll(module, transferOf(source, module)));
    await emptyTarget();
    for (const module of MODULES) {
      const records = read.get(module)!;
      const into = transferOf(target, module);
      expect(await into.count()).toBe(0);
      await into.write(records as never);
      await into.write(records as never);
      expect(await readAll(module, transferOf(target, module))).toEqual(records);
      expect(await into.count()).toBe(records.length);
    }
  });

  it('when the records are read, then they keep what the rules need: view counts, price order, keys', async () => {
    const blogs = await readAll('blogs', transferOf(source, 'blogs'));
    expect(blogs.flatMap((b) => b.articles.map((a) => a.viewCount)).sort()).toEqual([0, 0, 3]);
    const [listing] = await readAll('listings', transferOf(source, 'listings'));
    expect(listing!.prices.map((p) => p.priceEur)).toEqual([100_000, 120_000, 99_999.5, 130_000]);
    expect(listing!.listing.latestPriceEur).toBe(130_000);
    const posts = await readAll('posts', transferOf(source, 'posts'));
    for (const { post, repostKey: key, slotKey } of posts) {
      expect(key).toBe(repostKey(post));
      expect(dailySlotKeys(post.authorId, post.createdAt, 5)).toContain(slotKey);
    }
  });

  it('when a page starts after an unknown or malformed id, then it answers from there, not an error', async () => {
    await expect(transferOf(source, 'users').page('not-an-id', 2)).resolves.toBeInstanceOf(Array);
  });
}

describeEachStore('ModuleTransfer contract', (kind) => moduleTransferContract(kind), providing(...MODULES));
