import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linesOf, runCommand, STACK_FRAME } from './run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'agora-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PENDING = /^sqlite \(users, follows, posts, timelines, blogs, listings\): (\d+) pending: (.+)$/;

describe('migrate', { timeout: 90_000 }, () => {
  it('when asked for status or a dry run, then it reports the pending migrations and applies none; then a plain run applies them', async () => {
    const env = { SQLITE_PATH: join(dir, 'agora.db') };

    const before = await runCommand('cmd/migrate.ts', ['status'], env);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stderr).toBe('');
    const [, count, names] = PENDING.exec(before.stdout.trim()) ?? [];
    expect(Number(count)).toBeGreaterThan(0);

    const dryRun = await runCommand('cmd/migrate.ts', ['--dry-run'], env);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    expect(dryRun.stdout.trim()).toBe(`sqlite: would apply ${names}`);

    // Neither applied anything: the same migrations are still pending.
    const again = await runCommand('cmd/migrate.ts', ['--status'], env);
    expect(again.stdout).toBe(before.stdout);

    const applied = await runCommand('cmd/migrate.ts', [], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`sqlite: applied ${names}`);

    const after = await runCommand('cmd/migrate.ts', ['status'], env);
    expect(after.stdout.trim()).toBe('sqlite (users, follows, posts, timelines, blogs, listings): up to date');
    const nothing = await runCommand('cmd/migrate.ts', ['--dry-run'], env);
    expect(nothing.stdout.trim()).toBe('sqlite: nothing to apply');
  }, 180_000);

  it.each([['status'], ['--dry-run'], []])('when the SQLite directory does not exist (%s), then one line names SQLITE_PATH, exit 1', async (...args) => {
    const result = await runCommand('cmd/migrate.ts', args, { SQLITE_PATH: join(dir, 'missing', 'agora.db') });
    expect(result.code, result.stderr).toBe(1);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^agora: SQLITE_PATH: cannot open the sqlite store: .*directory does not exist/);
  });

  it.each([['status'], ['--dry-run'], []])('when a server store is unreachable (%s), then one line names its variable, exit 1', async (...args) => {
    // Port 1 on the loopback: nothing listens there, so no real server is involved.
    const env = { STORAGE: 'postgres', DATABASE_URL: 'postgres://agora:agora@127.0.0.1:1/agora', STORE_TIMEOUT_MS: '2000' };
    const result = await runCommand('cmd/migrate.ts', args, env);
    expect(result.code, result.stderr).toBe(1);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).toMatch(/^agora: DATABASE_URL: cannot reach the postgres store: .*ECONNREFUSED/);
  });
});
