import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: { name: 'suites', include: ['test/**/*.test.ts'], exclude: ['test/exclusive/**'], sequence: { groupOrder: 0 } },
      },
      {
        // Suites that need a whole server to themselves (a transfer reads and writes whole
        // stores; Neo4j Community has one database): one file at a time, after all the others.
        extends: true,
        test: { name: 'exclusive', include: ['test/exclusive/**/*.test.ts'], fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
