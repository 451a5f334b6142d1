import { defineStore, requiredUrl, urlLocator, variable, type Env, type IsolatedDatabase } from '../shared/store.js';

export interface Neo4jSettings {
  url: string;
  user: string;
  password: string;
}

const PROTOCOLS = ['bolt:', 'neo4j:', 'bolt+s:', 'neo4j+s:', 'bolt+ssc:', 'neo4j+ssc:'];

function neo4jSettings(env: Env): Neo4jSettings {
  return {
    url: requiredUrl(env, 'NEO4J_URL', PROTOCOLS, 'neo4j'),
    user: variable(env, 'NEO4J_USER') ?? 'neo4j',
    password: variable(env, 'NEO4J_PASSWORD') ?? '',
  };
}

/** Neo4j through neo4j-driver. Community has a single database. */
export const neo4j = defineStore({
  kind: 'neo4j',
  variables: ['NEO4J_URL', 'NEO4J_USER', 'NEO4J_PASSWORD'],
  location: 'NEO4J_URL',
  locate: urlLocator('NEO4J_URL', PROTOCOLS),
  modules: ['users', 'follows', 'posts', 'timelines', 'blogs', 'listings'],
  settings: neo4jSettings,
  async open(settings: Neo4jSettings, { timeoutMs }) {
    const { Neo4jStore } = await import('./neo4j-store.js');
    return Neo4jStore.open({ ...settings, timeoutMs });
  },
  testing: {
    server: {
      script: 'test/services/neo4j.sh',
      async container() {
        const { Neo4jContainer } = await import('@testcontainers/neo4j');
        const c = await new Neo4jContainer('neo4j:5').start();
        return {
          env: { NEO4J_URL: c.getBoltUri(), NEO4J_USER: c.getUsername(), NEO4J_PASSWORD: c.getPassword() },
          source: 'testcontainers neo4j:5',
          stop: () => c.stop(),
        };
      },
    },
    // One database per server: suites keep apart by their own random data, after the run
    // emptied it once at start (reset); the benchmark empties it only when told to.
    database: (): IsolatedDatabase => ({ env: {}, shared: true, create: async () => {}, drop: async () => {} }),
    async reset(server: Env) {
      const { url, user, password } = neo4jSettings(server);
      const { emptyNeo4jDatabase } = await import('./empty-database.js');
      await emptyNeo4jDatabase(url, user, password);
    },
  },
});
