import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import autocannon, { type Options, type Result } from 'autocannon';
import { parseCommandLine } from '../internal/app/cli.js';
import { DEFAULT_STORE, STORES } from '../internal/app/registry.js';
import { BenchSetupError, benchDatabase } from './databases.js';

/**
 * npm run bench [-- --users N --posts M --duration S --connections C --scale 10000,1000000 --wipe]
 * Seeds the configured store (STORAGE and its URL, as for npm start) into a database of the
 * benchmark's own (bench/databases.ts), starts the server in its own process, drives each
 * endpoint with autocannon (no pipelining) and writes bench/results/<store>.{md,json}; with
 * --scale, the read endpoints at each size into bench/results/scale-<store>.{md,json}.
 */
const USAGE = `Usage: npm run bench -- [options]

Seeds a database of the benchmark's own (agora_bench_<posts>) in the store STORAGE names
(${STORES.map((d) => d.kind).join(', ')}; default ${DEFAULT_STORE.kind}; its URL as for "npm start"), serves it, drives each
endpoint with autocannon and writes bench/results/<store>.{md,json}. BENCHMARKS.md has the method.

Options:
  --users N          seeded users, at least 3 (default 10000)
  --posts N          seeded posts, at least 1 (default 100000)
  --scale N,N,...    instead: the read endpoints at each size (posts; users are a tenth, within
                     100..100000) into bench/results/scale-<store>.{md,json}; not with --users/--posts
  --duration S       seconds per endpoint, at least 1 (default 10)
  --connections C    concurrent connections, at least 1 (default 10)
  --port P           port of the benchmarked server (default 3900)
  --skip-seed        measure what an earlier run seeded
  --wipe             allow emptying a single-database server (Neo4j Community) before seeding
  -h, --help         print this help and exit

Exit status: 0 done; 1 the store's database cannot be set up or a step failed; 2 a bad command
line or STORAGE (one line on stderr).`;

const ROOT = resolve(import.meta.dirname, '..');
const cli = parseCommandLine({
  command: 'bench',
  usage: USAGE,
  options: {
    users: { type: 'string' },
    posts: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    port: { type: 'string' },
    scale: { type: 'string' },
    'skip-seed': { type: 'boolean' },
    wipe: { type: 'boolean' },
  },
});
const values = { 'skip-seed': cli.values['skip-seed'] === true, wipe: cli.values.wipe === true };
// Writers are users u2 onwards, and a read endpoint needs a post: at least 3 users and 1 post.
const USERS = cli.integer('users', 10_000, { min: 3 });
const POSTS = cli.integer('posts', 100_000, { min: 1 });
const scale = cli.integers('scale', { min: 1 });
if (scale && (cli.values.users !== undefined || cli.values.posts !== undefined)) cli.fail('--scale sets the sizes itself: drop --users and --posts');
const duration = cli.integer('duration', 10, { min: 1 });
const connections = cli.integer('connections', 10, { min: 1 });
const port = cli.integer('port', 3900, { min: 1, max: 65_535 });
const base = `http://127.0.0.1:${port}`;
const store = process.env.STORAGE ?? DEFAULT_STORE.kind;
if (!STORES.some((d) => d.kind === store)) cli.fail(`STORAGE="${store}" is invalid: expected one of ${STORES.map((d) => d.kind).join(', ')}`);

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

async function json<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${base}${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function login(username: string): Promise<string> {
  const body = await json<{ token: string }>('/api/sessions', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'benchpass' }),
  });
  return body.token;
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
  return { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', STORAGE: store, RATE_LIMIT_PER_MINUTE: '0', AUTH_RATE_LIMIT_PER_MINUTE: '0', LOGIN_FAILURE_LIMIT: '0', PASSWORD_HASH_QUEUE: '100000', AUTO_MIGRATE: 'true', NODE_ENV: 'production', AUTH_SECRET: randomBytes(36).toString('base64url'), ...extra };
}

async function seed(env: NodeJS.ProcessEnv, users: number, posts: number): Promise<void> {
  await run(['cmd/seed.ts', '--users', String(users), '--posts', String(posts), '--heavy-follows', String(Math.min(1000, users - 2))], env);
}

type Endpoint = [name: string, options: Partial<Options>];

async function readEndpoints(): Promise<Endpoint[]> {
  const reader = await login('u1');
  const feed = await json<{ items: Array<{ id: string }> }>('/api/posts?limit=10');
  const postId = feed.items[0]!.id;
  return [
    ['GET /api/posts (all)', { url: `${base}/api/posts?limit=10` }],
    ['GET /api/posts?following=true', { url: `${base}/api/posts?following=true&limit=10`, headers: { authorization: `Bearer ${reader}` } }],
    ['GET /api/users/u0 (profile)', { url: `${base}/api/users/u0` }],
    ['GET /api/posts/{id}', { url: `${base}/api/posts/${postId}` }],
  ];
}

/**
 * Warms every route up (unrecorded), then measures each endpoint between two runs of the
 * baseline: its ratio is to the mean of the two runs around it, so a shared machine that
 * speeds up or slows down during the run moves both sides of a ratio together.
 */
async function measureAll(endpoints: Endpoint[]): Promise<Row[]> {
  const baseline: Endpoint = ['GET /bench/baseline', { url: `${base}/bench/baseline` }];
  for (const [, options] of [baseline, ...endpoints]) {
    if (!options.requests) await autocannon({ url: base, connections, duration: 2, pipelining: 1, ...options });
  }
  const baselines = [await measure(...baseline)];
  const rows: Row[] = [];
  for (const endpoint of endpoints) {
    const row = await measure(...endpoint);
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
  const lines = ['| endpoint | req/s | ratio to baseline | p50 ms | p99 ms | mean ms | errors | non-2xx |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |'];
  for (const r of rows) {
    lines.push(`| ${r.endpoint} | ${r.reqPerSec.toFixed(0)} | ${(r.ratio ?? 0).toFixed(2)} | ${r.p50} | ${r.p99} | ${r.mean.toFixed(2)} | ${r.errors} | ${r.non2xx} |`);
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
}

function scaleTable(results: ScaleResult[]): string {
  const cell = (r: ScaleResult, name: string) => {
    const row = r.rows.find((x) => x.endpoint.includes(name))!;
    return `${row.p50} / ${row.mean.toFixed(2)}`;
  };
  const rate = (r: ScaleResult, name: string) => {
    const row = r.rows.find((x) => x.endpoint.includes(name))!;
    return `${row.reqPerSec.toFixed(0)} (${(row.ratio ?? row.reqPerSec / baselineOf(r.rows)).toFixed(2)})`;
  };
  const lines = [
    '| posts | users | all feed p50 / mean ms | following p50 / mean ms | profile p50 / mean ms | post p50 / mean ms | all feed req/s (ratio) | following req/s (ratio) | baseline req/s |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.map(
      (r) =>
        `| ${r.posts} | ${r.users} | ${cell(r, '(all)')} | ${cell(r, 'following')} | ${cell(r, 'profile')} | ${cell(r, '{id}')} | ${rate(r, '(all)')} | ${rate(r, 'following')} | ${baselineOf(r.rows).toFixed(0)} |`,
    ),
  ];
  const setups = [...new Set(results.map((r) => `${r.machine}; ${r.connections} connections, ${r.duration} s per endpoint`))];
  return `# Scale run (${store})\n\n${setups.join('\n')}; no pipelining.\n\n${lines.join('\n')}\n`;
}

/** Seeds (unless --skip-seed) a database of its own for this size and serves it. */
async function serveSize(users: number, posts: number): Promise<ChildProcess> {
  const database = benchDatabase(store, posts, ROOT, process.env, values.wipe);
  const env = storeEnv(database.env);
  if (!values['skip-seed']) {
    await database.prepare();
    await seed(env, users, posts);
  }
  return startServer(env);
}

async function main(): Promise<void> {
  if (scale) {
    // Sizes accumulate across invocations (a long size can be run, or re-run, on its own);
    // the files are rewritten after every size, so an interrupted run keeps what it measured.
    const jsonPath = resolve(ROOT, `bench/results/scale-${store}.json`);
    const results = new Map<number, ScaleResult>();
    if (existsSync(jsonPath)) for (const r of (JSON.parse(readFileSync(jsonPath, 'utf8')) as { results: ScaleResult[] }).results) results.set(r.posts, r);
    for (const posts of scale) {
      // Ten posts per user up to 100,000 users, then more posts per user: the posts table
      // grows a thousandfold across 10k..10M while a seed of the largest size stays under
      // half an hour on a small machine (20M follows would take longer than 10M posts).
      const users = Math.min(100_000, Math.max(100, Math.round(posts / 10)));
      const server = await serveSize(users, posts);
      try {
        results.set(posts, { posts, users, machine, connections, duration, rows: await measureAll(await readEndpoints()) });
      } finally {
        server.kill('SIGTERM');
      }
      const sorted = [...results.values()].sort((a, b) => a.posts - b.posts);
      writeFileSync(jsonPath, JSON.stringify({ store, results: sorted }, null, 2));
      writeFileSync(resolve(ROOT, `bench/results/scale-${store}.md`), scaleTable(sorted));
    }
    console.log(`\n${readFileSync(resolve(ROOT, `bench/results/scale-${store}.md`), 'utf8')}`);
    return;
  }

  const users = USERS;
  const posts = POSTS;
  const server = await serveSize(users, posts);
  try {
    const reads = await readEndpoints();
    // Writers: a random run of seeded users (u2 onwards), each with five posts left today
    // unless an earlier run today used them; each token is used exactly five times.
    const writers = Math.min(2_000, users - 2);
    const first = Math.floor(Math.random() * (users - 2));
    const tokens: string[] = [];
    for (let i = 0; i < writers; i += 50) {
      const batch = Array.from({ length: Math.min(50, writers - i) }, (_, j) => login(`u${2 + ((first + i + j) % (users - 2))}`));
      tokens.push(...(await Promise.all(batch)));
    }
    let next = 0;
    const create: Endpoint = [
      'POST /api/posts (create)',
      {
        amount: writers * 5,
        requests: [
          {
            method: 'POST',
            path: '/api/posts',
            setupRequest: (req) => ({
              ...req,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[next++ % tokens.length]}` },
              body: JSON.stringify({ content: `bench post ${next}` }),
            }),
          },
        ],
      },
    ];
    const rows = await measureAll([...reads, create]);
    const created = rows.at(-1)!;
    const md = `# ${store}: ${posts} posts, ${users} users\n\n${machine}; ${connections} connections, ${duration} s per endpoint, no pipelining.\n\n${table(rows)}\n\nPost creation: ${created.statuses['201'] ?? 0} created, ${created.statuses['429'] ?? 0} answered 429 (the daily limit: ${writers} writers, five posts each, so any 429 means a writer had posted earlier today).\n`;
    writeFileSync(resolve(ROOT, `bench/results/${store}.md`), md);
    writeFileSync(resolve(ROOT, `bench/results/${store}.json`), JSON.stringify({ store, users, posts, machine, connections, duration, rows }, null, 2));
    console.log(`\n${md}`);
  } finally {
    server.kill('SIGTERM');
  }
}

try {
  await main();
} catch (err) {
  if (!(err instanceof BenchSetupError)) throw err;
  console.error(`bench: ${err.message}`);
  process.exit(1);
}
