// Cold start: the time from spawning a server process to its first 200 from /healthz, the median
// of N runs, for the compiled service (node dist/cmd/server.js on in-memory SQLite) beside a bare
// Fastify hello-world started the same way (and, for reference, the service from source via tsx).
//
//   npm run build && npx tsx bench/cold-start.ts [--runs 10] [--root DIR] [--no-tsx]
//
// The processes run on the node that runs this script (put another first on PATH to measure it);
// --root points at another checkout or install (its dist/ and node_modules/).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    root: { type: 'string', default: resolve(import.meta.dirname, '..') },
    'no-tsx': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const root = resolve(values.root);
const TIMEOUT_MS = 30_000;

if (!existsSync(join(root, 'dist/cmd/server.js'))) {
  console.error(`cold-start: ${root}/dist/cmd/server.js is missing: run npm run build first`);
  process.exit(1);
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

function healthz(port: number): Promise<number> {
  return new Promise((done) => {
    const req = request({ host: '127.0.0.1', port, path: '/healthz', agent: false }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
    });
    req.on('error', () => done(0));
    req.end();
  });
}

/**
 * CPU time (user + system) a process has used, in ms, from /proc (Linux; NaN elsewhere): a figure a
 * busy machine distorts less than the wall time, since the process waits for a core without using it.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return Number.NaN;
  }
}

/** Milliseconds from spawn to the first 200 from /healthz, and the CPU time the process spent by then. */
async function once(args: string[]): Promise<{ wall: number; cpu: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      AUTH_SECRET: randomBytes(48).toString('base64'),
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    for (;;) {
      if ((await healthz(port)) === 200) return { wall: performance.now() - started, cpu: cpuMs(child.pid) };
      if (gone) throw new Error(`${args.join(' ')} exited before answering: ${stderr}`);
      if (performance.now() - started > TIMEOUT_MS) throw new Error(`${args.join(' ')}: no 200 from /healthz in ${TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 2));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

const dir = mkdtempSync(join(tmpdir(), 'agora-cold-start-'));
const hello = join(dir, 'hello.mjs');
// The same Fastify the service uses, resolved from the root's node_modules.
writeFileSync(
  hello,
  `import { createRequire } from 'node:module';
const Fastify = createRequire(${JSON.stringify(join(root, 'package.json'))})('fastify');
const app = Fastify();
app.get('/healthz', async () => ({ status: 'ok' }));
await app.listen({ host: process.env.HOST, port: Number(process.env.PORT) });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
`,
);

const subjects: Array<[string, string[]]> = [
  ['fastify hello-world', [hello]],
  ['agora (node dist/cmd/server.js)', ['dist/cmd/server.js']],
];
if (!values['no-tsx']) subjects.push(['agora from source (tsx cmd/server.ts)', ['--import', 'tsx', 'cmd/server.ts']]);

try {
  console.log(`node ${process.version}, ${runs} runs each, root ${root}`);
  const medians = new Map<string, number>();
  for (const [name, args] of subjects) {
    await once(args); // warm the file system cache; not counted
    const results: Array<{ wall: number; cpu: number }> = [];
    for (let i = 0; i < runs; i++) results.push(await once(args));
    const times = results.map((r) => r.wall);
    const cpu = median(results.map((r) => r.cpu));
    medians.set(name, median(times));
    const fmt = (x: number) => x.toFixed(0);
    console.log(
      `${name.padEnd(40)} median ${fmt(median(times))} ms  (min ${fmt(Math.min(...times))}, max ${fmt(Math.max(...times))}); CPU time ${fmt(cpu)} ms`,
    );
  }
  const base = medians.get(subjects[0]![0])!;
  for (const [name] of subjects.slice(1)) console.log(`${name}: ${(medians.get(name)! / base).toFixed(2)}x the hello-world`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
