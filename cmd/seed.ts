import { parseArgs } from 'node:util';
import { SingleBar, Presets } from 'cli-progress';
import { ScryptPasswordHasher } from '../adapters/system/scrypt-password-hasher.js';
import { ConfigError, loadConfig } from '../internal/app/config.js';
import { seedFollows, seedPosts, seedUserId, seedUsers, type Scale } from '../internal/app/seeding.js';
import { bulkSeederOf, closeStores, openStores, type BulkSeeder } from '../internal/app/stores.js';

/** Every seeded user's password: the benchmark logs in with it. */
export const SEED_PASSWORD = 'benchpass';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000' },
    posts: { type: 'string', default: '10000' },
    'follows-per-user': { type: 'string', default: '20' },
    'heavy-follows': { type: 'string', default: '1000' },
    days: { type: 'string', default: '365' },
    batch: { type: 'string', default: '1000' },
  },
});

function count(name: keyof typeof values): number {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`--${name} must be a whole number`);
  return n;
}

async function write<T>(label: string, total: number, rows: Iterable<T>, batchSize: number, sink: (batch: T[]) => Promise<void>): Promise<void> {
  const bar = new SingleBar(
    { format: `${label.padEnd(8)} [{bar}] {percentage}% {value}/{total} | {rate}/s | ETA {eta_formatted}`, noTTYOutput: true, notTTYSchedule: 5_000, etaBuffer: 50 },
    Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  const started = Date.now();
  let done = 0;
  let batch: T[] = [];
  const flush = async () => {
    await sink(batch);
    done += batch.length;
    batch = [];
    if (done > bar.getTotal()) bar.setTotal(done); // follows are an estimate until the last batch
    bar.update(done, { rate: Math.round(done / Math.max(0.001, (Date.now() - started) / 1000)) });
    // A synchronous store (better-sqlite3) never lets the event loop reach the bar's redraw
    // timer on its own: give it a turn after every batch.
    await new Promise((resume) => setImmediate(resume));
  };
  for (const row of rows) {
    batch.push(row);
    if (batch.length >= batchSize) await flush();
  }
  if (batch.length > 0) await flush();
  bar.stop();
}

try {
  const config = loadConfig({ ...process.env, AUTO_MIGRATE: 'true' });
  const scale: Scale = {
    users: Math.max(2, count('users')),
    posts: count('posts'),
    followsPerUser: count('follows-per-user'),
    heavyFollows: count('heavy-follows'),
    days: Math.max(1, count('days')),
    // Fixed to the day, so a re-run makes the same ids and skips what is already there.
    now: Math.floor(Date.now() / 86_400_000) * 86_400_000,
  };
  const batchSize = Math.max(1, count('batch'));
  const stores = await openStores(config, (store, names) => console.log(`${store}: applied ${names.join(', ')}`));
  const seeder = (module: keyof typeof config.storage): BulkSeeder => bulkSeederOf(stores, config, module);
  // One cheap hash shared by every seeded user: logging in is part of what the benchmark does.
  const hash = await new ScryptPasswordHasher(2 ** 12).hash(SEED_PASSWORD);
  const userId = (i: number) => seedUserId(scale, i);
  const expectedFollows = scale.heavyFollows + scale.users * scale.followsPerUser;

  console.log(`seeding ${scale.users} users, ~${expectedFollows} follows, ${scale.posts} posts into ${JSON.stringify(config.storage)}`);
  await write('users', scale.users, seedUsers(scale, hash), batchSize, (b) => seeder('users').users(b));
  await write('follows', expectedFollows, seedFollows(scale, userId), batchSize, (b) => seeder('follows').follows(b));
  await write('posts', scale.posts, seedPosts(scale, userId), batchSize, (b) => seeder('posts').posts(b));
  for (const [kind, module] of new Map((['users', 'follows', 'posts'] as const).map((m) => [config.storage[m], m]))) {
    const bulk = bulkSeederOf(stores, config, module);
    if (bulk.finish) {
      console.log(`${kind}: finishing (statistics, checkpoint)`);
      await bulk.finish();
    }
  }
  await closeStores(stores);
  console.log(`done: users u0..u${scale.users - 1}, password "${SEED_PASSWORD}"; u1 follows ${Math.min(scale.heavyFollows, scale.users - 1)} accounts`);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(`agora: ${err.message}`);
  process.exit(1);
}
