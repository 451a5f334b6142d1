import { defineStore, requiredUrl, urlLocator, withDatabaseName, type Env, type IsolatedDatabase } from '../shared/store.js';

export interface MongoSettings {
  /** Connection string, database name in the path. */
  url: string;
}

const PROTOCOLS = ['mongodb:', 'mongodb+srv:'];

/** MongoDB (or FerretDB) through the mongodb driver. */
export const mongodb = defineStore({
  kind: 'mongodb',
  variables: ['MONGODB_URL'],
  location: 'MONGODB_URL',
  locate: urlLocator('MONGODB_URL', PROTOCOLS),
  modules: ['users', 'follows', 'posts', 'timelines', 'blogs', 'listings'],
  settings: (env: Env): MongoSettings => ({ url: requiredUrl(env, 'MONGODB_URL', PROTOCOLS, 'mongodb') }),
  async open(settings: MongoSettings, { timeoutMs }) {
    const { MongoStore } = await import('./mongo-store.js');
    return MongoStore.open(settings.url, { timeoutMs });
  },
  testing: {
    server: {
      script: 'test/services/mongodb.sh',
      async container() {
        const { MongoDBContainer } = await import('@testcontainers/mongodb');
        const c = await new MongoDBContainer('mongo:7').start();
        return { env: { MONGODB_URL: `${c.getConnectionString()}/agora?directConnection=true` }, source: 'testcontainers mongo:7', stop: () => c.stop() };
      },
    },
    database(server: Env, name: string): IsolatedDatabase {
      const url = withDatabaseName(requiredUrl(server, 'MONGODB_URL', PROTOCOLS, 'mongodb'), name);
      return {
        env: { MONGODB_URL: url },
        // A database exists once something is written to it (the migrations).
        create: async () => {},
        async drop() {
          const { MongoClient } = await import('mongodb');
          const client = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
          try {
            await client.db().dropDatabase();
          } finally {
            await client.close();
          }
        },
      };
    },
  },
});
