import type { ModuleName, ModulePorts, Store } from '../../adapters/shared/store.js';
import { ConfigError, type Config, type StoreKind } from './config.js';
import { descriptorOf } from './registry.js';

export type { BulkSeeder, Store, StoreCapabilities } from '../../adapters/shared/store.js';

export type Stores = Map<StoreKind, Store>;

/** Opens (but does not check or migrate) the store of one kind, with the settings config parsed for it. */
export function createStore(kind: StoreKind, config: Config): Promise<Store> {
  return descriptorOf(kind).open(config.stores[kind], { timeoutMs: config.storeTimeoutMs });
}

/** The port of `module` from the store config assigned it (config checked the store provides it). */
export function modulePort<M extends ModuleName>(stores: Stores, config: Config, module: M): ModulePorts[M] {
  const kind = config.storage[module];
  const factory = stores.get(kind)?.ports[module];
  if (!factory) throw new Error(`the ${kind} store is not open or does not provide ${module}`);
  return factory();
}

function reason(err: unknown): string {
  const message = err instanceof Error ? err.message || err.name : String(err);
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${code} ${message}` : message;
}

/**
 * Opens every store some module uses, checks it answers and that its schema is current
 * (migrating it when the config, or the store itself, says so). Any failure is a ConfigError
 * naming the variable that says where the store is.
 */
export async function openStores(config: Config, onMigrated: (store: string, names: string[]) => void): Promise<Stores> {
  const stores: Stores = new Map();
  try {
    for (const kind of new Set(Object.values(config.storage))) {
      const descriptor = descriptorOf(kind);
      let store: Store;
      try {
        store = await createStore(kind, config);
      } catch (err) {
        throw new ConfigError(`${descriptor.location}: cannot open the ${kind} store: ${reason(err)}`);
      }
      stores.set(kind, store);
      try {
        await store.ping();
      } catch (err) {
        throw new ConfigError(`${descriptor.location}: cannot reach the ${kind} store: ${reason(err)}`);
      }
      if (config.autoMigrate || descriptor.migrateAtStart?.(config.stores[kind])) {
        const applied = await store.migrate();
        if (applied.length > 0) onMigrated(kind, applied);
      } else {
        const pending = await store.pendingMigrations();
        if (pending.length > 0) {
          throw new ConfigError(
            `${descriptor.location}: the ${kind} schema is behind (pending: ${pending.join(', ')}); run "npm run migrate" or set AUTO_MIGRATE=true`,
          );
        }
      }
    }
    return stores;
  } catch (err) {
    await closeStores(stores);
    throw err;
  }
}

/** The native bulk path of the store holding `module` (cmd/seed.ts). */
export function bulkSeederOf(stores: Stores, config: Config, module: ModuleName) {
  const kind = config.storage[module];
  const seeder = stores.get(kind)?.bulkSeeder?.();
  if (!seeder) throw new ConfigError(`STORAGE_${module.toUpperCase()}: the ${kind} store has no bulk path for seeding`);
  return seeder;
}

export async function closeStores(stores: Stores): Promise<void> {
  await Promise.allSettled([...stores.values()].map((s) => s.close()));
}
