import { errorReason, exitOnStartupError, failWith, parseCommandLine } from '../internal/app/cli.js';
import { loadConfig, type Config, type StoreKind } from '../internal/app/config.js';
import { descriptorOf } from '../internal/app/registry.js';
import { closeStores, createStore, openStores, type Store } from '../internal/app/stores.js';

const USAGE = `Usage: npm run migrate -- [status | --status | --dry-run]

Brings the schema of every store the configuration uses up to date. The stores are chosen as for
"npm start": STORAGE, STORAGE_<MODULE> and each store's location (SQLITE_PATH, DATABASE_URL, ...).

  (no argument)      apply every pending migration, printing what it applied to each store
  status, --status   list each store's modules and pending migrations; apply nothing
  --dry-run          print the migrations that would be applied; apply nothing
  -h, --help         print this help and exit

Exit status: 0 done; 1 a variable is bad or a store cannot be reached or opened (one line on
stderr naming the variable); 2 a bad command line.`;

const cli = parseCommandLine({
  command: 'migrate',
  usage: USAGE,
  options: { status: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  positionals: ['status'],
});
if (cli.positionals.length > 1) cli.fail('give "status" once');
const status = cli.values.status === true || cli.positionals.includes('status');
const dryRun = cli.values['dry-run'] === true;
if (status && dryRun) cli.fail('status and --dry-run cannot be combined (both apply nothing; status also lists the modules)');

/** The modules each used store holds, in config order. */
function modulesByStore(config: Config): Map<StoreKind, string[]> {
  const byStore = new Map<StoreKind, string[]>();
  for (const [module, kind] of Object.entries(config.storage) as Array<[string, StoreKind]>) {
    byStore.set(kind, [...(byStore.get(kind) ?? []), module]);
  }
  return byStore;
}

/** Opens `kind` and checks it answers, without migrating; a failure is one line naming its variable. */
async function openForReading(kind: StoreKind, config: Config): Promise<Store> {
  const { location } = descriptorOf(kind);
  let store: Store;
  try {
    store = await createStore(kind, config);
  } catch (err) {
    failWith('agora', `${location}: cannot open the ${kind} store: ${errorReason(err)}`);
  }
  try {
    await store.ping();
  } catch (err) {
    await store.close().catch(() => {});
    failWith('agora', `${location}: cannot reach the ${kind} store: ${errorReason(err)}`);
  }
  return store;
}

/** Reports each store's pending migrations and applies nothing. */
async function inspect(config: Config): Promise<void> {
  for (const [kind, modules] of modulesByStore(config)) {
    const store = await openForReading(kind, config);
    try {
      const pending = await store.pendingMigrations();
      const inMemory = descriptorOf(kind).migrateAtStart?.(config.stores[kind]) === true;
      const note = inMemory ? ' (in memory: every start begins empty and migrates)' : '';
      if (dryRun) {
        console.log(pending.length === 0 ? `${kind}: nothing to apply${note}` : `${kind}: would apply ${pending.join(', ')}${note}`);
      } else {
        const state = pending.length === 0 ? 'up to date' : `${pending.length} pending: ${pending.join(', ')}`;
        console.log(`${kind} (${modules.join(', ')}): ${state}${note}`);
      }
    } finally {
      await store.close();
    }
  }
}

try {
  const config = loadConfig({ ...process.env, AUTO_MIGRATE: status || dryRun ? 'false' : 'true' });
  if (status || dryRun) {
    await inspect(config);
  } else {
    const stores = await openStores(config, (store, names) => console.log(`${store}: applied ${names.join(', ')}`));
    console.log(`schema up to date in ${[...stores.keys()].join(', ')}`);
    await closeStores(stores);
  }
} catch (err) {
  exitOnStartupError(err);
  throw err;
}
