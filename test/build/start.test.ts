import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'dist/cmd/server.js');

/** The newest modification time of the TypeScript the build compiles. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
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

async function healthz(port: number): Promise<number> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('npm start', () => {
  let npm: ChildProcess | undefined;
  let serverPid: number | undefined;

  beforeAll(() => {
    // Build when dist/ is missing or older than a source file (npm install builds it through `prepare`).
    const built = existsSync(SERVER) ? statSync(SERVER).mtimeMs : 0;
    const newest = Math.max(...['cmd', 'internal', 'adapters'].map((dir) => newestSource(join(ROOT, dir))));
    if (built >= newest) return;
    const result = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
    expect(result.status, `npm run build failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  }, 200_000);

  afterEach(() => {
    // Whatever happened above, leave no process behind.
    if (npm?.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
    if (serverPid !== undefined && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    npm = undefined;
    serverPid = undefined;
  });

  it('when npm start gets SIGTERM, then the compiled server stops answering and both processes exit within seconds', async () => {
    const port = await freePort();
    npm = spawn('npm', ['start'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    // 'close': npm has exited and its output is closed, which the server holds open while it lives.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      npm!.once('close', (code, signal) => done({ code, signal })),
    );

    // The package script runs compiled JavaScript on plain node: no tsx, no TypeScript at run time.
    const deadline = Date.now() + 30_000;
    while ((await healthz(port)) !== 200) {
      expect(npm.exitCode, `npm start exited before answering:\n${out}`).toBeNull();
      expect(Date.now() < deadline, `no 200 from /healthz within 30 s:\n${out}`).toBe(true);
      await sleep(20);
    }
    const listening = out.split('\n').find((line) => line.includes('Server listening at'));
    expect(listening, out).toBeDefined();
    serverPid = (JSON.parse(listening!) as { pid: number }).pid;
    expect(serverPid).not.toBe(npm.pid);
    expect(out).toContain('node dist/cmd/server.js');

    npm.kill('SIGTERM');
    const stopped = Date.now();
    const exit = await Promise.race([exited, sleep(10_000).then(() => null)]);
    expect(exit, `npm start, or the server holding its output, was still running 10 s after SIGTERM:\n${out}`).not.toBeNull();
    expect(exit).toEqual({ code: 0, signal: null });
    while (alive(serverPid) && Date.now() - stopped < 10_000) await sleep(20);
    expect(alive(serverPid), `the server (pid ${serverPid}) outlived npm start:\n${out}`).toBe(false);
    expect(Date.now() - stopped).toBeLessThan(5_000);
    expect(await healthz(port)).toBe(0);
    expect(out).toContain('"signal":"SIGTERM"');
  }, 60_000);
});
