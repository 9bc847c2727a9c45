import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for Apollo's packages and for ours; Vite would give our
    // code the ESM entry instead, a second copy whose `instanceof` checks reject the first's types.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // FAIL_ON_PURPOSE=1: only the test that must fail, for `.ci/run`'s check of the exit code.
    include: process.env.FAIL_ON_PURPOSE ? ['test/fails-on-purpose.ts'] : ['**/*.test.ts', 'e2e/**/*.e2e.ts'],
    exclude: ['node_modules/**', '.data/**'],
    globalSetup: ['test/global-setup.ts'],
    // The test files share one seeded set of databases; one at a time keeps them independent.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
