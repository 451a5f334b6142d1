import { resolve } from 'node:path';
import { STORES } from '../internal/app/registry.js';

/**
 * A database of its own for each benchmark size, so a run never writes into the one the
 * service uses and sizes never mix: `agora_bench_<size>` (the posts, and any fans) by the store's own recipe (its
 * descriptor's `testing.database`: a file under bench/results for an in-process store, a
 * database of that name on a server), dropped and made anew before each seeding. A server with
 * a single database (Neo4j Community) is emptied instead, and only when the caller said so
 * (`--wipe`).
 */
export interface BenchDatabase {
  /** Env overrides that point the seeder and the server at it. */
  env: Record<string, string>;
  /**
   * Makes it exist and empty, so a seeded run measures exactly what it seeded (posts written by
   * an earlier run's write endpoints would otherwise stay on top of every feed). A
   * single-database server is emptied only with `wipe`.
   */
  prepare(): Promise<void>;
}

export class BenchSetupError extends Error {}

export function benchDatabase(store: string, size: string, root: string, env: NodeJS.ProcessEnv, wipe: boolean): BenchDatabase {
  const descriptor = STORES.find((d) => d.kind === store);
  if (!descriptor) throw new BenchSetupError(`no benchmark database recipe for STORAGE=${store}`);
  const { kind, location, testing } = descriptor;
  if (testing.server && !env[location]) throw new BenchSetupError(`${location} is required for STORAGE=${kind}`);
  const database = testing.database(env, `agora_bench_${size}`, { dir: resolve(root, 'bench/results') });
  return {
    env: database.env,
    async prepare() {
      if (database.shared) {
        if (!wipe) {
          throw new BenchSetupError(
            `the ${kind} server has one database, so seeding a benchmark means emptying ${env[location]} first: pass --wipe to allow it (or --skip-seed to measure what is there)`,
          );
        }
        await testing.reset?.(env);
      } else {
        await database.drop();
      }
      await database.create();
    },
  };
}
