import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, runCommand } from './run-command.js';

/** Rows of `table` in the SQLite file at `path`, or 0 while it has no such table yet. */
function rowsOf(path: string, table: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

describe('npm run transfer, killed midway', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agora-transfer-kill-'));
  const source = join(dir, 'source.db');
  const target = join(dir, 'target.db');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the process is killed during a module, then a second run refuses the target and --resume finishes it with equal digests', async () => {
    const seeded = await runCommand('cmd/seed.ts', ['--users', '200', '--posts', '20000', '--blogs', '5', '--listings', '20'], { SQLITE_PATH: source }, 120_000);
    expect(seeded.code, seeded.stderr).toBe(0);

    // Small batches, each its own committed transaction: the kill lands between or inside them.
    const args = ['--from', `sqlite:${source}`, '--to', `sqlite:${target}`, '--batch', '20'];
    const child = spawn(process.execPath, ['--import', 'tsx', 'cmd/transfer.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
    const deadline = Date.now() + 90_000;
    while (rowsOf(target, 'posts') === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const copied = rowsOf(target, 'posts');
    expect(copied).toBeGreaterThan(0);
    expect(copied).toBeLessThan(20_000);

    const again = await runCommand('cmd/transfer.ts', args, {}, 120_000);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^transfer: the target already holds \d+ users record\(s\).*--resume/);

    const resumed = await runCommand('cmd/transfer.ts', [...args, '--resume'], {}, 180_000);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const module of ['users', 'follows', 'posts', 'blogs', 'listings']) expect(resumed.stdout).toMatch(new RegExp(`^${module} .* same$`, 'm'));
    expect(resumed.stdout).not.toContain('DIFFERENT');
    expect(rowsOf(target, 'posts')).toBe(20_000);
  }, 400_000);
});
