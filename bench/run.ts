import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon, { type Options, type Request, type Result } from 'autocannon';
import { parseCommandLine } from '../internal/app/cli.js';
import { DEFAULT_STORE, STORES } from '../internal/app/registry.js';
import { WORDS } from '../internal/app/seeding.js';
import { DEFAULT_TIMELINE_RULES } from '../internal/domain/timelines/timeline-rules.js';
import { BenchSetupError, benchDatabase } from './databases.js';

/**
 * npm run bench [-- --users N --posts M --listings L --prices-per-listing P --duration S
 * --connections C --scale 10000,1000000 --wipe]
 * Seeds the configured store (STORAGE and its URL, as for npm start) into a database of the
 * benchmark's own (bench/databases.ts), starts the server in its own process, drives each
 * endpoint with autocannon (no pipelining) and writes bench/results/<store>.{md,json}; with
 * --scale, the feed reads at each size into bench/results/scale-<store>.{md,json}.
 */
const USAGE = `Usage: npm run bench -- [options]

Seeds a database of the benchmark's own (agora_bench_<posts>, or with --fans agora_bench_<posts>_fans<N>) in the store STORAGE names
(${STORES.map((d) => d.kind).join(', ')}; default ${DEFAULT_STORE.kind}; its URL as for "npm start"), serves it, drives each
endpoint with autocannon and writes bench/results/<store>.{md,json}. BENCHMARKS.md has the method.

Endpoints, each as a ratio to a baseline route measured before and after it:
  reads   the all feed (page 1, and page 50 through 49 cursors), a text search (q), the
          following feed of u1 (1,000 followees) and of a quiet reader (10-30 followees),
          u0's profile, one post, a blog with its articles, an article (a view: it counts),
          listings by city and price range, a 100-entry price history
  writes  posts by up to 2,000 seeded writers (five each), posts by u0 (the most-followed
          account: its fan-out), follow and unfollow in turn
--scale measures the feed, profile and post reads only.

Options:
  --users N               seeded users, at least 3 (default 10000)
  --posts N               seeded posts, at least 1 (default 100000)
  --listings N            seeded listings, at least 1 (default 10000)
  --prices-per-listing N  price-history entries of each seeded listing, 1 to 10000 (default 10);
                          the issue's target size is 500,000 listings and 5,000,000 prices:
                          --listings 500000 --prices-per-listing 10
  --fans N                more accounts, each following u0 only (default 0): with 1000000, u0's
                          profile is that of an account with a million followers, measured
                          beside one with ten (its database is agora_bench_<posts>_fans<N>)
  --scale N,N,...         instead: the feed reads at each size (posts; users are a tenth, within
                          100..100000) into bench/results/scale-<store>.{md,json}; not with
                          --users/--posts
  --duration S            seconds per endpoint, at least 1 (default 10)
  --connections C         concurrent connections, at least 1 (default 10)
  --port P                port of the benchmarked server (default 3900)
  --skip-seed             measure what an earlier run seeded
  --wipe                  allow emptying a single-database server (Neo4j Community) before seeding
  -h, --help              print this help and exit

Exit status: 0 done; 1 the store's database cannot be set up or a step failed; 2 a bad command
line or STORAGE (one line on stderr).`;

const ROOT = resolve(import.meta.dirname, '..');
const cli = parseCommandLine({
  command: 'bench',
  usage: USAGE,
  options: {
    users: { type: 'string' },
    posts: { type: 'string' },
    listings: { type: 'string' },
    'prices-per-listing': { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    port: { type: 'string' },
    scale: { type: 'string' },
    fans: { type: 'string' },
    'skip-seed': { type: 'boolean' },
    wipe: { type: 'boolean' },
  },
});
const values = { 'skip-seed': cli.values['skip-seed'] === true, wipe: cli.values.wipe === true };
// Writers are users u2 onwards, and a read endpoint needs a post: at least 3 users and 1 post.
const USERS = cli.integer('users', 10_000, { min: 3 });
const POSTS = cli.integer('posts', 100_000, { min: 1 });
const LISTINGS = cli.integer('listings', 10_000, { min: 1 });
const PRICES_PER_LISTING = cli.integer('prices-per-listing', 10, { min: 1, max: 10_000 });
const FANS = cli.integer('fans', 0, { min: 0, max: 10_000_000 });
const scale = cli.integers('scale', { min: 1 });
if (scale && (cli.values.users !== undefined || cli.values.posts !== undefined)) cli.fail('--scale sets the sizes itself: drop --users and --posts');
const duration = cli.integer('duration', 10, { min: 1 });
const connections = cli.integer('connections', 10, { min: 1 });
const port = cli.integer('port', 3900, { min: 1, max: 65_535 });
const base = `http://127.0.0.1:${port}`;
const store = process.env.STORAGE ?? DEFAULT_STORE.kind;
if (!STORES.some((d) => d.kind === store)) cli.fail(`STORAGE="${store}" is invalid: expected one of ${STORES.map((d) => d.kind).join(', ')}`);

/** Every seeded user's password (cmd/seed.ts), and the bench's own accounts'. */
const PASSWORD = 'benchpass';
/** Posts by u0, the most-followed account, in each run. */
const CELEBRITY_POSTS = 100;
/**
 * The benchmarked server's daily post limit: u0 posts CELEBRITY_POSTS a run, and ten runs a UTC
 * day fit. No higher (the server takes at most 10,000): a create tries the day's slot keys up to
 * the limit (SQL and Neo4j one after another, so u0's k-th post of the day makes k attempts;
 * MongoDB reads all of them at once), so a larger limit makes creates dearer than the real
 * limit of 5 does.
 */
const DAILY_POST_LIMIT = 1_000;
/** Authors above this many followers are "celebrities" to the timelines (TIMELINE_CELEBRITY_THRESHOLD). */
const CELEBRITY_THRESHOLD = Number(process.env.TIMELINE_CELEBRITY_THRESHOLD ?? DEFAULT_TIMELINE_RULES.celebrityThreshold);
/** The page of the all feed reached through cursors. */
const DEEP_PAGE = 50;
/** Every seeded post holds 6 to 15 of the seed's words. */
const SEARCH_WORD = WORDS[0]!;
/** The listings filter's price range (seeded prices are 50,000 to 1,000,000 euros). */
const PRICE_RANGE = [200_000, 400_000] as const;
/** Entries of the price history that is read. */
const HISTORY_ENTRIES = 100;
/** Fresh accounts the follow/unfollow endpoint follows and unfollows. */
const FOLLOW_TARGETS = 10;

/** The reads measured at every --scale size too; the scale table finds them by these names. */
const FEED = {
  all: 'GET /api/posts (all)',
  following: 'GET /api/posts?following=true',
  quiet: 'GET /api/posts?following=true (quiet reader)',
  deep: `GET /api/posts?cursor= (page ${DEEP_PAGE})`,
  search: `GET /api/posts?q=${SEARCH_WORD}`,
  profile: 'GET /api/users/u0 (profile)',
  profileTen: 'GET /api/users/{u} (profile, 10 followers)',
  post: 'GET /api/posts/{id}',
} as const;

function run(cmd: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...cmd], { cwd: ROOT, env, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${cmd.join(' ')} exited ${code}`))));
  });
}

async function startServer(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/server.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 240; i++) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill();
  throw new Error('the server did not start');
}

async function call(path: string, init?: RequestInit): Promise<Response> {
  const res = await fetch(`${base}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return res;
}

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  return (await (await call(path, init)).json()) as T;
}

interface Session {
  username: string;
  token: string;
}

const bearer = (session: Session) => ({ authorization: `Bearer ${session.token}` });

/** A write's request: `body` as JSON, as `session` when given. */
function send(method: string, body?: unknown, session?: Session): RequestInit {
  const headers = { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(session ? bearer(session) : {}) };
  return { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
}

async function login(username: string): Promise<Session> {
  const { token } = await json<{ token: string }>('/api/sessions', send('POST', { username, password: PASSWORD }));
  return { username, token };
}

let signUps = 0;

/** Signs up an account of the bench's own (no seeded user has its name); answers its name. */
async function signUp(): Promise<string> {
  const username = `b${Date.now().toString(36)}${signUps++}`;
  await call('/api/users', send('POST', { username, password: PASSWORD }));
  return username;
}

const profile = (username: string) => json<{ followers_count: number; following_count: number }>(`/api/users/${username}`);

/** The first item of a list, which the seed should have filled. */
async function first<T>(path: string): Promise<T> {
  const { items } = await json<{ items: T[] }>(path);
  if (!items[0]) throw new BenchSetupError(`GET ${path} answered no items: the bench database lacks them (seed it again, without --skip-seed)`);
  return items[0];
}

interface Row {
  endpoint: string;
  reqPerSec: number;
  p50: number;
  p99: number;
  /** Mean latency in ms, to two decimals (autocannon's percentiles are whole milliseconds). */
  mean: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
  ratio?: number;
  /** How long the server's timeline worker took to run the jobs left after the endpoint's load (fan-out, follows), in ms. */
  workerMs?: number;
  /** The baseline row only: each of its runs. */
  runs?: Row[];
}

async function measure(endpoint: string, options: Partial<Options>): Promise<Row> {
  const result: Result = await autocannon({ url: base, connections, duration, pipelining: 1, ...options });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, (s as { count: number }).count]));
  const row = { endpoint, reqPerSec: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, mean: Math.round(result.latency.mean * 100) / 100, errors: result.errors + result.timeouts, non2xx: result.non2xx, statuses };
  console.log(`${endpoint.padEnd(34)} ${row.reqPerSec.toFixed(0).padStart(7)} req/s  p50 ${row.p50} ms  p99 ${row.p99} ms  mean ${row.mean} ms  errors ${row.errors}  ${JSON.stringify(statuses)}`);
  return row;
}

function storeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    STORAGE: store,
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_MINUTE: '0',
    LOGIN_FAILURE_LIMIT: '0',
    PASSWORD_HASH_QUEUE: '100000',
    DAILY_POST_LIMIT: String(DAILY_POST_LIMIT),
    AUTO_MIGRATE: 'true',
    NODE_ENV: 'production',
    AUTH_SECRET: randomBytes(36).toString('base64url'),
    ...extra,
  };
}

async function seed(env: NodeJS.ProcessEnv, users: number, posts: number): Promise<void> {
  const sizes = { users, posts, 'heavy-follows': Math.min(1000, users - 2), listings: LISTINGS, 'prices-per-listing': PRICES_PER_LISTING, fans: FANS };
  await run(['cmd/seed.ts', ...Object.entries(sizes).flatMap(([option, n]) => [`--${option}`, String(n)])], env);
}

type Endpoint = [name: string, options: Partial<Options>];

/** Endpoints to measure, and what a reader of the results should know about them. */
interface Plan {
  endpoints: Endpoint[];
  notes: string[];
}

function get(name: string, path: string, session?: Session): Endpoint {
  return [name, { url: `${base}${path}`, ...(session ? { headers: bearer(session) } : {}) }];
}

/**
 * The typical reader: a seeded user who follows 10 to 30 accounts (seedFollows gives each
 * 0 to 40), most of them outside the top tenth (followees are drawn by a power law, so some
 * popular ones are among anyone's), the highest-numbered such user; else u(N-1).
 */
async function quietReader(users: number): Promise<{ reader: Session; note: string }> {
  const top = Math.ceil(users / 10);
  for (let i = users - 1; i >= Math.max(2, users - 100); i--) {
    const username = `u${i}`;
    const following = (await profile(username)).following_count;
    if (following < 10 || following > 30) continue;
    const { items } = await json<{ items: Array<{ username: string }> }>(`/api/users/${username}/following?limit=100`);
    const tail = items.filter((u) => Number(u.username.slice(1)) >= top).length;
    if (2 * tail > following) {
      return { reader: await login(username), note: `Quiet reader: ${username}, following ${following} accounts, ${tail} of them outside the top tenth (u0..u${top - 1}).` };
    }
  }
  const username = `u${users - 1}`;
  const following = (await profile(username)).following_count;
  return { reader: await login(username), note: `Quiet reader: ${username}, following ${following} accounts (no user near it follows 10 to 30, mostly outside the top tenth).` };
}

/** The path of page `page` of the all feed (10 a page), through the cursors from page 1; its last page when it has fewer. */
async function deepPage(page: number): Promise<{ path: string; note?: string }> {
  let path = '/api/posts?limit=10';
  let reached = 1;
  for (; reached < page; reached++) {
    const { next_cursor: next } = await json<{ next_cursor: string | null }>(path);
    if (!next) break;
    path = `/api/posts?limit=10&cursor=${encodeURIComponent(next)}`;
  }
  return reached === page ? { path } : { path, note: `The all feed has ${reached} pages: its last is measured as page ${page}.` };
}

/** The feed, profile and post reads: the run's and every --scale size's. */
async function feedReads(users: number): Promise<Plan> {
  const heavy = await login('u1');
  const quiet = await quietReader(users);
  const post = await first<{ id: string }>('/api/posts?limit=1');
  const deep = await deepPage(DEEP_PAGE);
  const ten = await tenFollowers(users);
  return {
    endpoints: [
      get(FEED.all, '/api/posts?limit=10'),
      get(FEED.following, '/api/posts?following=true&limit=10', heavy),
      get(FEED.quiet, '/api/posts?following=true&limit=10', quiet.reader),
      get(FEED.deep, deep.path),
      get(FEED.search, `/api/posts?q=${SEARCH_WORD}&limit=10`),
      get(FEED.profile, '/api/users/u0'),
      get(FEED.profileTen, `/api/users/${ten.username}`),
      get(FEED.post, `/api/posts/${post.id}`),
    ],
    notes: [quiet.note, ten.note, ...(deep.note ? [deep.note] : [])],
  };
}

/** The highest-numbered seeded user with ten followers (the power law's tail has about that many), else the closest found; and u0's count beside it. */
async function tenFollowers(users: number): Promise<{ username: string; note: string }> {
  let closest = { username: `u${users - 1}`, followers: Infinity };
  for (let i = users - 1; i >= Math.max(2, users - 500); i--) {
    const followers = (await profile(`u${i}`)).followers_count;
    if (Math.abs(followers - 10) < Math.abs(closest.followers - 10)) closest = { username: `u${i}`, followers };
    if (followers === 10) break;
  }
  const most = (await profile('u0')).followers_count;
  return { username: closest.username, note: `Profiles: u0 with ${most} followers, beside ${closest.username} with ${closest.followers}.` };
}

/**
 * The celebrity registry (authors above CELEBRITY_THRESHOLD followers, whose posts the
 * timelines merge in at read time instead of fanning them out) learns an author at their next
 * follow or unfollow, when the worker reconciles it: a bulk load writes follows without telling
 * it, so after a seed nobody is a celebrity yet. A follow and unfollow of the most-followed
 * account (u0), and of the next ones while they are above the threshold, by a fresh account
 * (so no seeded follow changes) brings the registry in line before the timelines are built;
 * the worker runs those jobs during the warm-up.
 */
async function teachCelebrities(users: number): Promise<string> {
  const teacher = await login(await signUp());
  const taught: string[] = [];
  for (let i = 0; i < users; i++) {
    const { followers_count: followers } = await profile(`u${i}`);
    if (i > 0 && followers <= CELEBRITY_THRESHOLD) break;
    for (const method of ['POST', 'DELETE']) await call(`/api/users/u${i}/follow`, send(method, undefined, teacher));
    taught.push(`u${i} (${followers} followers${followers > CELEBRITY_THRESHOLD ? '' : ': no celebrity at this size'})`);
  }
  return `Celebrity registry (above ${CELEBRITY_THRESHOLD} followers) told of ${taught.join(', ')} by a follow and an unfollow before the warm-up.`;
}

interface SeededListing {
  name: string;
  postal_address: { street_address: string; postal_code: string; city: string; country: string };
  description: string;
  building_type: string;
  surface_area_m2: number;
  rooms_count: number;
  bedrooms_count: number;
}

/**
 * A listing whose price history has `entries` entries (the seed gives each of its listings
 * --prices-per-listing): created by `owner` like `like`, then re-priced `entries - 1` times,
 * below the filter's range so the filtered page never shows it. Answers its id.
 */
async function listingWithHistory(owner: Session, like: SeededListing, entries: number): Promise<string> {
  const { name, postal_address, description, building_type, surface_area_m2, rooms_count, bedrooms_count } = like;
  const body = (i: number) => ({ name, postal_address, description, building_type, surface_area_m2, rooms_count, bedrooms_count, latest_price_eur: 10_000 + i });
  const { id } = await json<{ id: string }>('/api/listings', send('POST', body(0), owner));
  for (let i = 1; i < entries; i++) await call(`/api/listings/${id}`, send('PUT', body(i), owner));
  return id;
}

/** Blogs and listings: the run only (their sizes do not follow --scale's). */
async function moduleReads(owner: Session): Promise<Plan> {
  const blog = await first<{ id: string }>('/api/blogs?limit=1');
  const article = await first<{ id: string }>(`/api/blogs/${blog.id}/articles?limit=1`);
  const listing = await first<SeededListing>('/api/listings?limit=1');
  const [min, max] = PRICE_RANGE;
  const city = listing.postal_address.city;
  const filter = `/api/listings?city=${encodeURIComponent(city)}&min_price=${min}&max_price=${max}&limit=10`;
  const matches = (await json<{ items: unknown[] }>(filter)).items.length;
  const historyId = await listingWithHistory(owner, listing, HISTORY_ENTRIES);
  const entries = (await json<unknown[]>(`/api/listings/${historyId}/prices`)).length;
  return {
    endpoints: [
      get('GET /api/blogs/{id}?include=articles', `/api/blogs/${blog.id}?include=articles`),
      get('GET /api/articles/{id} (a view)', `/api/articles/${article.id}`),
      get('GET /api/listings?city=&min_price=&max_price=', filter),
      get(`GET /api/listings/{id}/prices (${entries} entries)`, `/api/listings/${historyId}/prices`),
    ],
    notes: [`Listings filter: city=${city}, ${min} to ${max} euros (${matches} on its first page of 10).`],
  };
}

/** A run of `count` seeded users from a random one on (u2 onwards: u0 and u1 have roles of their own), logged in. */
async function seededWriters(users: number, count: number): Promise<Session[]> {
  const first = Math.floor(Math.random() * (users - 2));
  const sessions: Session[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) => login(`u${2 + ((first + i + j) % (users - 2))}`));
    sessions.push(...(await Promise.all(batch)));
  }
  return sessions;
}

/** `amount` posts, each by the next of `authors` in turn. */
function posting(name: string, authors: Session[], amount: number): Endpoint {
  let next = 0;
  const request: Request = {
    method: 'POST',
    path: '/api/posts',
    setupRequest: (req) => {
      const author = authors[next++ % authors.length]!;
      return { ...req, headers: { 'content-type': 'application/json', ...bearer(author) }, body: JSON.stringify({ content: `bench post ${next}` }) };
    },
  };
  return [name, { amount, requests: [request] }];
}

/**
 * Follow, then unfollow, in turn on each connection: a seeded user (each of `followers` in turn)
 * follows one of `targets` (accounts of the bench's own, so no seeded follow is undone), then
 * unfollows it.
 */
function followUnfollow(followers: Session[], targets: string[]): Endpoint {
  let next = 0;
  const step = (method: 'POST' | 'DELETE'): Request => ({
    method,
    setupRequest: (req, context) => {
      const pair = context as { follower?: Session; target?: string };
      if (method === 'POST') {
        pair.follower = followers[next % followers.length]!;
        pair.target = targets[next++ % targets.length]!;
      }
      return { ...req, path: `/api/users/${pair.target}/follow`, headers: bearer(pair.follower!) };
    },
  });
  return ['POST, DELETE /api/users/{u}/follow (in turn)', { requests: [step('POST'), step('DELETE')] }];
}

/** Runs the server's due timeline jobs now (bench/server.ts); answers how long that took, in ms. */
async function drainWorker(): Promise<number> {
  return (await json<{ ms: number }>('/bench/drain', { method: 'POST' })).ms;
}

/**
 * Warms every route up (unrecorded), lets the background work that queued finish (the first
 * read of each following feed queues the build of its reader's timeline, which the server's
 * worker runs; the celebrity registry's follow jobs), rests a second, then measures each
 * endpoint between two runs of the baseline: its ratio is to the mean of the two runs around
 * it, so a shared machine that speeds up or slows down during the run moves both sides of a
 * ratio together. The worker's jobs an endpoint leaves (a post's fan-out) run before the
 * baseline after it, timed.
 */
async function measureAll(endpoints: Endpoint[]): Promise<Row[]> {
  const baseline: Endpoint = ['GET /bench/baseline', { url: `${base}/bench/baseline` }];
  for (const [, options] of [baseline, ...endpoints]) {
    if (!options.requests) await autocannon({ url: base, connections, duration: 2, pipelining: 1, ...options });
  }
  await drainWorker();
  await sleep(1_000);
  const baselines = [await measure(...baseline)];
  const rows: Row[] = [];
  for (const endpoint of endpoints) {
    const row = await measure(...endpoint);
    row.workerMs = await drainWorker();
    if (row.workerMs > 0) console.log(`${''.padEnd(34)} the timeline worker caught up in ${row.workerMs} ms`);
    baselines.push(await measure(...baseline));
    row.ratio = row.reqPerSec / ((baselines.at(-2)!.reqPerSec + baselines.at(-1)!.reqPerSec) / 2);
    rows.push(row);
  }
  const mean = (pick: (r: Row) => number) => baselines.reduce((sum, r) => sum + pick(r), 0) / baselines.length;
  const low = Math.min(...baselines.map((r) => r.reqPerSec));
  const high = Math.max(...baselines.map((r) => r.reqPerSec));
  return [
    {
      endpoint: `GET /bench/baseline (mean of ${baselines.length} runs, ${low.toFixed(0)}–${high.toFixed(0)} req/s)`,
      reqPerSec: mean((r) => r.reqPerSec),
      p50: Math.round(mean((r) => r.p50)),
      p99: Math.round(mean((r) => r.p99)),
      mean: Math.round(mean((r) => r.mean) * 100) / 100,
      errors: baselines.reduce((sum, r) => sum + r.errors, 0),
      non2xx: baselines.reduce((sum, r) => sum + r.non2xx, 0),
      statuses: {},
      ratio: 1,
      runs: baselines,
    },
    ...rows,
  ];
}

function baselineOf(rows: Row[]): number {
  const runs = rows.filter((r) => r.endpoint.startsWith('GET /bench/baseline'));
  return runs.reduce((sum, r) => sum + r.reqPerSec, 0) / Math.max(1, runs.length);
}

function table(rows: Row[]): string {
  const lines = [
    '| endpoint | req/s | ratio to baseline | p50 ms | p99 ms | mean ms | errors | non-2xx | worker catch-up ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.endpoint} | ${r.reqPerSec.toFixed(0)} | ${(r.ratio ?? 0).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.mean.toFixed(2)} | ${r.errors} | ${r.non2xx} | ${r.workerMs ?? '–'} |`);
  }
  return lines.join('\n');
}

const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
mkdirSync(resolve(ROOT, 'bench/results'), { recursive: true });

interface ScaleResult {
  posts: number;
  users: number;
  machine: string;
  connections: number;
  duration: number;
  rows: Row[];
  notes?: string[];
}

function scaleTable(results: ScaleResult[]): string {
  // Sizes measured before an endpoint joined the feed reads have no row for it: "–".
  const rowOf = (r: ScaleResult, name: string) => r.rows.find((x) => x.endpoint === name);
  const cell = (r: ScaleResult, name: string) => {
    const row = rowOf(r, name);
    return row ? `${row.p50} / ${row.mean.toFixed(2)}` : '–';
  };
  const rate = (r: ScaleResult, name: string) => {
    const row = rowOf(r, name);
    return row ? `${row.reqPerSec.toFixed(0)} (${(row.ratio ?? row.reqPerSec / baselineOf(r.rows)).toFixed(2)})` : '–';
  };
  const latencies: Array<[string, string]> = [
    ['all feed', FEED.all],
    ['following (u1)', FEED.following],
    ['following (quiet reader)', FEED.quiet],
    [`all feed page ${DEEP_PAGE}`, FEED.deep],
    [`q=${SEARCH_WORD}`, FEED.search],
    ['profile', FEED.profile],
    ['profile (10 followers)', FEED.profileTen],
    ['post', FEED.post],
  ];
  const rates: Array<[string, string]> = [
    ['all feed', FEED.all],
    ['following (u1)', FEED.following],
    ['following (quiet reader)', FEED.quiet],
  ];
  const header = ['posts', 'users', ...latencies.map(([label]) => `${label} p50 / mean ms`), ...rates.map(([label]) => `${label} req/s (ratio)`), 'baseline req/s'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---:').join(' | ')} |`,
    ...results.map((r) => `| ${[r.posts, r.users, ...latencies.map(([, name]) => cell(r, name)), ...rates.map(([, name]) => rate(r, name)), baselineOf(r.rows).toFixed(0)].join(' | ')} |`),
  ];
  const setups = [...new Set(results.map((r) => `${r.machine}; ${r.connections} connections, ${r.duration} s per endpoint`))];
  const notes = results.flatMap((r) => (r.notes ?? []).map((note) => `- ${r.posts} posts: ${note}`));
  return `# Scale run (${store})\n\n${setups.join('\n')}; no pipelining.\n\n${lines.join('\n')}\n${notes.length > 0 ? `\n${notes.join('\n')}\n` : ''}`;
}

/** Seeds (unless --skip-seed) a database of its own for this size and serves it. */
async function serveSize(users: number, posts: number): Promise<ChildProcess> {
  const database = benchDatabase(store, FANS > 0 ? `${posts}_fans${FANS}` : String(posts), ROOT, process.env, values.wipe);
  const env = storeEnv(database.env);
  if (!values['skip-seed']) {
    await database.prepare();
    await seed(env, users, posts);
  }
  return startServer(env);
}

/** The feed reads at one size, once the celebrity registry knows its celebrities (just before measuring). */
async function feedPlan(users: number): Promise<Plan> {
  const feeds = await feedReads(users);
  return { endpoints: feeds.endpoints, notes: [...feeds.notes, await teachCelebrities(users)] };
}

function printNotes(notes: string[]): void {
  for (const note of notes) console.log(note);
}

async function runScale(sizes: number[]): Promise<void> {
  // Sizes accumulate across invocations (a long size can be run, or re-run, on its own);
  // the files are rewritten after every size, so an interrupted run keeps what it measured.
  const jsonPath = resolve(ROOT, `bench/results/scale-${store}.json`);
  const results = new Map<number, ScaleResult>();
  if (existsSync(jsonPath)) for (const r of (JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: ScaleResult[] }).results) results.set(r.posts, r);
  for (const posts of sizes) {
    // Ten posts per user up to 100,000 users, then more posts per user: the posts table
    // grows a thousandfold across 10k..10M while a seed of the largest size stays under
    // half an hour on a small machine (20M follows would take longer than 10M posts).
    const users = Math.min(100_000, Math.max(100, Math.round(posts / 10)));
    const server = await serveSize(users, posts);
    try {
      const feeds = await feedPlan(users);
      printNotes(feeds.notes);
      results.set(posts, { posts, users, machine, connections, duration, rows: await measureAll(feeds.endpoints), notes: feeds.notes });
    } finally {
      server.kill('SIGTERM');
    }
    const sorted = [...results.values()].sort((a, b) => a.posts - b.posts);
    writeFileSync(jsonPath, JSON.stringify({ store, results: sorted }, null, 2));
    writeFileSync(resolve(ROOT, `bench/results/scale-${store}.md`), scaleTable(sorted));
  }
  console.log(`\n${readFileSync(resolve(ROOT, `bench/results/scale-${store}.md`), 'utf8')}`);
}

function statusesOf(row: Row): string {
  return Object.entries(row.statuses).map(([code, n]) => `${n} answered ${code}`).join(', ') || 'no answers';
}

async function runOnce(users: number, posts: number): Promise<void> {
  const server = await serveSize(users, posts);
  try {
    const writers = await seededWriters(users, Math.min(2_000, users - 2));
    const modules = await moduleReads(writers[0]!);
    const celebrity = await login('u0');
    const celebrityFollowers = (await profile('u0')).followers_count;
    const targets = await Promise.all(Array.from({ length: FOLLOW_TARGETS }, () => signUp()));
    const writes: Endpoint[] = [
      posting('POST /api/posts (create)', writers, writers.length * 5),
      posting('POST /api/posts (by u0, the most-followed)', [celebrity], CELEBRITY_POSTS),
      followUnfollow(writers, targets),
    ];
    const feeds = await feedPlan(users);
    printNotes([...feeds.notes, ...modules.notes]);
    const rows = await measureAll([...feeds.endpoints, ...modules.endpoints, ...writes]);
    const [created, celebrityPosts, follows] = rows.slice(-3) as [Row, Row, Row];
    const notes = [
      ...feeds.notes,
      ...modules.notes,
      `Post creation: ${statusesOf(created)} (${writers.length} writers, five posts each, under the bench's DAILY_POST_LIMIT of ${DAILY_POST_LIMIT}).`,
      `Posts by u0 (${celebrityFollowers} followers): ${statusesOf(celebrityPosts)} (${CELEBRITY_POSTS} a run; DAILY_POST_LIMIT=${DAILY_POST_LIMIT}, so 429s from the ${DAILY_POST_LIMIT / CELEBRITY_POSTS + 1}th run in one UTC day).`,
      `Follow and unfollow (${writers.length} seeded users, ${FOLLOW_TARGETS} accounts of the bench's own): ${statusesOf(follows)} (204 expected).`,
    ];
    const md = `# ${store}: ${posts} posts, ${users} users, ${LISTINGS} listings × ${PRICES_PER_LISTING} prices\n\n${machine}; ${connections} connections, ${duration} s per endpoint, no pipelining.\n\n${table(rows)}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`;
    writeFileSync(resolve(ROOT, `bench/results/${store}.md`), md);
    writeFileSync(resolve(ROOT, `bench/results/${store}.json`), JSON.stringify({ store, users, posts, listings: LISTINGS, pricesPerListing: PRICES_PER_LISTING, machine, connections, duration, notes, rows }, null, 2));
    console.log(`\n${md}`);
  } finally {
    server.kill('SIGTERM');
  }
}

try {
  await (scale ? runScale(scale) : runOnce(USERS, POSTS));
} catch (err) {
  if (!(err instanceof BenchSetupError)) throw err;
  console.error(`bench: ${err.message}`);
  process.exit(1);
}
