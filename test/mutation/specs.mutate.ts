/**
 * The regression specs a mutant of the kernel rules meets (vitest.mutate.config.ts, docs/mutation-testing.md):
 * every light spec of test/specs.test.ts but the exhaustive bench-core searches of 10^5 states and more,
 * which take seconds each under Stryker's instrumentation and pin the hot path more than the rules (the
 * whole suite and `foliocheck specs` still run them). Not a `*.test.ts`: only mutation runs include it.
 */
import { describe, expect, it } from 'vitest';
import { SPECS } from '../../specs/index.js';
import { runSpec } from '../../src/runSpec.js';

/** Exhaustive searches whose expected state count is at least this are left to the whole suite. */
const LARGE_SEARCH = 100_000;

const chosen = SPECS.filter(
  (s) => s.heavy !== true && ('states' in s.expect ? (s.expect.states ?? 0) : 0) < LARGE_SEARCH,
);

describe('specs (mutation runs)', () => {
  it('leave out only large searches: every script spec, the history and cow.c specs are in', () => {
    const history = (s: { name: string }) => s.name.startsWith('history: ');
    // 13 scenarios in the seven eras, and kernel-geometry.yaml's two 2 MiB ones in 6.15/page and 6.15/folio.
    expect(chosen.filter(history).length).toBe(13 * 7 + 2 * 2);
    expect(chosen.filter(history)).toEqual(SPECS.filter(history));
    expect(chosen.filter((s) => s.script !== undefined)).toEqual(SPECS.filter((s) => s.script !== undefined));
  });

  for (const spec of chosen) {
    it(`${spec.name} meets its expectation`, async () => {
      const r = await runSpec(spec);
      expect(r.verdict.mismatches).toEqual([]);
      expect(r.verdict.kind).toBe(spec.expect.verdict);
    });
  }
});
