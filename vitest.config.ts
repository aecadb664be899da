import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds; dependencies load the CJS one, so the
    // tests must too, or two copies of graphql meet ("from another module or realm").
    alias: { graphql: 'graphql/index.js' },
  },
  test: {
    include: ['test/**/*.test.ts'],
    // `npm run build` once: tests that start the gateway as a process run `node dist/main.js`.
    globalSetup: ['test/support/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Postgres- and Redis-backed suites use their own schemas/prefixes, so files may run in parallel.
    pool: 'forks',
  },
});
