import { afterAll, beforeAll, expect, it } from 'vitest';
import { descriptorOf } from '../../internal/app/registry.js';
import { describeEachStore, openTestStore, type TestStore } from '../support/store-matrix.js';

describeEachStore('Store ports', (kind) => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore(kind);
  });
  afterAll(() => t?.close());

  it('when a store is open, then it gives the port of exactly the modules its descriptor provides', () => {
    expect(Object.keys(t.store.ports).sort()).toEqual([...descriptorOf(kind).modules].sort());
    for (const module of descriptorOf(kind).modules) expect(typeof t.store.ports[module]!()).toBe('object');
  });
});
