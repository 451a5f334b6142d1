import { mongodb } from '../../adapters/document/descriptor.js';
import { neo4j } from '../../adapters/graph/descriptor.js';
import { redis } from '../../adapters/redis/descriptor.js';
import { postgres, sqlite } from '../../adapters/sql/descriptor.js';
import type { StoreDescriptor } from '../../adapters/shared/store.js';

/** Every store this build can serve; the first is the default of STORAGE (in-memory SQLite serves a newcomer). */
export const STORES = [sqlite, postgres, mongodb, neo4j, redis] as const;

export type StoreKind = (typeof STORES)[number]['kind'];

export const DEFAULT_STORE: StoreDescriptor = STORES[0];

/** The descriptor of `kind`, which config has already checked is one of STORES. */
export function descriptorOf(kind: string): StoreDescriptor {
  const found = STORES.find((d) => d.kind === kind);
  if (!found) throw new Error(`no store of kind "${kind}" in the registry`);
  return found;
}
