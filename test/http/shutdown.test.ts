import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('graceful shutdown', () => {
  it('when the server gets SIGTERM while serving, then it answers what it accepted, closes and exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cmd/server.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'info' },
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no listening line: ${out}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const match = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
    });
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const inFlight = fetch(`http://127.0.0.1:${port}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lastone', password: 'correct horse' }),
    });
    // Signal only once the server has accepted the request (sign-up then spends ~100 ms hashing).
    const deadline = Date.now() + 10_000;
    while (!out.includes('"url":"/api/users"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    expect((await inFlight).status).toBe(201);
    expect(await exited, out).toBe(0);
    expect(out).toContain('shutting down');
  }, 60_000);
});
