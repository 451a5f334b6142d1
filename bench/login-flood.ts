/**
 * How long a legitimate log-in takes while 64 clients flood POST /api/sessions, beside its idle
 * time, with the shipped defaults (throttling on). The flood comes from 127.0.0.1; the legitimate
 * client from other loopback addresses (127.0.0.2, 127.0.0.3), as a user elsewhere would.
 *   npm run bench:login-flood -- [--seconds 20] [--distributed]
 * --distributed: every flood request claims another address through X-Forwarded-For (with
 * TRUST_PROXY=true), the worst case for per-address limits: only the hashing queue is left.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { parseCommandLine } from '../internal/app/cli.js';

const USAGE = `Usage: npm run bench:login-flood -- [--seconds S] [--distributed]

Starts the server with the shipped defaults (in-memory SQLite, throttling on), times legitimate
log-ins while idle and while 64 clients flood POST /api/sessions with wrong passwords, and
prints the ratio. BENCHMARKS.md ("Log-in under a flood") has the method and results.

Options:
  --seconds S     how long the flood lasts, at least 1 (default 20)
  --distributed   every flood request claims another address through X-Forwarded-For
                  (TRUST_PROXY=true): the worst case for per-address limits
  -h, --help      print this help and exit

Exit status: 0 done; 1 a step failed (the server did not start); 2 a bad command line (one line
on stderr).`;

const cli = parseCommandLine({ command: 'login-flood', usage: USAGE, options: { seconds: { type: 'string' }, distributed: { type: 'boolean' } } });
const values = { distributed: cli.values.distributed === true };
const seconds = cli.number('seconds', 20, { min: 1 });
const PORT = 3300 + Math.floor(Math.random() * 500);
const PASSWORD = 'correct horse battery';

/** The flood keeps its connections open, as a real client would: the cheapest requests to send. */
const floodAgent = new Agent({ keepAlive: true, maxSockets: 64, localAddress: '127.0.0.1' });

function post(path: string, body: object, localAddress: string, headers: Record<string, string> = {}, agent?: Agent): Promise<{ status: number; ms: number }> {
  const payload = JSON.stringify(body);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: PORT, method: 'POST', path, ...(agent ? { agent } : { localAddress }), headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Times of the legitimate log-ins that succeeded; `refused` counts the others by status. */
async function legitimate(username: string, from: string, samples: number, refused: Record<number, number> = {}): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const res = await post('/api/sessions', { username, password: PASSWORD }, from);
    if (res.status === 201) times.push(res.ms);
    else refused[res.status] = (refused[res.status] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 300));
  }
  return times;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['--import', 'tsx', 'cmd/server.ts'], {
    env: { ...process.env, PORT: String(PORT), LOG_LEVEL: 'warn', ...(values.distributed ? { TRUST_PROXY: 'true' } : {}) },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    for (let i = 0; ; i++) {
      try {
        await post('/api/users', { username: 'legit', password: PASSWORD }, '127.0.0.4');
        break;
      } catch {
        if (i > 100) throw new Error('the server did not start');
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const idle = await legitimate('legit', '127.0.0.2', 8);

    const statuses: Record<number, number> = {};
    let stop = false;
    let sent = 0;
    const flooder = async () => {
      while (!stop) {
        const headers: Record<string, string> = values.distributed ? { 'x-forwarded-for': `10.${sent % 250}.${(sent >> 8) % 250}.${sent % 7}` } : {};
        sent++;
        const res = await post('/api/sessions', { username: `x${randomBytes(5).toString('hex')}`, password: 'wrong password' }, '127.0.0.1', headers, floodAgent).catch(() => ({ status: 0, ms: 0 }));
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      }
    };
    const flood = Array.from({ length: 64 }, flooder);
    await new Promise((r) => setTimeout(r, 1000));
    const refused: Record<number, number> = {};
    const busy = await legitimate('legit', '127.0.0.3', Math.max(4, Math.min(8, Math.floor(seconds / 2))), refused);
    await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - 1000 - busy.reduce((a, b) => a + b + 300, 0))));
    stop = true;
    await Promise.all(flood);

    const ratio = busy.length > 0 ? median(busy) / median(idle) : Number.NaN;
    console.log(`flood: 64 clients${values.distributed ? ' (a new X-Forwarded-For address per request)' : ' from one address'}, ${sent} requests in ~${seconds} s, statuses ${JSON.stringify(statuses)}`);
    const under = busy.length > 0 ? `median ${median(busy).toFixed(1)} ms (max ${Math.max(...busy).toFixed(1)} ms)` : 'none succeeded';
    console.log(`legitimate log-in: idle median ${median(idle).toFixed(1)} ms, under flood ${under}: ${ratio.toFixed(2)}x; refused ${JSON.stringify(refused)}`);
  } finally {
    floodAgent.destroy();
    server.kill('SIGTERM');
  }
}

await main();
