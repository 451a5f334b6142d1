import { MongoClient, type Collection } from 'mongodb';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { advance, newToken, versionId } from '../../adapters/document/chain.js';
import { databaseName } from '../../adapters/document/mongo-store.js';
import { describeEachStore, testConfig } from '../support/store-matrix.js';

interface Step {
  _id: string;
  key: string;
  v: number;
  n: number;
  t?: string;
}

describeEachStore(
  'version chains (counters and jobs where updates are not isolated)',
  (kind) => {
    let client: MongoClient;
    let drop: () => Promise<void>;
    let steps: Collection<Step>;
    beforeAll(async () => {
      const test = await testConfig(kind);
      drop = test.drop;
      const { url } = test.config.stores.mongodb as { url: string };
      client = new MongoClient(url);
      await client.connect();
      steps = client.db(databaseName(url)).collection<Step>('chain_probe');
    });
    afterAll(async () => {
      await client?.close();
      await drop?.();
    });

    const step = (key: string, v: number, n: number) => ({ _id: versionId(key, v), key, v, n });

    it('when a chain is started again under a freed _id, then a writer that read that _id long ago does not count its step', async () => {
      const first = { ...step('a', 0, 0), t: newToken() };
      await steps.insertOne(first);
      const readLongAgo = (await steps.findOne({ _id: first._id }))!;
      expect(await advance(steps, first, step('a', 1, 1))).toBe(true);
      expect(await advance(steps, (await steps.findOne({ _id: versionId('a', 1) }))!, step('a', 2, 2))).toBe(true);
      // A writer that saw no version inserts version 0 again: its _id was freed by the first step.
      await steps.insertOne({ ...step('a', 0, 0), t: newToken() });
      // The stale writer's step: version 1's _id is free again too, and a version 0 exists, but
      // not the one it read.
      expect(await advance(steps, readLongAgo, step('a', 1, 1))).toBe(false);
      expect(await steps.findOne({ _id: versionId('a', 1) })).toBeNull();
      expect(await steps.findOne({ key: 'a' }, { sort: { v: -1 } })).toMatchObject({ v: 2, n: 2 });
    });

    it('when a head was written before versions had tokens, then it is still advanced, once', async () => {
      await steps.insertOne(step('b', 0, 5));
      const head = (await steps.findOne({ _id: versionId('b', 0) }))!;
      expect(await advance(steps, head, step('b', 1, 6))).toBe(true);
      expect(await advance(steps, head, step('b', 1, 6))).toBe(false);
      expect(await steps.find({ key: 'b' }).toArray()).toEqual([expect.objectContaining({ v: 1, n: 6 })]);
    });
  },
  ['mongodb'],
);
