import { describe, inject } from 'vitest';
import { loadConfig, SUPPORTED_STORES, type Config, type StoreKind } from '../../internal/app/config.js';
import { createStore, type Store } from '../../internal/app/stores.js';
import { freshDatabase } from './fresh-database.js';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

const URL_VARIABLE: Partial<Record<StoreKind, string>> = { postgres: 'DATABASE_URL', mongodb: 'MONGODB_URL', neo4j: 'NEO4J_URL' };

export interface TestStore {
  kind: StoreKind;
  store: Store;
  config: Config;
  close(): Promise<void>;
}

/** A config for the test run whose every module lives in a fresh database of `kind`. */
export async function testConfig(kind: StoreKind, env: Record<string, string> = {}): Promise<{ config: Config; drop: () => Promise<void> }> {
  const server = inject('servers')[kind];
  if (!server || server.skipped) throw new Error(`store ${kind} is not available in this run`);
  const fresh = await freshDatabase(kind, server.url);
  const variable = URL_VARIABLE[kind];
  const config = loadConfig({
    NODE_ENV: 'test',
    STORAGE: kind,
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
    ...(variable && fresh.url ? { [variable]: fresh.url } : {}),
    ...(kind === 'neo4j' ? { NEO4J_USER: server.user ?? 'neo4j', NEO4J_PASSWORD: server.password ?? '' } : {}),
    ...env,
  });
  return { config, drop: fresh.drop };
}

/** A migrated store of `kind` on a fresh database. */
export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const { config, drop } = await testConfig(kind);
  const store = createStore(kind, config);
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
export function describeEachStore(title: string, body: (kind: StoreKind) => void, only: readonly StoreKind[] = SUPPORTED_STORES): void {
  const servers = inject('servers');
  for (const kind of SUPPORTED_STORES.filter((k) => only.includes(k))) {
    const skipped = servers[kind]?.skipped;
    if (skipped) describe.skip(`${title} [${kind}] (skipped: ${skipped})`, () => body(kind));
    else describe(`${title} [${kind}]`, () => body(kind));
  }
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
