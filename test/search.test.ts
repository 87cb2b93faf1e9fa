/**
 * The kernel model under the engine: the two stores agree, and the breadth-first counterexample is a
 * shortest one (no random walk finds a shorter one).
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/checker/explore.js';
import { simulate } from '../src/checker/simulate.js';
import type { Verdict } from '../src/checker/verdict.js';
import type { Action } from '../src/model/actions.js';
import { applyAction } from '../src/model/actions.js';
import type { Bounds } from '../src/model/config.js';
import { makeConfig } from '../src/model/configure.js';
import { PRESETS } from '../src/model/presets.js';
import { createKernel } from '../src/model/state/plain.js';
import { CORE_OPS } from '../src/model/steps/index.js';
import { KernelSystem } from '../src/spec.js';

const figures = (v: Verdict<Action>) => ({
  kind: v.kind,
  states: v.stats.states,
  edges: v.stats.edges,
  depth: v.stats.depth,
  trace: v.kind === 'invariant-violated' ? v.trace.map((s) => s.index) : [],
});

async function bothStores(b: Bounds): Promise<void> {
  const exact = await explore(new KernelSystem(makeConfig(b)), { store: 'exact' });
  const fingerprint = await explore(new KernelSystem(makeConfig(b)), { store: 'fingerprint' });
  expect(exact.kind).not.toBe('incomplete');
  expect(figures(fingerprint)).toEqual(figures(exact));
}

/** Bounds small enough to exhaust in a few milliseconds: va 2, at most 5 slots and 2 pins. */
const tinyBounds: fc.Arbitrary<Bounds> = fc
  .record({
    mms: fc.integer({ min: 1, max: 2 }),
    pt: fc.constantFrom(1, 2),
    largeIsPt: fc.boolean(),
    slots: fc.integer({ min: 1, max: 5 }),
    pins: fc.integer({ min: 0, max: 2 }),
    ops: fc.subarray([...CORE_OPS], { minLength: 1 }),
    tuple: fc.boolean(),
  })
  .map(({ mms, pt, largeIsPt, slots, pins, ops, tuple }) => ({
    mms,
    va: 2,
    pt,
    large: largeIsPt ? pt : 1,
    slots,
    pins,
    ops,
    tuple,
  }));

describe('exact and fingerprint stores agree on the kernel model', () => {
  test.prop([tinyBounds], { numRuns: 12 })('same verdict, figures and trace on random tiny bounds', bothStores);

  // The brief's va 4, pt 2, large 2 with slots 6 has 7.4 M states (over a minute per store); 3 slots keep
  // the same shape at about 100 k states.
  const fixed = { mms: 2, va: 4, pt: 2, large: 2, slots: 3, pins: 1, ops: CORE_OPS, tuple: false } as const;
  it('same verdict and figures: va 4, pt 2, large 2, slots 3', () => bothStores(fixed));
  it('same verdict and trace with the tuple counter (va 4, pt 2, large 2, slots 6)', () =>
    bothStores({ ...fixed, slots: 6, tuple: true }));
});

/** Bounds whose shortest violation is known: core-tuple (2 steps), and core-tuple without zap (3 steps). */
const violating: readonly Bounds[] = [
  PRESETS['core-tuple'],
  { ...PRESETS['core-tuple'], ops: ['fault', 'fork', 'wp', 'pin', 'unpin'] },
];

describe('the breadth-first counterexample is shortest', () => {
  test.prop([fc.constantFrom(...violating), fc.integer()], { numRuns: 8 })(
    "no violating walk of simulate is shorter than explore's trace, and each walk replays to a violation",
    async (b, seed) => {
      const sys = new KernelSystem(makeConfig(b));
      const v = await explore(sys);
      expect(v.kind).toBe('invariant-violated');
      if (v.kind !== 'invariant-violated') return;
      const r = await simulate(new KernelSystem(makeConfig(b)), { seed, runs: 100, steps: 20 });
      expect(r.kind).toBe('invariant-violated');
      if (r.kind !== 'invariant-violated') return;
      expect(r.trace.length).toBeGreaterThanOrEqual(v.trace.length);
      // The walk is a real execution of the model, ending in a state that breaks the invariant it names.
      const k = createKernel(sys.cfg);
      for (const step of r.trace) expect(applyAction(k, step.action)).toBe(0);
      expect(sys.invariantNames[sys.checkKernel(k)]).toBe(r.invariant);
    },
  );
});
