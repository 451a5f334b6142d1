import { failCommand, parseCommandLine } from '../internal/app/cli.js';
import { DATA_MODULES as MODULES, loadConfig, type DataModule as ModuleName } from '../internal/app/config.js';
import { exportArchive } from '../internal/app/archive.js';
import { moduleProgress } from '../internal/app/progress.js';
import { closeStores, openStores } from '../internal/app/stores.js';

const USAGE = `Usage: npm run export -- --out FILE [--modules LIST] [--batch N]

Writes every record of the configured stores (STORAGE, STORAGE_<MODULE> and their locations,
as for npm start) to FILE: an Agora archive (gzip-compressed JSON lines: a header with the
format version, the modules and their counts; the records; each module's count and digest).
It reads only. For a consistent copy of a running service, set READ_ONLY=true on it first.

Options:
  --out FILE       the archive to write (written to FILE.partial, then renamed when complete)
  --modules LIST   comma-separated (default: all: ${MODULES.join(',')})
  --batch N        records read per query (default 1000)
  -h, --help       print this help and exit

Exit status: 0 when written; 1 when a store cannot be read or FILE cannot be written; 2 for a
bad command line.`;

const cli = parseCommandLine({ command: 'export', usage: USAGE, options: { out: { type: 'string' }, modules: { type: 'string' }, batch: { type: 'string' } } });
const out = cli.values.out ?? cli.fail('--out is required');
const batch = cli.integer('batch', 1000, { min: 1, max: 100_000 });
const asked = cli.values.modules?.split(',').map((m) => m.trim());
const unknown = asked?.filter((m) => !(MODULES as readonly string[]).includes(m)) ?? [];
if (unknown.length > 0) cli.fail(`unknown module(s) ${unknown.join(', ')}: expected some of ${MODULES.join(', ')}`);
const modules: ModuleName[] = MODULES.filter((m) => asked?.includes(m) ?? true);

try {
  const config = loadConfig();
  const stores = await openStores(config, () => {});
  const progress = moduleProgress();
  try {
    const summaries = await exportArchive((m) => stores.get(config.storage[m])!, modules, out, batch, progress);
    progress.stop();
    for (const s of summaries) console.log(`${s.module.padEnd(9)} ${String(s.count).padStart(10)}  ${s.digest}`);
    console.log(`wrote ${out}`);
  } finally {
    progress.stop();
    await closeStores(stores);
  }
} catch (err) {
  failCommand('export', err);
}
