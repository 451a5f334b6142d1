import { sql, type CompiledQuery, type KyselyPlugin, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqlFollowRepository } from '../../adapters/sql/follow-repository.js';
import type { SqlStore } from '../../adapters/sql/sql-store.js';
import { createStore } from '../../internal/app/stores.js';
import { newId } from '../support/builders.js';
import { describeEachStore, testConfig } from '../support/store-matrix.js';

/** Keeps the operation tree of every query a repository runs, to compile it again here. */
class Captured implements KyselyPlugin {
  readonly nodes: RootOperationNode[] = [];
  transformQuery({ node }: { node: RootOperationNode }): RootOperationNode {
    this.nodes.push(node);
    return node;
  }
  async transformResult<R>({ result }: { result: R }): Promise<R> {
    return result;
  }
}

/**
 * The plans of the hot reads whose speed rests on an index holding every column they read:
 * a plan that goes back to the table for each row costs ten times as much at scale (see
 * migration 007), and nothing else would notice it.
 */
describeEachStore(
  'SQL query plans',
  (kind) => {
    let store: SqlStore;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const made = await testConfig(kind);
      drop = made.drop;
      store = (await createStore(kind, made.config)) as unknown as SqlStore;
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await drop?.();
    });

    /** The plan of `query` as the database gives it, as one text (SQLite: its details; PostgreSQL: its JSON). */
    async function planOf(query: CompiledQuery): Promise<string> {
      if (kind === 'sqlite') {
        const rows = await store.db.executeQuery<{ detail: string }>({ ...query, sql: `explain query plan ${query.sql}` });
        return rows.rows.map((r) => r.detail).join('\n');
      }
      // Tables this small are read whole unless the planner is told not to: the test asks which index can answer alone.
      return store.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        await sql`set local enable_bitmapscan = off`.execute(trx);
        const rows = await trx.executeQuery<{ 'QUERY PLAN': unknown }>({ ...query, sql: `explain (format json) ${query.sql}` });
        return JSON.stringify(rows.rows[0]!['QUERY PLAN']);
      });
    }

    async function plansOfCalls(call: (follows: SqlFollowRepository) => Promise<unknown>): Promise<string[]> {
      const captured = new Captured();
      const db = store.db.withPlugin(captured);
      await call(new SqlFollowRepository(db, kind === 'sqlite' ? 'sqlite' : 'postgres'));
      expect(captured.nodes.length).toBeGreaterThan(0);
      const plans: string[] = [];
      for (const node of captured.nodes) plans.push(await planOf(store.db.getExecutor().compileQuery(node, { queryId: '' } as never)));
      return plans;
    }

    it('when a page of followers or followees is read, then the follow-list index answers it alone (no row of the table is read)', async () => {
      const [followers, following] = await Promise.all([
        plansOfCalls((f) => f.followers(newId(), { limit: 1000 })),
        plansOfCalls((f) => f.following(newId(), { limit: 1000, before: newId() })),
      ]);
      const covered = kind === 'sqlite' ? (index: string) => new RegExp(`USING COVERING INDEX ${index}\\b`) : (index: string) => new RegExp(`"Node Type":"Index Only Scan".*"Index Name":"${index}"`);
      for (const plan of followers) expect(plan).toMatch(covered('follows_by_followee'));
      for (const plan of following) expect(plan).toMatch(covered('follows_by_follower'));
    });
  },
  ['sqlite', 'postgres'],
);
