import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlStore } from '../../adapters/sql/sql-store.js';
import { linesOf, runCommand, STACK_FRAME } from './run-command.js';

const dir = mkdtempSync(join(tmpdir(), 'agora-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('seed', { timeout: 90_000 }, () => {
  it.each([[{}], [{ SQLITE_PATH: ':memory:' }]])(
    'when the store is an in-memory SQLite (%j), then it refuses in one line saying how to name a file, exit 2',
    async (env) => {
      const result = await runCommand('cmd/seed.ts', ['--users', '10', '--posts', '10'], env);
      expect(result.code, result.stderr).toBe(2);
      expect(linesOf(result.stderr)).toHaveLength(1);
      expect(result.stderr).not.toMatch(STACK_FRAME);
      expect(result.stderr).toMatch(/^seed: the sqlite store is in memory .*SQLITE_PATH=\.\/agora\.db npm run seed/);
      expect(result.stdout).toBe('');
    },
  );

  it('when SQLITE_PATH names a file, then the seeded rows are there after it exits, with every index the migrations made; a second run adds nothing', async () => {
    const path = join(dir, 'seeded.db');
    const args = ['--users', '20', '--posts', '60', '--follows-per-user', '2', '--heavy-follows', '5', '--batch', '7'];
    // The schema of a freshly migrated file: seeding defers indexes, and must put each one back as it was.
    const freshPath = join(dir, 'fresh.db');
    const fresh = await SqlStore.open({ dialect: 'sqlite', path: freshPath });
    await fresh.migrate();
    await fresh.close();
    const schemaOf = (db: Database.Database) => db.prepare(`select type, name, tbl_name, sql from sqlite_master order by type, name`).all();
    const migrated = new Database(freshPath, { readonly: true });
    const expected = schemaOf(migrated);
    migrated.close();
    let counts: number[] = [];
    for (const run of [1, 2]) {
      const result = await runCommand('cmd/seed.ts', args, { SQLITE_PATH: path });
      expect(result.code, `run ${run}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toMatch(/done: users u0\.\.u19/);
      const db = new Database(path, { readonly: true });
      try {
        const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
        expect(count('users')).toBe(20);
        expect(count('posts')).toBe(60);
        expect(count('follows')).toBeGreaterThanOrEqual(5);
        if (run === 2) expect([count('users'), count('follows'), count('posts')]).toEqual(counts);
        counts = [count('users'), count('follows'), count('posts')];
        expect(schemaOf(db)).toEqual(expected);
      } finally {
        db.close();
      }
    }
  }, 60_000);

  it('when SQLITE_PATH is in a directory that does not exist, then one line names it, exit 1', async () => {
    const result = await runCommand('cmd/seed.ts', [], { SQLITE_PATH: join(dir, 'missing', 'agora.db') });
    expect(result.code, result.stderr).toBe(1);
    expect(linesOf(result.stderr)).toHaveLength(1);
    expect(result.stderr).toMatch(/^agora: SQLITE_PATH: cannot open the sqlite store: .*directory does not exist/);
  });
});
