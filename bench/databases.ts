import { resolve } from 'node:path';
import { emptyNeo4jDatabase } from '../adapters/graph/empty-database.js';
import pg from 'pg';

/**
 * A database of its own for each benchmark size, so a run never writes into the one the
 * service uses and sizes never mix: a file for SQLite, `agora_bench_<posts>` on PostgreSQL
 * and MongoDB. Neo4j Community has a single database: it is emptied first, and only when
 * the caller said so (`--wipe`).
 */
export interface BenchDatabase {
  /** Env overrides that point the seeder and the server at it. */
  env: Record<string, string>;
  /** Makes it exist (and, for Neo4j with `wipe`, empty). */
  prepare(): Promise<void>;
}

export class BenchSetupError extends Error {}

function renamed(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function benchDatabase(store: string, posts: number, root: string, env: NodeJS.ProcessEnv, wipe: boolean): BenchDatabase {
  const name = `agora_bench_${posts}`;
  switch (store) {
    case 'sqlite':
      return { env: { SQLITE_PATH: resolve(root, `bench/results/${name}.db`) }, prepare: async () => {} };
    case 'postgres': {
      const server = env.DATABASE_URL;
      if (!server) throw new BenchSetupError('DATABASE_URL is required for STORAGE=postgres');
      return {
        env: { DATABASE_URL: renamed(server, name) },
        async prepare() {
          const admin = new pg.Client({ connectionString: server });
          await admin.connect();
          try {
            const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
            if (!rowCount) await admin.query(`create database ${name}`);
          } finally {
            await admin.end();
          }
        },
      };
    }
    case 'mongodb': {
      const server = env.MONGODB_URL;
      if (!server) throw new BenchSetupError('MONGODB_URL is required for STORAGE=mongodb');
      return { env: { MONGODB_URL: renamed(server, name) }, prepare: async () => {} };
    }
    case 'neo4j': {
      const server = env.NEO4J_URL;
      if (!server) throw new BenchSetupError('NEO4J_URL is required for STORAGE=neo4j');
      return {
        env: {},
        async prepare() {
          if (!wipe) {
            throw new BenchSetupError(
              `Neo4j Community has one database, so seeding a benchmark means emptying ${server} first: pass --wipe to allow it (or --skip-seed to measure what is there)`,
            );
          }
          await emptyNeo4jDatabase(server, env.NEO4J_USER, env.NEO4J_PASSWORD);
        },
      };
    }
    default:
      throw new BenchSetupError(`no benchmark database recipe for STORAGE=${store}`);
  }
}
