import type { StoreKind } from '../../internal/app/config.js';

export interface ServerLocation {
  /** Connection URL of the server, for stores that have one. */
  url?: string;
  user?: string;
  password?: string;
  /** Where it came from: "env DATABASE_URL", "testcontainers postgres:16", "in process". */
  source?: string;
  /** Why this store is not tested in this run. */
  skipped?: string;
}

export type ServerLocations = Partial<Record<StoreKind, ServerLocation>>;

const ENV: Partial<Record<StoreKind, string>> = { postgres: 'DATABASE_URL', mongodb: 'MONGODB_URL', neo4j: 'NEO4J_URL' };

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

interface Started {
  url: string;
  user?: string;
  password?: string;
  source: string;
  stop: () => Promise<unknown>;
}

async function startContainer(kind: StoreKind): Promise<Started> {
  switch (kind) {
    case 'postgres': {
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      const c = await new PostgreSqlContainer('postgres:16-alpine').start();
      return { url: c.getConnectionUri(), source: 'testcontainers postgres:16-alpine', stop: () => c.stop() };
    }
    case 'mongodb': {
      const { MongoDBContainer } = await import('@testcontainers/mongodb');
      const c = await new MongoDBContainer('mongo:7').start();
      return { url: `${c.getConnectionString()}/agora?directConnection=true`, source: 'testcontainers mongo:7', stop: () => c.stop() };
    }
    case 'neo4j': {
      const { Neo4jContainer } = await import('@testcontainers/neo4j');
      const c = await new Neo4jContainer('neo4j:5').start();
      return { url: c.getBoltUri(), user: c.getUsername(), password: c.getPassword(), source: 'testcontainers neo4j:5', stop: () => c.stop() };
    }
    default:
      throw new Error(`no container for ${kind}`);
  }
}

export async function locateServers(kinds: readonly StoreKind[]): Promise<{ servers: ServerLocations; stop: () => Promise<void> }> {
  const servers: ServerLocations = {};
  const stops: Array<() => Promise<unknown>> = [];
  let docker: boolean | undefined;
  for (const kind of kinds) {
    const variable = ENV[kind];
    if (!variable) {
      servers[kind] = { source: 'in process' };
      continue;
    }
    const fromEnv = process.env[variable];
    if (fromEnv) {
      servers[kind] = {
        url: fromEnv,
        source: `env ${variable}`,
        ...(kind === 'neo4j' ? { user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD ?? '' } : {}),
      };
      continue;
    }
    docker ??= await dockerAnswers();
    if (!docker) {
      servers[kind] = { skipped: `${variable} is not set and no Docker engine answers (start one with test/services/${kind}.sh)` };
      continue;
    }
    try {
      const started = await startContainer(kind);
      stops.push(started.stop);
      const { stop: _stop, ...location } = started;
      servers[kind] = location;
    } catch (err) {
      servers[kind] = { skipped: `testcontainers could not start ${kind}: ${(err as Error).message}` };
    }
  }
  return { servers, stop: async () => void (await Promise.allSettled(stops.map((s) => s()))) };
}
