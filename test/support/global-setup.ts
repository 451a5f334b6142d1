import type { TestProject } from 'vitest/node';
import { STORES } from '../../internal/app/registry.js';
import { locateServers, type ServerLocations } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServerLocations;
  }
}

/**
 * Finds a server for every store once per run (env URL, else a testcontainers container
 * where Docker answers, else a skip with its reason) and hands the addresses to the tests.
 * A store whose server has a single database (Neo4j Community) is reset first, so a run
 * starts from nothing (the test server must be disposable; test/services/neo4j.sh also
 * starts each server on a fresh store).
 */
export default async function setup(project: TestProject) {
  const { servers, stop } = await locateServers(STORES);
  for (const [kind, where] of Object.entries(servers)) {
    if (where?.skipped) console.warn(`[stores] skipping ${kind}: ${where.skipped}`);
    else console.info(`[stores] ${kind}: ${where?.source}`);
  }
  const skipped = Object.entries(servers).filter(([, where]) => where?.skipped);
  if (process.env.REQUIRE_ALL_STORES === '1' && skipped.length > 0) {
    await stop();
    throw new Error(`REQUIRE_ALL_STORES=1 but these stores are unavailable: ${skipped.map(([k, w]) => `${k} (${w?.skipped})`).join('; ')}`);
  }
  for (const { kind, testing } of STORES) {
    const where = servers[kind];
    if (testing.reset && where?.env && !where.skipped) await testing.reset(where.env);
  }
  project.provide('servers', servers);
  return stop;
}
