/**
 * Symmetry reduction over mm numbers (`--symmetry`): the search stores one state per renaming of the mms.
 * Laws: the number of states equals the number of classes of the unreduced state space, each class
 * computed here independently (plain kernels renamed field by field); a renamed state has the same
 * canonical encoding, and the same successors up to renaming (the bisimulation state/symmetry.ts argues);
 * and the reduced search keeps every verdict, with traces that replay concretely.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { config, randomRun, renamedKernel } from '../../../test/helpers.js';
import { explore } from '../../checker/explore.js';
import { KernelSystem } from '../../spec.js';
import { replay } from '../../trace.js';
import { applyAction } from '../actions.js';
import type { Bounds } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import { OP_NAMES } from '../steps/index.js';
import { toPlain } from './plain.js';
import { permutations } from './symmetry.js';

const BOUNDS: Partial<Bounds> = {
  mms: 3,
  va: 2,
  pt: 2,
  large: 2,
  slots: 1,
  pins: 1,
  era: '6.15',
  ops: ['fault', 'fork', 'write', 'zap', 'exit', 'pin', 'unpin'],
};

/** Every step, contents, swap, two pins and every scheme, with three mms: the bisimulation's bounds. */
const WHOLE: Partial<Bounds> = {
  mms: 3,
  va: 2,
  pt: 2,
  large: 2,
  slots: 3,
  pins: 2,
  map: 2,
  swap: 1,
  data: true,
  era: '6.15',
  ops: OP_NAMES,
  schemes: ['page-mapcount', 'large-mapcount', 'total-mapped-pages', 'tuple-naive', 'tuple-scan'],
};

/** Every state reachable under `sys`, decoded, by breadth-first search with a set of encodings. */
function reachable(sys: KernelSystem): Kernel[] {
  const words = sys.stateWords;
  const seen = new Set<string>();
  const queue: Uint32Array[] = [];
  const first = new Uint32Array(words);
  sys.writeInitial(first, 0);
  seen.add(first.join());
  queue.push(first);
  const out: Kernel[] = [];
  for (let q = 0; q < queue.length; q++) {
    const s = queue[q] as Uint32Array;
    out.push(sys.decodeKernel(s, 0));
    for (let i = 0; i < sys.actionCount; i++) {
      sys.load(s, 0);
      const next = new Uint32Array(words);
      if (!sys.successor(i, next, 0)) continue;
      const key = next.join();
      if (!seen.has(key)) {
        seen.add(key);
        queue.push(next);
      }
    }
  }
  return out;
}

/** What each action does to `k` under `sys`: not enabled, a failure, or the canonical successor. */
function outcomes(sys: KernelSystem, k: Kernel): string[] {
  const words = new Uint32Array(sys.stateWords);
  return sys.actions
    .map((a) => {
      const t = toPlain(k);
      try {
        const ret = applyAction(t, a);
        if (ret !== 0) return 'disabled';
        sys.encodeKernel(t, words, 0);
        return words.join();
      } catch (e) {
        return `throws ${sys.classify(e).kind}`;
      }
    })
    .sort();
}

const canonical = (sys: KernelSystem, k: Kernel): string => {
  const words = new Uint32Array(sys.stateWords);
  sys.encodeKernel(k, words, 0);
  return words.join();
};

describe('symmetry over mm numbers', () => {
  it('permutations lists every renaming, the identity first', () => {
    expect(permutations(1).map((p) => [...p])).toEqual([[0]]);
    const three = permutations(3).map((p) => [...p].join(''));
    expect(three[0]).toBe('012');
    expect([...three].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
  });

  it('the reduced search has exactly one state per class of the unreduced state space', () => {
    const plain = new KernelSystem(config(BOUNDS));
    const all = reachable(plain);
    const perms = permutations(3).map((p) => [...p]);
    const words = new Uint32Array(plain.stateWords);
    const classes = new Set<string>();
    for (const k of all) {
      let best: string | undefined;
      for (const perm of perms) {
        plain.encodeKernel(renamedKernel(k, perm, true), words, 0);
        const key = [...words].map((x) => x.toString(16).padStart(8, '0')).join('');
        if (best === undefined || key < best) best = key;
      }
      classes.add(best as string);
    }
    const reduced = reachable(new KernelSystem(config({ ...BOUNDS, symmetry: true })));
    expect(all.length).toBeGreaterThan(reduced.length);
    expect(reduced.length).toBe(classes.size);
  });

  it('a renamed state encodes as the state, and its successors are the same classes', () => {
    const policies: Partial<Bounds>[] = [
      { era: '5.7' },
      { era: '5.9' },
      { era: '5.19', ae: 'folio' },
      { era: '6.15' },
      { era: '6.15', decider: 'mm-id' },
      { era: '6.15', decider: 'tuple-scan' },
    ];
    const systems = policies.map((p) => new KernelSystem(config({ ...WHOLE, ...p, symmetry: true })));
    const perms = permutations(3).map((p) => [...p]);
    const choice = fc.array(fc.nat(), { maxLength: 14 });
    fc.assert(
      fc.property(choice, fc.nat({ max: perms.length - 1 }), fc.nat({ max: systems.length - 1 }), (choices, p, y) => {
        const sys = systems[y] as KernelSystem;
        const states = randomRun(sys.cfg, choices).states;
        const k = states[states.length - 1] as Kernel;
        const r = renamedKernel(k, perms[p] as number[], false);
        expect(canonical(sys, r)).toBe(canonical(sys, k));
        expect(outcomes(sys, r)).toEqual(outcomes(sys, k));
      }),
      { numRuns: 150 },
    );
  });

  it('every state the reduced search stores is its own representative', () => {
    const sys = new KernelSystem(config({ ...WHOLE, symmetry: true }));
    const words = new Uint32Array(sys.stateWords);
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 14 }), (choices) => {
        for (const k of randomRun(sys.cfg, choices).states) {
          sys.encodeKernel(k, words, 0);
          const once = [...words];
          sys.encodeKernel(sys.decodeKernel(words, 0), words, 0);
          expect([...words]).toEqual(once);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps every verdict, and its traces replay from the concrete initial state', async () => {
    for (const era of ['5.7', '5.9', '6.15'] as const) {
      const b = { ...BOUNDS, era, slots: 2, schemes: ['tuple-scan'] };
      const plain = await explore(new KernelSystem(config(b)), { continue: true, maxDepth: 6 });
      const sys = new KernelSystem(config({ ...b, symmetry: true }));
      const reduced = await explore(sys, { continue: true, maxDepth: 6 });
      expect(reduced.stats.states).toBeLessThan(plain.stats.states);
      const shape = (v: typeof plain) => v.violations.map((x) => `${x.invariant} ${x.trace.length}`).sort();
      expect(shape(reduced), era).toEqual(shape(plain));
      if (era !== '6.15') expect(reduced.violations.length, era).toBeGreaterThan(0);
      for (const v of reduced.violations) {
        const r = replay(
          sys,
          v.trace.map((s) => s.index),
        );
        const last = r.steps[r.steps.length - 1]?.after ?? r.initial;
        const name = `${era} ${v.invariant}`;
        expect(
          sys.invariants.findIndex((inv) => inv.name === v.invariant),
          name,
        ).toBeGreaterThanOrEqual(0);
        const truth = new Truth(sys.cfg);
        truth.recount(last);
        const broken = sys.invariants.find((inv) => inv.name === v.invariant);
        expect(broken?.holds(last, truth), `${name} replays to a violation`).toBe(false);
      }
    }
  });
});
