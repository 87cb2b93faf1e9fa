/**
 * The tests StrykerJS runs against each mutant (stryker.config.json, docs/mutation-testing.md): the model's
 * unit tests and the regression specs but the large searches (test/mutation/specs.mutate.ts), which is what
 * pins the kernel rules. Left out: suites that spawn the built CLI (they run dist/, which Stryker does not
 * mutate), the live-kernel replay, the Chromium view test and the matrix- or whole-model-wide searches,
 * which would cost minutes per surviving mutant.
 *
 * Order: Stryker's runner stops at the first failing test, so the files run cheapest first (vitest's own
 * order is failed, then longest first): the unit tests beside the kernel functions, the specs, the other
 * model tests, and last the random-run laws, which take seconds each.
 */

import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The random-run suites (fast-check over whole-model sequences): seconds each, so last. */
const SLOW =
  /invariants\/(dataIsolation|index|index\.thp_swap)\.test\.ts$|mapcount\/index\.test\.ts$|steps\/index\.test\.ts$|state\/codec(\.fields)?\.test\.ts$/;

function rank(file: string): number {
  if (SLOW.test(file)) return 3;
  if (/src\/model\/(mm|kernel|include)\//.test(file)) return 0;
  if (file.endsWith('specs.mutate.ts')) return 1;
  return 2;
}

class CheapFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId) || a.moduleId.localeCompare(b.moduleId));
  }
}

export default defineConfig({
  test: {
    include: ['src/model/**/*.test.ts', 'test/mutation/*.mutate.ts', 'src/script.test.ts', 'src/trace.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    sequence: { sequencer: CheapFirst },
  },
});
