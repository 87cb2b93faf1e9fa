/**
 * The tests StrykerJS runs against each mutant (stryker.config.json, docs/mutation-testing.md): the model's
 * unit tests and the regression specs but the large searches (test/mutation/specs.mutate.ts), which is what
 * pins the kernel rules. Left out: suites that spawn the built CLI (they run dist/, which Stryker does not
 * mutate), the live-kernel replay, the Chromium view test and the matrix- or whole-model-wide searches,
 * which would cost minutes per surviving mutant.
 *
 * `npm run mutate` (session-sized) leaves out the random-run laws too (fast-check over whole-model
 * sequences: seconds each under instrumentation, so minutes per surviving mutant); `npm run mutate:all`
 * (nightly) sets FOLIOCHECK_MUTATE_ALL=1 and runs them as well.
 *
 * Order: Stryker's runner stops at the first failing test, so the files run cheapest first (vitest's own
 * order is failed, then longest first): the unit tests beside the kernel functions, the specs, the other
 * model tests, and last the random-run laws.
 */

import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The random-run suites (fast-check over whole-model sequences). */
const SLOW_FILES = [
  'src/model/invariants/dataIsolation.test.ts',
  'src/model/invariants/index.test.ts',
  'src/model/invariants/index.thp_swap.test.ts',
  'src/model/mapcount/index.test.ts',
  'src/model/steps/index.test.ts',
  'src/model/state/codec.test.ts',
  'src/model/state/codec.fields.test.ts',
];

/** Suites that run the built dist/ (not mutated): they would fail in Stryker's sandbox, which has none. */
const BUILT_FILES = ['src/model/state/generate.entry.test.ts'];

function rank(file: string): number {
  if (SLOW_FILES.some((f) => file.endsWith(f))) return 3;
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
    include: [
      'src/model/**/*.test.ts',
      'test/mutation/*.mutate.ts',
      'src/script.test.ts',
      'src/trace.test.ts',
      'src/coverage.test.ts',
    ],
    exclude: [...BUILT_FILES, ...(process.env.FOLIOCHECK_MUTATE_ALL === '1' ? [] : SLOW_FILES)],
    environment: 'node',
    testTimeout: 120_000,
    sequence: { sequencer: CheapFirst },
    // Property tests' names carry their seed; the names must match between the dry run and each mutant's.
    setupFiles: ['test/mutation/fixedSeed.ts'],
  },
});
