import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../../adapters/shared/store.js';
import { exportArchive, importArchive } from '../../internal/app/archive.js';
import { DATA_MODULES as MODULES, type Config, type DataModule as ModuleName, type StoreKind } from '../../internal/app/config.js';
import { buildApp } from '../../internal/app/http/app.js';
import { descriptorOf } from '../../internal/app/registry.js';
import { createStore } from '../../internal/app/stores.js';
import { copyModules, summarize, TransferError } from '../../internal/app/transfer.js';
import { listingBody } from '../support/builders.js';
import { PASSWORD, signUp, type Session } from '../support/http.js';
import { providing, testConfig } from '../support/store-matrix.js';

/**
 * Moving data between stores, end to end: a dataset with every edge case is written through the
 * API on one store, copied to another by the transfer engine (what `npm run transfer` runs),
 * and the API on the target must answer a fixed set of requests exactly as on the source, with
 * its rules still holding. Runs in the exclusive group: Neo4j Community has one database, which
 * these tests empty.
 */
const KINDS = providing(...MODULES);
const servers = inject('servers');
const available = KINDS.filter((k) => servers[k]?.env && !servers[k].skipped);

const scratch = mkdtempSync(join(tmpdir(), 'agora-transfer-'));
let databases = 0;

/**
 * One database of `kind`, empty, that two connections see alike (an in-process store in a file,
 * not in memory); a single-database server is emptied first.
 */
async function freshConfig(kind: StoreKind, env: Record<string, string> = {}): Promise<{ config: Config; drop: () => Promise<void> }> {
  const { testing } = descriptorOf(kind);
  const server = servers[kind]?.env ?? {};
  if (testing.reset && testing.database(server, 'probe').shared) await testing.reset(server);
  const own = testing.database(server, `agora_transfer_${process.pid}_${++databases}`, { dir: scratch });
  await own.create();
  const { config, drop } = await testConfig(kind, { ...own.env, ...env });
  return {
    config,
    async drop() {
      await drop();
      await own.drop();
    },
  };
}

/** A clock on a fixed UTC day (the daily limit is about "that day"), a millisecond further at every read. */
function steppingClock() {
  let at = Date.parse('2026-06-15T09:00:00.000Z');
  return { now: () => new Date((at += 1)) };
}

interface Dataset {
  alice: Session;
  bob: Session;
  carol: Session;
  celebrity: Session;
  quoteId: string;
  repostId: string;
  blogId: string;
  listingId: string;
}

async function ok(app: FastifyInstance, method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown, headers?: Record<string, string>) {
  const res = await app.inject({ method, url, ...(payload === undefined ? {} : { payload: payload as object }), ...(headers ? { headers } : {}) });
  if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string }>();
}

/** Writes the edge cases through the API. */
async function seed(app: FastifyInstance): Promise<Dataset> {
  const [alice, bob, carol, celebrity] = [
    await signUp(app, `ZoE${Date.now().toString(36).slice(-6)}`),
    await signUp(app),
    await signUp(app),
    await signUp(app),
  ];
  for (const fan of [alice, bob, carol]) await app.inject({ method: 'POST', url: `/api/users/${celebrity!.username}/follow`, headers: fan.headers });
  for (let i = 0; i < 25; i++) {
    const fan = await signUp(app);
    await app.inject({ method: 'POST', url: `/api/users/${celebrity!.username}/follow`, headers: fan.headers });
  }
  await app.inject({ method: 'POST', url: `/api/users/${bob!.username}/follow`, headers: alice!.headers });
  const first = await ok(app, 'POST', '/api/posts', { content: 'héllo 👋🏽 wörld, ça va? 日本語' }, alice!.headers);
  const quote = await ok(app, 'POST', '/api/posts', { quote_of: first.id, content: '« quoted » 🎉' }, bob!.headers);
  const repost = await ok(app, 'POST', '/api/posts', { repost_of: quote.id }, carol!.headers);
  await ok(app, 'POST', '/api/posts', { quote_of: repost.id, content: 'a quote of a repost' }, celebrity!.headers);
  // Alice reaches the daily limit.
  for (let i = 0; i < 4; i++) await ok(app, 'POST', '/api/posts', { content: `alice ${i} ✓` }, alice!.headers);
  const articles = Array.from({ length: 50 }, (_, i) => ({ title: `Article ${i} — ü`, content: `<p>Body <strong>${i}</strong> 🚀</p>` }));
  const blog = await ok(app, 'POST', '/api/blogs', { name: 'Ünïcode blog', slug: `blog-${Date.now().toString(36)}`, articles }, alice!.headers);
  const listed = await ok(app, 'GET', `/api/blogs/${blog.id}/articles?limit=5`);
  for (const article of (listed as unknown as { items: Array<{ id: string }> }).items.slice(0, 3)) {
    for (let v = 0; v < 3; v++) await ok(app, 'GET', `/api/articles/${article.id}`);
  }
  const listing = await ok(app, 'POST', '/api/listings', listingBody({ name: 'Maison à Évry' }), bob!.headers);
  for (let i = 1; i <= 30; i++) await ok(app, 'PUT', `/api/listings/${listing.id}`, listingBody({ name: 'Maison à Évry', latest_price_eur: 100_000 + i * 1_000.5 }), bob!.headers);
  return { alice: alice!, bob: bob!, carol: carol!, celebrity: celebrity!, quoteId: quote.id, repostId: repost.id, blogId: blog.id, listingId: listing.id };
}

/** Every page of a paginated GET, following next_cursor. */
async function allPages(app: FastifyInstance, url: string, headers?: Record<string, string>): Promise<unknown[]> {
  const pages: unknown[] = [];
  for (let cursor: string | null = null; ; ) {
    const sep = url.includes('?') ? '&' : '?';
    const res: LightMyRequestResponse = await app.inject({ method: 'GET', url: cursor ? `${url}${sep}cursor=${cursor}` : url, ...(headers ? { headers } : {}) });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    const body: { next_cursor: string | null } = res.json();
    pages.push(body);
    cursor = body.next_cursor;
    if (!cursor) return pages;
  }
}

/** The fixed set of reads both sides must answer alike; `headers` for the following feed. */
async function answers(app: FastifyInstance, d: Dataset, headers: Record<string, string>) {
  const get = async (url: string) => (await app.inject({ method: 'GET', url })).json<unknown>();
  return {
    profiles: await Promise.all([d.alice, d.celebrity].map((u) => get(`/api/users/${u.username}`))),
    followers: await allPages(app, `/api/users/${d.celebrity.username}/followers?limit=7`),
    feed: await allPages(app, '/api/posts?limit=3'),
    following: await allPages(app, '/api/posts?following=true&limit=2', headers),
    post: await get(`/api/posts/${d.repostId}`),
    blog: await get(`/api/blogs/${d.blogId}?include=articles`),
    articles: await allPages(app, `/api/blogs/${d.blogId}/articles?limit=20`),
    listing: await get(`/api/listings/${d.listingId}`),
    prices: await get(`/api/listings/${d.listingId}/prices`),
  };
}

async function logIn(app: FastifyInstance, username: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/sessions', payload: { username, password: PASSWORD } });
  expect(res.statusCode, res.body).toBe(201);
  return { authorization: `Bearer ${res.json<{ token: string }>().token}` };
}

/** The rules hold on `app`: Alice's 6th post of the day is refused; Carol cannot repost the quote again. */
async function expectRulesHold(app: FastifyInstance, d: Dataset): Promise<void> {
  const alice = await logIn(app, d.alice.username);
  expect((await app.inject({ method: 'POST', url: '/api/posts', payload: { content: 'sixth' }, headers: alice })).statusCode).toBe(429);
  const carol = await logIn(app, d.carol.username);
  expect((await app.inject({ method: 'POST', url: '/api/posts', payload: { repost_of: d.quoteId }, headers: carol })).statusCode).toBe(409);
}

const openApp = (config: Config) => buildApp(config, { logger: false, clock: steppingClock(), loadShedding: { maxEventLoopDelay: 0 } });

describe.runIf(available.length === KINDS.length)('transfer between stores', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  for (const from of KINDS) {
    describe(`from ${from}`, () => {
      let source: { config: Config; drop: () => Promise<void> };
      let app: FastifyInstance;
      let sourceStore: Store;
      let data: Dataset;
      let expected: Awaited<ReturnType<typeof answers>>;

      beforeAll(async () => {
        source = await freshConfig(from);
        app = await openApp(source.config);
        data = await seed(app);
        expected = await answers(app, data, await logIn(app, data.alice.username));
        sourceStore = await createStore(from, source.config);
      }, 300_000);
      afterAll(async () => {
        await sourceStore?.close();
        await app?.close();
        await source?.drop();
      });

      for (const to of KINDS.filter((k) => k !== from)) {
        it(`to ${to}: equal digests, the same answers, the rules still hold`, async () => {
          // A single-database target server is emptied: the source is never on it (from !== to).
          const target = await freshConfig(to);
          const targetStore = await createStore(to, target.config);
          try {
            await targetStore.migrate();
            await copyModules(sourceStore, targetStore, { modules: MODULES, batch: 7, resume: false });
            expect(await summarize(targetStore, MODULES)).toEqual(await summarize(sourceStore, MODULES));
            const moved = await openApp(target.config);
            try {
              expect(await answers(moved, data, await logIn(moved, data.alice.username))).toEqual(expected);
              await expectRulesHold(moved, data);
            } finally {
              await moved.close();
            }
          } finally {
            await targetStore.close();
            await target.drop();
          }
        }, 300_000);
      }

      it('refuses a target that already holds data, and finishes an interrupted transfer with resume', async () => {
        const to = KINDS.find((k) => k !== from)!;
        const target = await freshConfig(to);
        const targetStore = await createStore(to, target.config);
        try {
          await targetStore.migrate();
          let batches = 0;
          const interrupted = copyModules(sourceStore, targetStore, {
            modules: MODULES,
            batch: 5,
            resume: false,
            progress: {
              start: () => {},
              advance: (module: ModuleName) => {
                if (module === 'posts' && ++batches === 1) throw new Error('killed midway');
              },
              finish: () => {},
            },
          });
          await expect(interrupted).rejects.toThrow('killed midway');
          await expect(copyModules(sourceStore, targetStore, { modules: MODULES, batch: 5, resume: false })).rejects.toThrow(TransferError);
          await copyModules(sourceStore, targetStore, { modules: MODULES, batch: 5, resume: true });
          expect(await summarize(targetStore, MODULES)).toEqual(await summarize(sourceStore, MODULES));
        } finally {
          await targetStore.close();
          await target.drop();
        }
      }, 300_000);

      it('export then import into an empty store of the same kind gives the same digests', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'agora-archive-'));
        const file = join(dir, 'backup.jsonl.gz');
        try {
          const exported = await exportArchive(() => sourceStore, MODULES, file, 6);
          expect(exported).toEqual(await summarize(sourceStore, MODULES));
          const shared = descriptorOf(from).testing.database(servers[from]?.env ?? {}, 'probe').shared;
          // A single-database server restores into itself, emptied (the source is read again from the archive only).
          const target = shared ? source : await freshConfig(from);
          if (shared) await descriptorOf(from).testing.reset!(servers[from]!.env!);
          const targetStore = shared ? sourceStore : await createStore(from, target.config);
          try {
            await targetStore.migrate();
            const { expected: inArchive, read } = await importArchive(() => targetStore, file, { batch: 4, resume: false });
            expect(read).toEqual(inArchive);
            expect(await summarize(targetStore, MODULES)).toEqual(exported);
          } finally {
            if (!shared) {
              await targetStore.close();
              await target.drop();
            }
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }, 300_000);
    });
  }

  it('moves follows alone from postgres to neo4j, and the service then answers the same with STORAGE_FOLLOWS=neo4j', async () => {
    const source = await freshConfig('postgres');
    const app = await openApp(source.config);
    try {
      const data = await seed(app);
      const expected = await answers(app, data, await logIn(app, data.alice.username));
      const { testing } = descriptorOf('neo4j');
      await testing.reset!(servers.neo4j!.env!);
      // The same PostgreSQL database as the source, follows in Neo4j (testConfig's own fresh database goes unused).
      const { config, drop: dropUnused } = await testConfig('postgres', {
        ...servers.neo4j!.env,
        STORAGE_FOLLOWS: 'neo4j',
        DATABASE_URL: (source.config.stores.postgres as { url: string }).url,
      });
      await dropUnused();
      const from = await createStore('postgres', source.config);
      const to = await createStore('neo4j', config);
      try {
        await to.migrate();
        await copyModules(from, to, { modules: ['follows'], batch: 10, resume: false });
        expect(await summarize(to, ['follows'])).toEqual(await summarize(from, ['follows']));
      } finally {
        await Promise.all([from.close(), to.close()]);
      }
      const moved = await openApp(config);
      try {
        expect(config.storage.follows).toBe('neo4j');
        expect(await answers(moved, data, await logIn(moved, data.alice.username))).toEqual(expected);
      } finally {
        await moved.close();
      }
    } finally {
      await app.close();
      await source.drop();
    }
  }, 300_000);
});
