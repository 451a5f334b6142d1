import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SQLITE_DEFERRED_INDEXES,
  SQLITE_SEED_COLUMNS,
  sqliteFollowRow,
  sqlitePostRow,
  sqliteUserRow,
} from '../../adapters/sql/bulk-seeder.js';
import { followRow, postRow, userRow } from '../../adapters/sql/records.js';
import { SqlStore } from '../../adapters/sql/sql-store.js';
import { formatSeedId, seedBlogs, seedFollows, seedId, seedListings, seedPosts, seedUserId, seedUsers, type Scale } from '../../internal/app/seeding.js';
import { dailySlotKeys, repostKey } from '../../internal/domain/posts/post.js';
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
    // As cmd/seed.ts does: each table completed after its last batch, where the store completes tables.
    for (let i = 0; i < users.length; i += batch) await seeder.users(users.slice(i, i + batch));
    await seeder.complete?.('users');
    for (let i = 0; i < follows.length; i += batch) await seeder.follows(follows.slice(i, i + batch));
    await seeder.complete?.('follows');
    for (let i = 0; i < posts.length; i += batch) await seeder.posts(posts.slice(i, i + batch));
    await seeder.complete?.('posts');
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

describe('seed generators', () => {
  const scale: Scale = { users: 50, posts: 1200, followsPerUser: 4, heavyFollows: 30, days: 40, now: Date.UTC(2026, 10, 24), blogs: 0, articlesPerBlog: 0, listings: 0, pricesPerListing: 1 };
  const userId = (i: number) => seedUserId(scale, i);

  it('makes the same ids as the general formatting, including past its fast range', () => {
    const cases: Array<[number, number, number]> = [
      [0, 0, 0], [Date.UTC(2026, 10, 24, 13, 5, 7, 9), 3, 123_456], [2 ** 48 - 1, 4095, 2 ** 48 - 1], [2 ** 48, 3, 1], [1e12, 4096, 5], [1e12, 2, 2 ** 48], [1e12, 2, 2 ** 52 + 3],
    ];
    for (let i = 0; i < 2000; i++) cases.push([Math.floor(Math.random() * 2 ** 44), i % 4100, Math.floor(Math.random() * 2 ** (i % 53))]);
    for (const [at, stream, n] of cases) expect(seedId(at, stream, n), `${at} ${stream} ${n}`).toBe(formatSeedId(at, stream, n));
  });

  it('gives posts in id order, each with its author-day slot key (unique) and repost key, the same every run', () => {
    const posts = [...seedPosts(scale, userId)];
    expect(posts).toHaveLength(scale.posts);
    const ids = posts.map((p) => p.post.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(scale.posts);
    expect(new Set(posts.map((p) => p.slotKey)).size).toBe(scale.posts);
    for (const { post, slotKey, repostKey: key } of posts) {
      expect(dailySlotKeys(post.authorId, post.createdAt, 5)).toContain(slotKey);
      expect(key).toBe(repostKey(post));
      expect(post.content).toMatch(/^[a-z]+( [a-z]+){5,14}$/);
    }
    expect([...seedPosts(scale, userId)]).toEqual(posts);
  });

  it('gives follows without a repeated pair or a self-follow', () => {
    const follows = [...seedFollows(scale, userId)];
    expect(new Set(follows.map((f) => `${f.followerId}>${f.followeeId}`)).size).toBe(follows.length);
    expect(follows.filter((f) => f.followerId === f.followeeId)).toEqual([]);
    expect(follows.filter((f) => f.followerId === userId(1))).toHaveLength(scale.heavyFollows);
  });

  it('with fans, adds users f0.. after the users, each following u0 only, all in id order and otherwise the same data', () => {
    const withFans: Scale = { ...scale, fans: 25 };
    const users = [...seedUsers(withFans, 'hash')];
    expect(users.map((u) => u.username).slice(scale.users)).toEqual(Array.from({ length: 25 }, (_, j) => `f${j}`));
    expect(users.map((u) => u.id)).toEqual(users.map((u) => u.id).sort());
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    const fanIds = new Set(users.slice(scale.users).map((u) => u.id));
    const follows = [...seedFollows(withFans, userId)];
    const byFans = follows.filter((f) => fanIds.has(f.followerId));
    expect(byFans).toHaveLength(25);
    expect(new Set(byFans.map((f) => f.followeeId))).toEqual(new Set([userId(0)]));
    expect(follows.map((f) => f.id)).toEqual(follows.map((f) => f.id).sort());
    expect(follows.filter((f) => !fanIds.has(f.followerId))).toEqual([...seedFollows(scale, userId)]);
  });
});

describe('SQLite bulk seeding', () => {
  const scale: Scale = { users: 30, posts: 200, followsPerUser: 3, heavyFollows: 10, days: 20, now: Date.UTC(2026, 10, 24), blogs: 0, articlesPerBlog: 0, listings: 0, pricesPerListing: 1 };
  const userId = (i: number) => seedUserId(scale, i);
  const dir = mkdtempSync(join(tmpdir(), 'agora-bulk-seeder-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('makes the rows records.ts makes, value for value, in its columns', () => {
    const pick = (row: object, table: keyof typeof SQLITE_SEED_COLUMNS) => {
      expect(Object.keys(row).sort()).toEqual([...SQLITE_SEED_COLUMNS[table]].sort());
      return SQLITE_SEED_COLUMNS[table].map((c) => (row as Record<string, unknown>)[c]);
    };
    for (const u of seedUsers(scale, 'hash')) expect(sqliteUserRow(u)).toEqual(pick(userRow(u), 'users'));
    for (const f of seedFollows(scale, userId)) expect(sqliteFollowRow(f)).toEqual(pick(followRow(f), 'follows'));
    for (const p of seedPosts(scale, userId)) expect(sqlitePostRow(p)).toEqual(pick(postRow(p.post, p.slotKey, p.repostKey), 'posts'));
    const repost = { id: 'r', kind: 'repost' as const, authorId: 'a', authorName: 'u0', content: null, originalId: 'o', createdAt: new Date(0) };
    expect(sqlitePostRow({ post: repost, slotKey: 's', repostKey: repostKey(repost) })).toEqual(pick(postRow(repost, 's', repostKey(repost)), 'posts'));
  });

  /** Every index of the seeded tables, as sqlite_master holds it. */
  const indexesOf = (store: SqlStore) =>
    sql<{ name: string; sql: string | null }>`select name, sql from sqlite_master where type = 'index' and tbl_name in ('users', 'follows', 'posts') order by name`.execute(store.db).then((r) => r.rows);
  const tablesOf = (store: SqlStore) => sql<{ name: string }>`select name from sqlite_master where type = 'table' order by name`.execute(store.db).then((r) => r.rows.map((t) => t.name));
  /** The indexes and tables the migrations make, from a fresh in-memory store. */
  async function migrated(): Promise<{ expected: Array<{ name: string; sql: string | null }>; tables: string[] }> {
    const fresh = await SqlStore.open({ dialect: 'sqlite', path: ':memory:' });
    await fresh.migrate();
    const shape = { expected: await indexesOf(fresh), tables: await tablesOf(fresh) };
    await fresh.close();
    return shape;
  }

  it('loads empty tables without their secondary indexes and ends with exactly the indexes the migrations made', async () => {
    const { expected, tables } = await migrated();
    expect(expected.map((i) => i.name)).toEqual(expect.arrayContaining(['posts_slot_key', 'posts_repost_key', 'posts_by_author', 'posts_by_original', 'follows_pair_key', 'users_username_key']));

    const path = join(dir, 'interrupted.db');
    let store = await SqlStore.open({ dialect: 'sqlite', path });
    await store.migrate();
    const seeder = store.bulkSeeder();
    await seeder.users([...seedUsers(scale, 'hash')]);
    await seeder.posts([...seedPosts(scale, userId)].slice(0, 50));
    // Stopped before finish: the loaded tables are without their indexes, which are recorded.
    const during = (await indexesOf(store)).filter((i) => i.sql !== null);
    expect(during.map((i) => i.name)).not.toContain('posts_slot_key');
    expect(during.map((i) => i.name)).not.toContain('users_username_key');
    expect(await tablesOf(store)).toContain(SQLITE_DEFERRED_INDEXES);
    // Written through a rollback journal, not the write-ahead log: each new page once.
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db)).rows[0]?.journal_mode).toBe('truncate');
    await store.close();

    // The next seed (into tables no longer empty) loads the rest and its finish re-creates them.
    store = await SqlStore.open({ dialect: 'sqlite', path });
    const again = store.bulkSeeder();
    await again.users([...seedUsers(scale, 'hash')]);
    await again.follows([...seedFollows(scale, userId)]);
    await again.posts([...seedPosts(scale, userId)]);
    await again.finish?.();
    expect(await indexesOf(store)).toEqual(expected);
    expect(await tablesOf(store)).toEqual(tables);
    const count = async (table: 'users' | 'follows' | 'posts') => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n);
    expect([await count('users'), await count('follows'), await count('posts')]).toEqual([scale.users, [...seedFollows(scale, userId)].length, scale.posts]);
    // The unique indexes are back: a second slot key is refused.
    const [first] = [...seedPosts(scale, userId)];
    await expect(sql`insert into posts (id, kind, author_id, created_at, slot_key, repost_key) values ('x', 'original', 'a', '2026-01-01', ${first!.slotKey}, 'k')`.execute(store.db)).rejects.toThrow(/UNIQUE/);
    // The seed's settings are given back: no sorter threads, the write-ahead log.
    expect((await sql<{ threads: number }>`pragma threads`.execute(store.db)).rows[0]?.threads).toBe(0);
    expect((await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db)).rows[0]?.journal_mode).toBe('wal');

    // A seed over seeded tables keeps their indexes and adds nothing.
    await again.users([...seedUsers(scale, 'hash')]);
    await again.posts([...seedPosts(scale, userId)]);
    await again.finish?.();
    expect(await indexesOf(store)).toEqual(expected);
    expect(await count('posts')).toBe(scale.posts);
    await store.close();
  });

  it('completes a table after its last batch: its indexes back at once, the other tables\' still deferred until theirs', async () => {
    const { expected, tables } = await migrated();
    const named = (indexes: Array<{ name: string; sql: string | null }>) => indexes.filter((i) => i.sql !== null).map((i) => i.name);

    const store = await SqlStore.open({ dialect: 'sqlite', path: join(dir, 'by-table.db') });
    await store.migrate();
    const seeder = store.bulkSeeder();
    await seeder.users([...seedUsers(scale, 'hash')]);
    await seeder.follows([...seedFollows(scale, userId)]);
    await seeder.complete!('follows');
    const afterFollows = named(await indexesOf(store));
    expect(afterFollows).toEqual(expect.arrayContaining(['follows_pair_key', 'follows_by_follower', 'follows_by_followee']));
    expect(afterFollows).not.toContain('users_username_key');
    expect(await tablesOf(store)).toContain(SQLITE_DEFERRED_INDEXES);

    await seeder.complete!('users');
    await seeder.posts([...seedPosts(scale, userId)]);
    expect(named(await indexesOf(store))).not.toContain('posts_by_author');
    await seeder.complete!('posts');
    expect(await indexesOf(store)).toEqual(expected);
    expect(await tablesOf(store)).toEqual(tables); // nothing left deferred: the record table is gone
    await seeder.finish!();
    expect(await indexesOf(store)).toEqual(expected);
    const count = Number((await sql<{ n: number }>`select count(*) as n from posts`.execute(store.db)).rows[0]!.n);
    expect(count).toBe(scale.posts);
    await store.close();
  });
});
