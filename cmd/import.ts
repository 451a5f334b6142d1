import { failCommand, failWith, parseCommandLine } from '../internal/app/cli.js';
import { loadConfig } from '../internal/app/config.js';
import { importArchive } from '../internal/app/archive.js';
import { moduleProgress } from '../internal/app/progress.js';
import { closeStores, openStores } from '../internal/app/stores.js';
import { printComparison, summarize } from '../internal/app/transfer.js';

const USAGE = `Usage: npm run import -- --in FILE [--resume] [--batch N]

Reads an Agora archive (npm run export) into the configured stores (STORAGE, STORAGE_<MODULE>
and their locations, as for npm start; migrated first), each module into the store configured
for it, which must hold none of its records. Then it compares each module's count and digest
in the stores with the archive's.

Options:
  --in FILE        the archive to read
  --resume         finish an interrupted import (records already there are kept)
  --batch N        records written per batch (default 1000)
  -h, --help       print this help and exit

Exit status: 0 when every module matches the archive; 1 when it differs, the archive is
damaged or a store cannot be used; 2 for a bad command line.`;

const cli = parseCommandLine({ command: 'import', usage: USAGE, options: { in: { type: 'string' }, resume: { type: 'boolean' }, batch: { type: 'string' } } });
const file = cli.values.in ?? cli.fail('--in is required');
const batch = cli.integer('batch', 1000, { min: 1, max: 100_000 });

try {
  const config = loadConfig({ ...process.env, AUTO_MIGRATE: 'true' });
  const stores = await openStores(config, (store, names) => console.log(`${store}: applied ${names.join(', ')}`));
  const progress = moduleProgress();
  try {
    const storeOf = (m: keyof typeof config.storage) => stores.get(config.storage[m])!;
    const { expected, read } = await importArchive(storeOf, file, { batch, resume: cli.values.resume ?? false, progress });
    progress.stop();
    if (!printComparison(expected, read, console.log)) failWith('import', `${file} does not match its own counts and digests: it is damaged`);
    const stored = await Promise.all(expected.map(async (e) => (await summarize(storeOf(e.module), [e.module]))[0]!));
    console.log('in the stores:');
    if (!printComparison(expected, stored, console.log)) failWith('import', 'the stores differ from the archive (see above)');
  } finally {
    progress.stop();
    await closeStores(stores);
  }
} catch (err) {
  failCommand('import', err);
}
