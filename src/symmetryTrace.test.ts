/**
 * Concrete traces of `--symmetry` searches (symmetryTrace.ts), where the stored path cannot be followed
 * step by step: the matrix's swap mix with tuple-naive deciding goes on past anonExclusiveMappedOnce into
 * states where reclaim's walk over the mms depends on their order. Every finding must still come with a
 * trace that replays from the concrete initial state, as long as the search without symmetry finds it.
 */
import { describe, expect, it } from 'vitest';
import { explore } from './checker/explore.js';
import { DECIDER_POLICIES, MIXES } from './matrix.js';
import { mixSystem } from './matrixSearch.js';
import { Truth } from './model/recount/truth.js';
import { replay } from './trace.js';

describe('concrete traces under symmetry', () => {
  it('every finding of the swap mix with tuple-naive deciding replays concretely, as short as without', async () => {
    const mix = MIXES.find((m) => m.name === 'swap');
    const policy = DECIDER_POLICIES.find((p) => p.decider === 'tuple-naive' && p.ae === 'page');
    if (mix === undefined || policy === undefined) throw new Error('no swap mix or tuple-naive policy');
    const plain = await explore(mixSystem(mix, policy, ['tuple-naive'], false), { continue: true, maxDepth: 5 });
    const sys = mixSystem(mix, policy, ['tuple-naive'], true);
    const reduced = await explore(sys, { continue: true, maxDepth: 5 });
    expect(reduced.stats.states).toBeLessThan(plain.stats.states);
    const shape = (v: typeof plain) => v.violations.map((x) => `${x.invariant} ${x.trace.length}`).sort();
    expect(shape(reduced)).toEqual(shape(plain));
    expect(reduced.violations.map((v) => v.invariant)).toContain('nothingFreedIsUsedNothingLeaks');
    for (const v of reduced.violations) {
      const r = replay(
        sys,
        v.trace.map((s) => s.index),
      );
      const last = r.steps[r.steps.length - 1]?.after ?? r.initial;
      const truth = new Truth(sys.cfg);
      truth.recount(last);
      const broken = sys.invariants.find((inv) => inv.name === v.invariant);
      expect(broken?.holds(last, truth), `${v.invariant} replays to a violation`).toBe(false);
    }
  });
});
