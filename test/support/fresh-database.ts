import { randomBytes } from 'node:crypto';
import type { IsolatedDatabase } from '../../adapters/shared/store.js';
import { descriptorOf } from '../../internal/app/registry.js';

export interface FreshDatabase {
  /** Variables that point the store at a database no other test or run uses. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `agora_test_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/**
 * A fresh, isolated database on the server of `kind` (by its descriptor's recipe), so tests
 * never see each other's rows. A single-database server was reset once at the run's start
 * (global-setup.ts), and suites keep apart there by their own random data.
 */
export async function freshDatabase(kind: string, server: Record<string, string>): Promise<FreshDatabase> {
  const database: IsolatedDatabase = descriptorOf(kind).testing.database(server, uniqueName());
  await database.create();
  return { env: database.env, drop: () => database.drop() };
}
