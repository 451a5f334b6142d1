import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Client } from 'pg';
import { defineStore, integerVariable, requiredUrl, urlLocator, variable, withDatabaseName, type Env, type IsolatedDatabase } from '../shared/store.js';

export interface SqliteSettings {
  /** A file (WAL mode) or ":memory:". */
  path: string;
}

export interface PostgresSettings {
  url: string;
  poolSize: number;
}

/** Both dialects hold every module (the migrations in migrations/ are shared). */
const SQL_MODULES = ['users', 'follows', 'posts', 'timelines', 'blogs', 'listings'] as const;

const POSTGRES_PROTOCOLS = ['postgres:', 'postgresql:'];

/** SQLite through better-sqlite3: in process, in memory unless SQLITE_PATH names a file. */
export const sqlite = defineStore({
  kind: 'sqlite',
  variables: ['SQLITE_PATH'],
  location: 'SQLITE_PATH',
  // sqlite:./agora.db, or sqlite::memory:
  locate: (spec: string) => (spec.startsWith('sqlite:') ? { SQLITE_PATH: spec.slice('sqlite:'.length) || ':memory:' } : undefined),
  modules: SQL_MODULES,
  settings: (env: Env): SqliteSettings => ({ path: variable(env, 'SQLITE_PATH') ?? ':memory:' }),
  async open(settings: SqliteSettings, { timeoutMs }) {
    const { SqlStore } = await import('./sql-store.js');
    return SqlStore.open({ dialect: 'sqlite', path: settings.path, timeoutMs });
  },
  // An in-memory database starts empty every time.
  migrateAtStart: (settings: SqliteSettings) => settings.path === ':memory:',
  testing: {
    database(_server: Env, name: string, options: { dir?: string } = {}): IsolatedDatabase {
      const path = options.dir === undefined ? undefined : join(options.dir, `${name}.db`);
      const drop = async () => {
        if (path) await Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${path}${suffix}`, { force: true })));
      };
      return { env: { SQLITE_PATH: path ?? ':memory:' }, create: async () => {}, drop };
    },
  },
});

/** PostgreSQL through pg. */
export const postgres = defineStore({
  kind: 'postgres',
  variables: ['DATABASE_URL', 'PG_POOL_SIZE'],
  location: 'DATABASE_URL',
  locate: urlLocator('DATABASE_URL', POSTGRES_PROTOCOLS),
  modules: SQL_MODULES,
  settings: (env: Env): PostgresSettings => ({
    url: requiredUrl(env, 'DATABASE_URL', POSTGRES_PROTOCOLS, 'postgres'),
    poolSize: integerVariable(env, 'PG_POOL_SIZE', 10, 1, 1000),
  }),
  async open(settings: PostgresSettings, { timeoutMs }) {
    const { SqlStore } = await import('./sql-store.js');
    return SqlStore.open({ dialect: 'postgres', url: settings.url, poolSize: settings.poolSize, timeoutMs });
  },
  testing: {
    server: {
      script: 'test/services/postgres.sh',
      async container() {
        const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
        const c = await new PostgreSqlContainer('postgres:16-alpine').start();
        return { env: { DATABASE_URL: c.getConnectionUri() }, source: 'testcontainers postgres:16-alpine', stop: () => c.stop() };
      },
    },
    database(server: Env, name: string): IsolatedDatabase {
      const serverUrl = requiredUrl(server, 'DATABASE_URL', POSTGRES_PROTOCOLS, 'postgres');
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
      const admin = async (work: (client: Client) => Promise<unknown>) => {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          await work(client);
        } finally {
          await client.end();
        }
      };
      return {
        env: { DATABASE_URL: withDatabaseName(serverUrl, name) },
        create: () =>
          admin(async (client) => {
            const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
            if (!rowCount) await client.query(`create database ${name}`);
          }),
        drop: () =>
          admin(async (client) => {
            // FORCE ends the database's other sessions; one the server started itself (an
            // autovacuum worker on a fresh database) may refuse for a moment (42501): retry.
            for (let attempt = 1; ; attempt++) {
              try {
                return await client.query(`drop database if exists ${name} with (force)`);
              } catch (err) {
                if ((err as { code?: unknown }).code !== '42501' || attempt >= 10) throw err;
                await new Promise((resume) => setTimeout(resume, 200));
              }
            }
          }),
      };
    },
  },
});
