import { failCommand, failWith, parseCommandLine } from '../internal/app/cli.js';
import { DATA_MODULES as MODULES, type DataModule as ModuleName } from '../internal/app/config.js';
import { moduleProgress } from '../internal/app/progress.js';
import { STORES } from '../internal/app/registry.js';
import { copyModules, openNamedStore, printComparison, summarize } from '../internal/app/transfer.js';

const USAGE = `Usage: npm run transfer -- --from STORE --to STORE [options]

Copies every record of the chosen modules from one store to another through each store's bulk
path, keeping ids, timestamps, password hashes, view counts, price histories and the daily-slot
and repost keys, then compares a count and an order-independent digest of each module on both
sides. It never writes the source; it refuses a target that already holds records of a module.
Sessions are not moved: users log in again on the new store.

STORE is a store kind (${STORES.map((d) => d.kind).join(', ')}: its location from the environment, as for
npm start) or a location: sqlite:./agora.db, postgres://user:pass@host:5432/db,
mongodb://host:27017/db, neo4j://host:7687 or bolt://host:7687 (credentials such as
NEO4J_USER and NEO4J_PASSWORD from the environment).

Options:
  --from STORE        where the data is (read only)
  --to STORE          where it goes (migrated first)
  --modules LIST      comma-separated, in any order (default: all: ${MODULES.join(',')})
  --batch N           records per batch (default 1000)
  --resume            finish an interrupted transfer: complete modules are skipped, the
                      unfinished one is written again (records already there are kept)
  --verify            only compare counts and digests of the two stores; writes nothing
  -h, --help          print this help and exit

Exit status: 0 when every module's count and digest match; 1 when they differ or a store
cannot be used; 2 for a bad command line.`;

const cli = parseCommandLine({
  command: 'transfer',
  usage: USAGE,
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    modules: { type: 'string' },
    batch: { type: 'string' },
    resume: { type: 'boolean' },
    verify: { type: 'boolean' },
  },
});
const from = cli.values.from ?? cli.fail('--from is required');
const to = cli.values.to ?? cli.fail('--to is required');
if (cli.values.resume && cli.values.verify) cli.fail('--resume and --verify do not go together');
const modules = parseModules(cli.values.modules);
const batch = cli.integer('batch', 1000, { min: 1, max: 100_000 });

function parseModules(list: string | undefined): ModuleName[] {
  if (list === undefined) return [...MODULES];
  const asked = list.split(',').map((m) => m.trim());
  const unknown = asked.filter((m) => !(MODULES as readonly string[]).includes(m));
  if (unknown.length > 0 || asked.length === 0) cli.fail(`unknown module(s) ${unknown.join(', ')}: expected some of ${MODULES.join(', ')}`);
  // Module order, whatever the order asked: posts reference users, and so on.
  return MODULES.filter((m) => asked.includes(m));
}

try {
  const timeoutMs = 600_000;
  const source = await openNamedStore(from, process.env, { timeoutMs, migrate: false });
  const target = await openNamedStore(to, process.env, { timeoutMs, migrate: !cli.values.verify }).catch(async (err: unknown) => {
    await source.close();
    throw err;
  });
  try {
    if (!cli.values.verify) {
      const progress = moduleProgress();
      const started = Date.now();
      try {
        await copyModules(source, target, { modules, batch, resume: cli.values.resume ?? false, progress });
      } finally {
        progress.stop();
      }
      console.log(`copied ${modules.join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s; verifying`);
    }
    const [left, right] = await Promise.all([summarize(source, modules), summarize(target, modules)]);
    if (!printComparison(left, right, console.log)) failWith('transfer', 'the stores differ (see above)');
  } finally {
    await Promise.allSettled([source.close(), target.close()]);
  }
} catch (err) {
  failCommand('transfer', err);
}
