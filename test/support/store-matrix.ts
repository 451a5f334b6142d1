import { describe, inject } from 'vitest';
import type { BulkSeeder, ModuleName, PortFactories } from '../../adapters/shared/store.js';
import { loadConfig, type Config, type StoreKind } from '../../internal/app/config.js';
import { descriptorOf, STORES } from '../../internal/app/registry.js';
import { createStore, type Store } from '../../internal/app/stores.js';
import { freshDatabase } from './fresh-database.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

/** A store as the contract suites use it: the port of each module a suite runs it for, and the bulk path. */
export type TestedStore = Store & { ports: PortFactories; bulkSeeder(): BulkSeeder };

export interface TestStore {
  kind: StoreKind;
  store: TestedStore;
  config: Config;
  close(): Promise<void>;
}

/**
 * A config for the test run whose every module lives in a fresh database of `kind`, and the
 * environment it was read from (a suite may change a variable and read it again).
 */
export async function testConfig(
  kind: StoreKind,
  env: Record<string, string> = {},
): Promise<{ config: Config; env: Record<string, string>; drop: () => Promise<void> }> {
  const server = inject('servers')[kind];
  if (!server?.env || server.skipped) throw new Error(`store ${kind} is not available in this run`);
  const fresh = await freshDatabase(kind, server.env);
  const all: Record<string, string> = {
    NODE_ENV: 'test',
    // The modules the store provides live in it, any other (Redis holds only timelines) in
    // the default in-memory SQLite.
    ...Object.fromEntries(descriptorOf(kind).modules.map((m) => [`STORAGE_${m.toUpperCase()}`, kind])),
    AUTO_MIGRATE: 'true',
    AUTH_SECRET: TEST_SECRET,
    PASSWORD_HASH_LOG2_COST: '10',
    LOG_LEVEL: 'silent',
    PG_POOL_SIZE: '20',
    // Suites sign up many users from one address; the throttling suite turns these back on.
    // FerretDB counts 50 parallel views of one article by retried inserts, which can take more
    // than the 5 s default under a loaded test run; the outage suites set their own short limit.
    STORE_TIMEOUT_MS: '20000',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    LOGIN_FAILURE_LIMIT: '0',
    ...server.env,
    ...fresh.env,
    ...env,
  };
  try {
    return { config: loadConfig(all), env: all, drop: fresh.drop };
  } catch (err) {
    await fresh.drop();
    throw err;
  }
}

/** A migrated store of `kind` on a fresh database. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const { config, drop } = await testConfig(kind);
  const store = (await createStore(kind, config)) as TestedStore;
  await store.migrate();
  return {
    kind,
    store,
    config,
    async close() {
      await store.close();
      await drop();
    },
  };
}

/**
 * Runs `body` once per store of this build. A store with no server in this run is shown
 * as skipped with its reason (and the run fails earlier under REQUIRE_ALL_STORES=1).
 */
export function describeEachStore(title: string, body: (kind: StoreKind) => void, only: readonly StoreKind[] = STORES.map((d) => d.kind)): void {
  const servers = inject('servers');
  for (const kind of STORES.map((d) => d.kind).filter((k) => only.includes(k))) {
    const skipped = servers[kind]?.skipped;
    if (skipped) describe.skip(`${title} [${kind}] (skipped: ${skipped})`, () => body(kind));
    else describe(`${title} [${kind}]`, () => body(kind));
  }
}

/** The stores whose descriptor provides every one of `modules`: a port's contract suite runs on these. */
export function providing(...modules: ModuleName[]): StoreKind[] {
  return STORES.filter((d) => modules.every((m) => d.modules.includes(m))).map((d) => d.kind);
}

/**
 * Skips the running test, printing why, when its store reports that it lacks `flag` (see
 * `Store.capabilities`, e.g. MongoDB's `transactions` on a standalone server or FerretDB v1).
 * Call it first thing in a test that needs the capability: `await requireCapability(t, 'x', ctx)`.
 */
export async function requireCapability(t: TestStore, flag: string, ctx: { skip: (note?: string) => never }): Promise<void> {
  const capabilities = await t.store.capabilities?.();
  if (capabilities?.flags[flag] === false) {
    const note = `${t.kind} server (${capabilities.server} ${capabilities.version}) lacks "${flag}"`;
    console.warn(`[stores] skipping a test: ${note}`);
    ctx.skip(note);
  }
}
