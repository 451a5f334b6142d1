import type { StoreDescriptor } from '../../adapters/shared/store.js';

export interface ServerLocation {
  /** The variables that point a store at the server (its location variable, credentials). */
  env?: Record<string, string>;
  /** Where it came from: "env DATABASE_URL", "testcontainers postgres:16", "in process". */
  source?: string;
  /** Why this store is not tested in this run. */
  skipped?: string;
}

export type ServerLocations = Partial<Record<string, ServerLocation>>;

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

/** The descriptor's variables that are set in `env`. */
function variablesOf(descriptor: StoreDescriptor, env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(descriptor.variables.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
}

/**
 * A server for each store: none for an in-process store, else the one its location variable
 * names, else a testcontainers container where Docker answers, else a skip saying why.
 */
export async function locateServers(stores: readonly StoreDescriptor[]): Promise<{ servers: ServerLocations; stop: () => Promise<void> }> {
  const servers: ServerLocations = {};
  const stops: Array<() => Promise<unknown>> = [];
  let docker: boolean | undefined;
  for (const descriptor of stores) {
    const { kind, location, testing } = descriptor;
    if (!testing.server) {
      servers[kind] = { env: {}, source: 'in process' };
      continue;
    }
    if (process.env[location]) {
      servers[kind] = { env: variablesOf(descriptor, process.env), source: `env ${location}` };
      continue;
    }
    const { script, container } = testing.server;
    docker ??= await dockerAnswers();
    if (!docker || !container) {
      servers[kind] = { skipped: `${location} is not set and no Docker engine answers (start one with ${script})` };
      continue;
    }
    try {
      const started = await container();
      stops.push(() => started.stop());
      servers[kind] = { env: started.env, source: started.source };
    } catch (err) {
      servers[kind] = { skipped: `testcontainers could not start ${kind}: ${(err as Error).message}` };
    }
  }
  return { servers, stop: async () => void (await Promise.allSettled(stops.map((s) => s()))) };
}
