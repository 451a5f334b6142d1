import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompiledShape, runsDirectly } from '../../adapters/sql/compiled.js';
import type { SqlStore } from '../../adapters/sql/sql-store.js';
import { directReads, withStatementCache } from '../../adapters/sql/statement-cache.js';
import { createStore } from '../../internal/app/stores.js';
import { describeEachStore, testConfig, type TestStore } from '../support/store-matrix.js';

interface Db {
  t: { id: number; name: string; note: string | null };
}

const connection = new SQLite(':memory:');
const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
connection.exec("create table t (id integer primary key, name text not null, note text); insert into t values (1, 'one', null), (2, 'two', 'b'), (3, 'three', 'c')");
afterAll(() => db.destroy());

describe('SQLite statements (the statement cache and compiled shapes)', () => {
  it('when rows are read, then they are objects keyed by column, as better-sqlite3 gives them, every time the statement is reused', async () => {
    for (let i = 0; i < 3; i++) {
      const rows = await db.selectFrom('t').selectAll().orderBy('id').execute();
      expect(rows).toEqual([
        { id: 1, name: 'one', note: null },
        { id: 2, name: 'two', note: 'b' },
        { id: 3, name: 'three', note: 'c' },
      ]);
    }
    const { rows } = await sql<{ id: number; x: number }>`select id, 1 as x, 2 as x from t where id = ${2}`.execute(db);
    expect(rows).toEqual([connection.prepare('select id, 1 as x, 2 as x from t where id = 2').get()]);
  });

  it('when columns have names a generated object literal could misread, then every row still has exactly better-sqlite3\'s own keys and values', async () => {
    const names = ['"', "'", '\\', '`${x}`', '}; throw 1; ({', '__proto__', 'constructor', 'toString', '', ' ', 'ü ✓', '0', '1e3', 'a\nb', '\u2028'];
    for (const pick of [names, names.filter((n) => n !== '__proto__')]) {
      const select = `select ${pick.map((n, i) => `${i} as "${n.replaceAll('"', '""')}"`).join(', ')}, 'last' as "${pick[0]!.replaceAll('"', '""')}"`;
      const { rows } = await sql.raw<Record<string, unknown>>(select).execute(db);
      const own = connection.prepare(select).get() as Record<string, unknown>;
      expect(rows).toHaveLength(1);
      expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
      expect(Object.entries(rows[0]!)).toEqual(Object.entries(own));
    }
  });

  it('when a statement writes, then it runs and reports its changes; a streamed read yields keyed rows', async () => {
    const result = await db.updateTable('t').set({ note: 'z' }).where('id', '=', 3).executeTakeFirst();
    expect(result.numUpdatedRows).toBe(1n);
    const streamed: unknown[] = [];
    for await (const row of db.selectFrom('t').select(['id', 'note']).where('id', '>', 1).orderBy('id').stream()) streamed.push(row);
    expect(streamed).toEqual([
      { id: 2, note: 'b' },
      { id: 3, note: 'z' },
    ]);
  });

  it('when a compiled shape runs, then each call binds its own values in the order of the stand-ins', async () => {
    const shape = new CompiledShape(db, () => db.selectFrom('t').select('name').where('id', '>', 0).where('name', '!=', '').orderBy('id').limit(0));
    expect(await shape.rows([1, 'three', 5])).toEqual([{ name: 'two' }]);
    expect(await shape.rows([0, 'two', 2])).toEqual([{ name: 'one' }, { name: 'three' }]);
    expect(await shape.first([3, '', 1])).toBeUndefined();
  });

  it('when a compiled shape gets more or fewer values than it has stand-ins, then it throws and runs nothing', async () => {
    const shape = new CompiledShape(db, () => db.selectFrom('t').select('name').where('id', '=', 0));
    await expect(shape.rows([])).rejects.toThrow('this query takes 1 values, not 0');
    await expect(shape.rows([1, 2])).rejects.toThrow('this query takes 1 values, not 2');
  });
});

describe('SQLite compiled reads run on the connection directly', () => {
  const direct = new SQLite(':memory:');
  const statements = withStatementCache(direct);
  const executed: string[] = [];
  const db = new Kysely<Db>({ dialect: new SqliteDialect({ database: statements }), log: (event) => {
      executed.push(event.query.sql);
    },
  });
  runsDirectly(db, directReads(direct, statements));
  direct.exec("create table t (id integer primary key, name text not null, note text); insert into t values (1, 'one', null)");
  const byId = new CompiledShape(db, () => db.selectFrom('t').select(['id', 'name']).where('id', '=', 0));
  afterAll(() => db.destroy());

  it('when no transaction is open, then a compiled read runs without going through Kysely (its log stays empty) and answers keyed rows', async () => {
    executed.length = 0;
    expect(await byId.rows([1])).toEqual([{ id: 1, name: 'one' }]);
    expect(executed).toEqual([]);
  });

  it('when a transaction is open, then a compiled read waits for it and never sees what it rolls back', async () => {
    let read: Promise<unknown[]> | undefined;
    const rolledBack = db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 9, name: 'nine', note: null }).execute();
      read = byId.rows([9]);
      await new Promise((resume) => setTimeout(resume, 20)); // the read must not answer meanwhile
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    expect(await read).toEqual([]);
  });

  it('when a transaction commits, then the compiled read that waited for it sees its rows', async () => {
    let read: Promise<unknown[]> | undefined;
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ id: 10, name: 'ten', note: null }).execute();
      read = byId.rows([10]);
    });
    expect(await read).toEqual([{ id: 10, name: 'ten' }]);
  });
});

describeEachStore(
  'PostgreSQL prepared hot reads',
  (kind) => {
    let t: { store: TestStore['store']; config: TestStore['config']; drop: () => Promise<void> };
    beforeAll(async () => {
      // One pooled connection: the read after the schema change meets the statement prepared before it.
      const { config, drop } = await testConfig(kind, { PG_POOL_SIZE: '1' });
      const store = (await createStore(kind, config)) as TestStore['store'];
      await store.migrate();
      t = { store, config, drop };
    });
    afterAll(async () => {
      await t?.store.close();
      await t?.drop();
    });

    it('when a migration adds a column under a prepared read, then the read still answers, and goes on answering', async () => {
      const users = t.store.ports.users();
      const user = { id: '0194d7a0-0000-7000-8000-0000000000a1', username: 'prepared', passwordHash: 'x', joinedAt: new Date('2026-01-01T00:00:00Z') };
      await users.create(user);
      expect((await users.findByUsername('prepared'))?.id).toBe(user.id);
      const { default: pg } = await import('pg');
      const admin = new pg.Client({ connectionString: (t.config.stores.postgres as { url: string }).url });
      await admin.connect();
      try {
        await admin.query('alter table users add column prepared_probe text');
      } finally {
        await admin.end();
      }
      expect((await users.findByUsername('prepared'))?.id).toBe(user.id);
      expect((await users.findByUsername('prepared'))?.id).toBe(user.id);
    });

    it('when a prepared read answers, then its rows are the objects pg itself makes: same keys in the same order, same values and types, the last column of a name winning', async () => {
      const shape = new CompiledShape((t.store as unknown as SqlStore).db, () => sql<Record<string, unknown>>`
        select g as a, ${'x'}::text as "b""q", g * 10 as a, now() - make_interval(days => g) as at, null::int as nothing, g::bigint as big
        from generate_series(1, 3) g order by g`);
      const { default: pg } = await import('pg');
      const own = new pg.Client({ connectionString: (t.config.stores.postgres as { url: string }).url });
      await own.connect();
      try {
        for (let i = 0; i < 2; i++) {
          const rows = await shape.rows(['y']);
          const theirs = (await own.query(`select g as a, $1::text as "b""q", g * 10 as a, now() - make_interval(days => g) as at, null::int as nothing, g::bigint as big from generate_series(1, 3) g order by g`, ['y'])).rows as Array<Record<string, unknown>>;
          expect(rows.map((r) => Object.keys(r))).toEqual(theirs.map((r) => Object.keys(r)));
          expect(rows.map((r) => ({ ...r, at: typeof r.at }))).toEqual(theirs.map((r) => ({ ...r, at: typeof r.at })));
          expect(rows[0]!.at).toBeInstanceOf(Date);
          expect(rows.map((r) => r.a)).toEqual([10, 20, 30]);
        }
      } finally {
        await own.end();
      }
    });
  },
  ['postgres'],
);
