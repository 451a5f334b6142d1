import type { Database as SqliteConnection } from 'better-sqlite3';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../adapters/sql/sql-store.js';
import { buildContainer } from '../../internal/app/container.js';
import { portOf } from '../../internal/app/modules/module.js';
import type { Stores } from '../../internal/app/stores.js';
import type { TimelineStore } from '../../internal/domain/timelines/timeline-store.js';
import { newId } from '../support/builders.js';
import { describeEachStore, openTestStore, type TestStore } from '../support/store-matrix.js';

const FULL = 2;

/** The store's SQLite connection, with every pragma call it gets from now on recorded. */
function recordPragmas(store: TestStore['store']): { connection: SqliteConnection; calls: string[] } {
  const connection = (store as unknown as { sqlite: SqliteConnection }).sqlite;
  const calls: string[] = [];
  const pragma = connection.pragma.bind(connection);
  connection.pragma = ((source: string, options?: { simple?: boolean }) => {
    calls.push(source);
    return pragma(source, options);
  }) as SqliteConnection['pragma'];
  return { connection, calls };
}

describe('SQLite timelines beside the posts and follows they follow', () => {
  let t: TestStore;
  let recorded: ReturnType<typeof recordPragmas>;
  beforeAll(async () => {
    t = await openTestStore('sqlite');
    recorded = recordPragmas(t.store);
  });
  afterAll(() => t?.close());

  it('when a timeline write runs, then it alone commits with synchronous = NORMAL: queries waiting meanwhile, and every later one, find FULL', async () => {
    const relaxed = t.store.timelinesBesideTheirWrites!()!;
    const db = (t.store as unknown as SqlStore).db;
    expect(recorded.connection.pragma('synchronous', { simple: true })).toBe(FULL);
    recorded.calls.length = 0;
    const reader = newId();
    const writes = [relaxed.open(reader, new Date(), new Date(Date.now() - 60_000)), relaxed.enqueue({ kind: 'build', readerId: reader }, new Date())];
    // Issued while the writes hold the connection: they wait, and commit after them, at FULL.
    const seen = await Promise.all(Array.from({ length: 5 }, () => sql<{ synchronous: number }>`pragma synchronous`.execute(db).then((r) => r.rows[0]!.synchronous)));
    await Promise.all(writes);
    expect(seen).toEqual([FULL, FULL, FULL, FULL, FULL]);
    expect(recorded.calls.filter((c) => c !== 'synchronous')).toEqual(['synchronous = NORMAL', `synchronous = ${FULL}`, 'synchronous = NORMAL', `synchronous = ${FULL}`]);
    expect(recorded.connection.pragma('synchronous', { simple: true })).toBe(FULL);
  });

  it('when a relaxed write fails, then the connection is back to FULL', async () => {
    const relaxed = t.store.timelinesBesideTheirWrites!()!;
    const db = (t.store as unknown as SqlStore).db;
    await sql`create trigger refuse_jobs before insert on timeline_jobs begin select raise(abort, 'refused'); end`.execute(db);
    try {
      await expect(relaxed.enqueue({ kind: 'build', readerId: newId() }, new Date())).rejects.toThrow();
    } finally {
      await sql`drop trigger refuse_jobs`.execute(db);
    }
    expect(recorded.connection.pragma('synchronous', { simple: true })).toBe(FULL);
  });

  it('when the plain port writes, then it commits as the connection does (no pragma)', async () => {
    recorded.calls.length = 0;
    await t.store.ports.timelines().enqueue({ kind: 'build', readerId: newId() }, new Date());
    expect(recorded.calls).toEqual([]);
  });

  it('when timelines, posts and follows share the store, then the timelines port the app wires is the relaxed one; when posts or follows live elsewhere, the plain one', async () => {
    const stores: Stores = new Map([['sqlite', t.store]]);
    const enqueueOnce = async (storage: TestStore['config']['storage']) => {
      recorded.calls.length = 0;
      const timelines: TimelineStore = portOf(buildContainer({ ...t.config, storage }, stores), 'timelines');
      await timelines.enqueue({ kind: 'build', readerId: newId() }, new Date());
      return [...recorded.calls];
    };
    expect(await enqueueOnce(t.config.storage)).toContain('synchronous = NORMAL');
    expect(await enqueueOnce({ ...t.config.storage, follows: 'postgres' })).toEqual([]);
    expect(await enqueueOnce({ ...t.config.storage, posts: 'postgres' })).toEqual([]);
  });
});

describeEachStore(
  'Stores without a cheaper timelines port',
  (kind) => {
    it('answers none', async () => {
      const t = await openTestStore(kind);
      try {
        expect(t.store.timelinesBesideTheirWrites?.()).toBeUndefined();
      } finally {
        await t.close();
      }
    });
  },
  ['postgres', 'mongodb', 'neo4j', 'redis'],
);
