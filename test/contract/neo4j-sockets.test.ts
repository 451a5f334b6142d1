import { afterAll, expect, inject, it } from 'vitest';
import { openTestStore, describeEachStore, type TestStore } from '../support/store-matrix.js';
import { recordNoDelay } from '../support/no-delay.js';

describeEachStore(
  'the Neo4j store’s connections',
  (kind) => {
    let t: TestStore | undefined;
    const recorded = recordNoDelay();
    afterAll(async () => {
      recorded.stop();
      await t?.close();
    });

    it('have Nagle’s algorithm off (TCP_NODELAY), which neo4j-driver leaves on', async () => {
      t = await openTestStore(kind);
      await t.store.ports.users().findByUsername('nobody');
      const port = Number(new URL(inject('servers')[kind]!.env!.NEO4J_URL!).port || 7687);
      const toNeo4j = [...recorded.calls].filter(([socket]) => socket.remotePort === port);
      expect(toNeo4j.length).toBeGreaterThan(0);
      for (const [, calls] of toNeo4j) expect(calls).toContain(true);
    });
  },
  ['neo4j'],
);
