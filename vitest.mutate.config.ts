/**
 * The tests StrykerJS runs against each mutant (stryker.config.json, docs/mutation-testing.md): the model's
 * unit tests and the light regression specs, which is what pins the kernel rules. Left out: suites that
 * spawn the built CLI (they run dist/, which Stryker does not mutate), the live-kernel replay, the Chromium
 * view test and the matrix- or whole-model-wide searches, which would cost minutes per surviving mutant.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/model/**/*.test.ts', 'test/specs.test.ts', 'src/script.test.ts', 'src/trace.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
