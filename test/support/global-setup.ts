import neo4j from 'neo4j-driver';
import type { TestProject } from 'vitest/node';
import { SUPPORTED_STORES } from '../../internal/app/config.js';
import { locateServers, type ServerLocations } from './servers.js';

declare module 'vitest' {
  export interface ProvidedContext {
    servers: ServerLocations;
  }
}

/**
 * Neo4j Community has a single database, so a run starts by emptying it (the test server
 * must be disposable; test/services/neo4j.sh also starts each server on a fresh store).
 */
async function wipeNeo4j(url: string, user = 'neo4j', password = ''): Promise<void> {
  const driver = neo4j.driver(url, password ? neo4j.auth.basic(user, password) : undefined);
  const session = driver.session();
  try {
    await session.run('MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS');
  } finally {
    await session.close();
    await driver.close();
  }
}

/**
 * Finds a server for every store once per run (env URL, else a testcontainers container
 * where Docker answers, else a skip with its reason) and hands the addresses to the tests.
 */
export default async function setup(project: TestProject) {
  const { servers, stop } = await locateServers(SUPPORTED_STORES);
  for (const [kind, where] of Object.entries(servers)) {
    if (where.skipped) console.warn(`[stores] skipping ${kind}: ${where.skipped}`);
    else console.info(`[stores] ${kind}: ${where.source}`);
  }
  const skipped = Object.entries(servers).filter(([, where]) => where.skipped);
  if (process.env.REQUIRE_ALL_STORES === '1' && skipped.length > 0) {
    await stop();
    throw new Error(`REQUIRE_ALL_STORES=1 but these stores are unavailable: ${skipped.map(([k, w]) => `${k} (${w.skipped})`).join('; ')}`);
  }
  const neo4jServer = servers.neo4j;
  if (neo4jServer?.url && !neo4jServer.skipped) await wipeNeo4j(neo4jServer.url, neo4jServer.user, neo4jServer.password);
  project.provide('servers', servers);
  return stop;
}
