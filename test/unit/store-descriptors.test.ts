import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defineStore, type StoreDescriptor } from '../../adapters/shared/store.js';
import { ConfigError, loadConfig, MODULES } from '../../internal/app/config.js';
import { STORES } from '../../internal/app/registry.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** A store that holds only follows, to see config refuse it for anything else. */
const followsOnly = defineStore({
  kind: 'followsonly',
  variables: [],
  location: 'FOLLOWSONLY_URL',
  locate: () => undefined,
  modules: ['follows'],
  settings: () => ({}),
  open: () => Promise.reject(new Error('not opened in this test')),
  testing: { database: () => ({ env: {}, create: async () => {}, drop: async () => {} }) },
});

const registry: readonly StoreDescriptor[] = [...STORES, followsOnly];

describe('store descriptors', () => {
  it('when the registry is read, then each kind appears once and names a location variable it reads', () => {
    const kinds = STORES.map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const d of STORES) expect(d.variables).toContain(d.location);
  });

  it('when a store needs a server, then its service script exists', () => {
    for (const d of STORES) if (d.testing.server) expect(existsSync(resolve(ROOT, d.testing.server.script)), d.testing.server.script).toBe(true);
  });

  it('when a module is assigned to a store that does not provide it, then config refuses it and names the stores that do', () => {
    const providers = STORES.filter((d) => d.modules.includes('posts')).map((d) => d.kind).join(', ');
    expect(() => loadConfig({ STORAGE_POSTS: 'followsonly' }, registry)).toThrow(
      new ConfigError(`STORAGE_POSTS="followsonly" is invalid: the followsonly store does not provide posts (stores that do: ${providers})`),
    );
    expect(() => loadConfig({ STORAGE: 'followsonly' }, registry)).toThrow(/^STORAGE="followsonly" is invalid: the followsonly store does not provide users/);
  });

  it('when a store provides a single module, then that module alone may live there', () => {
    const config = loadConfig({ STORAGE_FOLLOWS: 'followsonly' }, registry);
    expect(config.storage.follows).toBe('followsonly');
    expect(MODULES.filter((m) => m !== 'follows').map((m) => config.storage[m])).toEqual(MODULES.slice(1).map(() => STORES[0].kind));
  });

  it('when a store is not used, then its variables are not read', () => {
    const unused = STORES.filter((d) => d !== STORES[0]);
    const garbage = Object.fromEntries(unused.map((d) => [d.location, 'not a url']));
    expect(loadConfig(garbage).storage.users).toBe(STORES[0].kind);
  });

  it('when the service starts on the default store, then no other store driver is imported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agora-drivers-'));
    try {
      const script = join(dir, 'probe.mts');
      const url = (path: string) => pathToFileURL(resolve(ROOT, path)).href;
      writeFileSync(
        script,
        `import { createRequire } from 'node:module';
const { loadConfig } = await import(${JSON.stringify(url('internal/app/config.ts'))});
const { openStores, closeStores } = await import(${JSON.stringify(url('internal/app/stores.ts'))});
const stores = await openStores(loadConfig({}), () => {});
const loaded = Object.keys(createRequire(import.meta.url).cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]);
process.stdout.write(JSON.stringify([...new Set(loaded.filter(Boolean))]));
await closeStores(stores);
`,
      );
      const result = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      const loaded = JSON.parse(result.stdout) as string[];
      expect(loaded).toContain('better-sqlite3');
      for (const driver of ['pg', 'mongodb', 'neo4j-driver', 'ioredis']) expect(loaded).not.toContain(driver);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
