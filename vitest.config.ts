import { createRequire } from 'node:module';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

const require = createRequire(import.meta.url);

// Three layers, told apart by file name (docs/tests.md); `npm test` runs them in this order.
//   unit         **/*.test.ts             no database: pure logic, plugins and servers in-process
//   integration  **/*.int.test.ts         a subgraph, a migration or the embedded server on PostgreSQL
//   e2e          e2e/<scenario>/*.e2e.ts  the whole stack through the gateway, `npm start`, the browser
// A file that needs PostgreSQL without the name for it fails with a message saying so.
//
// The two layers on PostgreSQL share one global setup that migrates and seeds the databases once;
// every test file then runs on fresh copies of its own (test/file-databases.ts), so files run in
// parallel and none sees another's writes.
//
// Workers, measured on 2 cores (docs/tests.md): unit 2 (1 took 45% longer, 3 longer again);
// integration 3, whose files wait on PostgreSQL more than on the CPU (3 beat 2 by 8%, 1 was slowest);
// e2e 2, each file a whole stack (1 took 75% longer; 3 was no faster, and flakier on a busy machine).
const excluded = ['node_modules/**', '.data/**'];

const unit: TestProjectInlineConfiguration = {
  extends: true,
  test: { name: 'unit', include: ['**/*.test.ts'], exclude: [...excluded, '**/*.int.test.ts'], maxWorkers: 2 },
};

function onPostgres(name: string, include: string[], maxWorkers: number, groupOrder: number): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include,
      exclude: excluded,
      globalSetup: ['test/global-setup.ts'],
      setupFiles: ['test/fresh-databases.ts'],
      maxWorkers,
      // One layer after the other, each with its own number of workers.
      sequence: { groupOrder },
    },
  };
}

const integration = onPostgres('integration', ['**/*.int.test.ts'], 3, 1);
const e2e = onPostgres('e2e', ['e2e/**/*.e2e.ts'], 2, 2);

export default defineConfig({
  resolve: {
    // Node loads graphql's CommonJS entry for Apollo's packages and for ours; Vite would give our
    // code the ESM entry instead, a second copy whose `instanceof` checks reject the first's types.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // FAIL_ON_PURPOSE=1: only the test that must fail, on PostgreSQL, for `.ci/run`'s check of the exit code.
    projects: process.env.FAIL_ON_PURPOSE ? [onPostgres('fails-on-purpose', ['test/fails-on-purpose.ts'], 1, 0)] : [unit, integration, e2e],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      LOG_LEVEL: 'silent',
      // The seed's PENDING orders are minutes old when the global setup makes them; a run can take
      // longer than the default 30 minutes, and an expiry sweep in any stack would then restock and
      // invalidate under tests that read Bob's orders or a product's stock. The expiry tests set their own TTL.
      PENDING_ORDER_TTL_MINUTES: '10080',
    },
  },
});
