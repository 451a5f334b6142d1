import { SingleBar, Presets } from 'cli-progress';
import { ScryptPasswordHasher } from '../adapters/system/scrypt-password-hasher.js';
import { exitOnStartupError, failWith, parseCommandLine, USAGE_EXIT } from '../internal/app/cli.js';
import { loadConfig, type Config } from '../internal/app/config.js';
import { descriptorOf } from '../internal/app/registry.js';
import { seedBlogs, seedFollows, seedListings, seedPosts, seedUserId, seedUsers, type Scale } from '../internal/app/seeding.js';
import { moduleTransfer } from '../internal/app/transfer.js';
import { bulkSeederOf, closeStores, openStores, type BulkSeeder } from '../internal/app/stores.js';

/** Every seeded user's password: the benchmark logs in with it. */
export const SEED_PASSWORD = 'benchpass';

const USAGE = `Usage: npm run seed -- [options]

Writes deterministic synthetic users, follows, posts, blogs and listings into the stores the configuration gives
them (as for "npm start": STORAGE, STORAGE_<MODULE>, SQLITE_PATH, DATABASE_URL, ...), through
each store's bulk path, migrating it first. A re-run skips what is already there. The store must
outlive the command, so an in-memory SQLite is refused:

  SQLITE_PATH=./agora.db npm run seed && SQLITE_PATH=./agora.db npm start

Options:
  --users N             users u0..u(N-1), at least 2 (default 1000)
  --posts N             original posts, spread over the users and days (default 10000)
  --follows-per-user N  accounts each user follows on average (default 20)
  --heavy-follows N     accounts u1, the benchmark's reader, follows (default 1000)
  --fans N              more users, f0..f(N-1), each following u0 only (default 0): the
                        benchmark's profile of an account with a million followers
  --days N              days the posts spread over, at least 1 (default 365)
  --blogs N             blogs, each with --articles-per-blog articles (default 100)
  --articles-per-blog N articles of each blog, with view counts (default 10)
  --listings N          listings, each with --prices-per-listing price entries (default 1000)
  --prices-per-listing N  entries of each listing's price history, at least 1 (default 5)
  --batch N             rows per write, at least 1 (default 1000)
  -h, --help            print this help and exit

Every user's password is "${SEED_PASSWORD}".

On SQLite, a table that is empty when seeding starts is loaded without its secondary indexes,
which are re-created once its last row is written (the rate "written and indexed" reports
counts them). If seed stops before that, the file lacks those indexes until seed runs again
(any size: its end re-creates them).

Exit status: 0 done; 1 a variable is bad or a store cannot be reached or opened; 2 a bad command
line or an in-memory store (one line on stderr).`;

const cli = parseCommandLine({
  command: 'seed',
  usage: USAGE,
  options: {
    users: { type: 'string' },
    posts: { type: 'string' },
    'follows-per-user': { type: 'string' },
    'heavy-follows': { type: 'string' },
    fans: { type: 'string' },
    days: { type: 'string' },
    blogs: { type: 'string' },
    'articles-per-blog': { type: 'string' },
    listings: { type: 'string' },
    'prices-per-listing': { type: 'string' },
    batch: { type: 'string' },
  },
});
const scale: Scale = {
  users: cli.integer('users', 1000, { min: 2 }),
  posts: cli.integer('posts', 10_000),
  followsPerUser: cli.integer('follows-per-user', 20),
  heavyFollows: cli.integer('heavy-follows', 1000),
  fans: cli.integer('fans', 0, { min: 0, max: 10_000_000 }),
  days: cli.integer('days', 365, { min: 1 }),
  // Fixed to the day, so a re-run makes the same ids and skips what is already there.
  now: Math.floor(Date.now() / 86_400_000) * 86_400_000,
  blogs: cli.integer('blogs', 100),
  articlesPerBlog: cli.integer('articles-per-blog', 10, { max: 10_000 }),
  listings: cli.integer('listings', 1000),
  pricesPerListing: cli.integer('prices-per-listing', 5, { min: 1, max: 10_000 }),
};
const batchSize = cli.integer('batch', 1000, { min: 1 });

/** Refuses a store that starts empty every time (in-memory SQLite): the seeded data would vanish with this process. */
function refuseInMemory(config: Config): void {
  for (const kind of new Set([config.storage.users, config.storage.follows, config.storage.posts])) {
    const descriptor = descriptorOf(kind);
    if (descriptor.migrateAtStart?.(config.stores[kind])) {
      failWith(
        'seed',
        `the ${kind} store is in memory (${descriptor.location} is unset or :memory:), so the seeded data would vanish when seed exits; ` +
          `point ${descriptor.location} at a file, e.g. ${descriptor.location}=./agora.db npm run seed (and start the server with the same ${descriptor.location}), or seed a server (STORAGE=postgres DATABASE_URL=...)`,
        USAGE_EXIT,
      );
    }
  }
}

/**
 * Writes one of the social tables, then lets its store complete it (SQLite builds the indexes
 * its load went without), and says how long both took: the table's seeding rate.
 */
async function load<T>(table: 'users' | 'follows' | 'posts', seeder: BulkSeeder, total: number, rows: Iterable<T>, sink: (seeder: BulkSeeder, batch: T[]) => Promise<void>): Promise<void> {
  const started = Date.now();
  const written = await write(table, total, rows, batchSize, (batch) => sink(seeder, batch));
  if (!seeder.complete) return;
  await seeder.complete(table);
  const seconds = (Date.now() - started) / 1000;
  console.log(`${table}: ${written} rows written and indexed in ${seconds.toFixed(1)} s (${Math.round(written / Math.max(0.001, seconds))}/s)`);
}

/** Writes `rows` in batches of `batchSize` with a progress bar; answers how many. */
async function write<T>(label: string, total: number, rows: Iterable<T>, batchSize: number, sink: (batch: T[]) => Promise<void>): Promise<number> {
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
  return done;
}

try {
  const config = loadConfig({ ...process.env, AUTO_MIGRATE: 'true' });
  refuseInMemory(config);
  const stores = await openStores(config, (store, names) => console.log(`${store}: applied ${names.join(', ')}`));
  const seeder = (module: keyof typeof config.storage): BulkSeeder => bulkSeederOf(stores, config, module);
  // One cheap hash shared by every seeded user: logging in is part of what the benchmark does.
  const hash = await new ScryptPasswordHasher(2 ** 12).hash(SEED_PASSWORD);
  const userId = (i: number) => seedUserId(scale, i);
  const fans = scale.fans ?? 0;
  const expectedFollows = scale.heavyFollows + scale.users * scale.followsPerUser + fans;

  console.log(`seeding ${scale.users} users, ~${expectedFollows} follows, ${scale.posts} posts, ${scale.blogs} blogs, ${scale.listings} listings into ${JSON.stringify(config.storage)}`);
  await load('users', seeder('users'), scale.users + fans, seedUsers(scale, hash), (s, b) => s.users(b));
  await load('follows', seeder('follows'), expectedFollows, seedFollows(scale, userId), (s, b) => s.follows(b));
  await load('posts', seeder('posts'), scale.posts, seedPosts(scale, userId), (s, b) => s.posts(b));
  // Blogs and listings through the stores' transfer path (bulk, and idempotent like the rest).
  const storeOf = (module: 'blogs' | 'listings') => stores.get(config.storage[module])!;
  await write('blogs', scale.blogs, seedBlogs(scale, userId), Math.max(1, Math.floor(batchSize / Math.max(1, scale.articlesPerBlog))), (b) => moduleTransfer(storeOf('blogs'), 'blogs').write(b));
  await write('listings', scale.listings, seedListings(scale, userId), batchSize, (b) => moduleTransfer(storeOf('listings'), 'listings').write(b));
  for (const [kind, module] of new Map((['users', 'follows', 'posts'] as const).map((m) => [config.storage[m], m]))) {
    const bulk = bulkSeederOf(stores, config, module);
    if (bulk.finish) {
      console.log(`${kind}: finishing (indexes, counters, statistics, checkpoint)`);
      const started = Date.now();
      await bulk.finish();
      console.log(`${kind}: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  await closeStores(stores);
  console.log(`done: users u0..u${scale.users - 1}, password "${SEED_PASSWORD}"; u1 follows ${Math.min(scale.heavyFollows, scale.users - 1)} accounts${fans > 0 ? `; fans f0..f${fans - 1} follow u0` : ''}`);
} catch (err) {
  exitOnStartupError(err);
  throw err;
}
