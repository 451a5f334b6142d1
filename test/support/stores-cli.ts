/**
 * What shell scripts need to know of the stores, read from their descriptors so that no script
 * names a store (test/fuzz/run.sh, .ci/run):
 *
 *   tsx test/support/stores-cli.ts kinds                 every store kind, one per line
 *   tsx test/support/stores-cli.ts modules [KIND]        every module name (or those KIND provides), one per line
 *   tsx test/support/stores-cli.ts create KIND NAME      makes database NAME on the server the
 *                                                        environment points KIND at; prints the
 *                                                        variables that point the store at it
 *   tsx test/support/stores-cli.ts drop KIND NAME        removes it
 */
import { MODULES } from '../../internal/app/config.js';
import { STORES } from '../../internal/app/registry.js';

const USAGE = 'usage: stores-cli.ts kinds | modules [KIND] | create KIND NAME | drop KIND NAME';

function fail(message: string): never {
  console.error(`stores-cli: ${message}`);
  process.exit(2);
}

const [command, kind, name, ...rest] = process.argv.slice(2);
if (command === 'kinds') {
  if (kind !== undefined) fail(USAGE);
  console.log(STORES.map((d) => d.kind).join('\n'));
} else if (command === 'modules') {
  if (name !== undefined) fail(USAGE);
  const descriptor = kind === undefined ? undefined : (STORES.find((d) => d.kind === kind) ?? fail(`unknown store "${kind}"`));
  console.log((descriptor?.modules ?? MODULES).join('\n'));
} else if (command === 'create' || command === 'drop') {
  if (kind === undefined || name === undefined || rest.length > 0) fail(USAGE);
  const descriptor = STORES.find((d) => d.kind === kind) ?? fail(`unknown store "${kind}": expected one of ${STORES.map((d) => d.kind).join(', ')}`);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) fail(`not a plain database name: ${name}`);
  try {
    const database = descriptor.testing.database(process.env, name);
    if (command === 'create') {
      await database.create();
      for (const [variable, value] of Object.entries(database.env)) console.log(`${variable}=${value}`);
    } else {
      await database.drop();
    }
  } catch (err) {
    fail(`${kind}: ${err instanceof Error ? err.message : String(err)}`);
  }
} else {
  fail(USAGE);
}
