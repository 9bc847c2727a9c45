// Not part of the suite: `.ci/run` runs it alone (FAIL_ON_PURPOSE=1 npm test) to prove that a
// failing test makes `npm test` exit non-zero on the embedded PostgreSQL.
import { expect, it } from 'vitest';

it('fails on purpose', () => {
  expect('this test').toBe('failing');
});
