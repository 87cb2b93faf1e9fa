import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'specs/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
    // Every core: Vitest's default leaves one idle (cores - 1), which on a 2-core machine runs the files one at
    // a time. The tests hold no timing assertions, so sharing the cores costs only wall time.
    maxWorkers: availableParallelism(),
    reporters: ['default', './test/summaryReporter.ts'],
  },
});
