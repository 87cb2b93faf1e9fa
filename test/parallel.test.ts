/**
 * The parallel search (src/checker/parallel.ts) against the sequential one. Worker threads load compiled
 * JavaScript, so this suite drives the build in dist/ (`npm test` builds first).
 */
import { describe, expect, it } from 'vitest';
import type * as Parallel from '../src/checker/parallel.js';
import type * as Configure from '../src/model/configure.js';
import type * as Presets from '../src/model/presets.js';
import type * as Spec from '../src/spec.js';

const dist = (path: string): string => new URL(`../dist/${path}`, import.meta.url).href;
const { exploreKernel, KernelSystem } = (await import(dist('src/spec.js'))) as typeof Spec;
const { PRESETS } = (await import(dist('src/model/presets.js'))) as typeof Presets;
const { makeConfig } = (await import(dist('src/model/configure.js'))) as typeof Configure;

const small = { mms: 2, va: 4, pt: 2, large: 2, slots: 3, pins: 1, ops: PRESETS['core-safe'].ops, tuple: false };

describe('parallel breadth-first search', () => {
  for (const workers of [2, 3]) {
    for (const store of ['exact', 'fingerprint'] as const) {
      it(`finds the same states, edges and depth as one thread (${workers} workers, ${store})`, async () => {
        const one = await exploreKernel(new KernelSystem(makeConfig(small), 'one'), { store });
        const many = await exploreKernel(new KernelSystem(makeConfig(small), 'many'), { store, workers });
        expect(one.kind).toBe('success');
        expect(many.kind).toBe('success');
        expect(many.stats.states).toBe(one.stats.states);
        expect(many.stats.edges).toBe(one.stats.edges);
        expect(many.stats.depth).toBe(one.stats.depth);
        expect(many.stats.levels).toEqual(one.stats.levels);
      });
    }
  }

  it("sums its workers' coverage to the one-thread counts (step kinds and branches)", async () => {
    const ops = ['fault', 'zap', 'fork', 'wp', 'pin', 'unpin', 'read', 'pageout'];
    const withSwap = { mms: 2, va: 2, pt: 2, large: 2, slots: 3, pins: 1, swap: 1, ops, tuple: false };
    const one = await exploreKernel(new KernelSystem(makeConfig(withSwap), 'one'));
    const many = await exploreKernel(new KernelSystem(makeConfig(withSwap), 'many'), { workers: 2 });
    expect(one.kind).toBe('success');
    expect(many.coverage).toEqual(one.coverage);
    expect(Object.values(one.coverage?.steps ?? {}).reduce((a, b) => a + b, 0)).toBe(one.stats.edges);
    // Every branch these bounds can reach is taken (16 of them: COW, unshare, swap, fork, reclaim).
    expect(one.coverage?.unfired).toEqual({ steps: [], branches: [] });
  });

  it('reaches bench-core core-safe-p0 exactly (185,042 states, 2,944,041 edges, depth 15)', async () => {
    const v = await exploreKernel(new KernelSystem(makeConfig(PRESETS['core-safe-p0']), 'p0'), { workers: 2 });
    expect(v.kind).toBe('success');
    expect([v.stats.states, v.stats.edges, v.stats.depth]).toEqual([185_042, 2_944_041, 15]);
  });

  it('stops at a shortest counterexample that replays (core-tuple: 2 steps)', async () => {
    const sys = new KernelSystem(makeConfig(PRESETS['core-tuple']), 'tuple');
    const v = await exploreKernel(sys, { workers: 2 });
    expect(v.kind).toBe('invariant-violated');
    if (v.kind !== 'invariant-violated') return;
    expect(v.invariant).toBe('tupleCountMatchesPageTables');
    expect(v.trace).toHaveLength(2);
    // Replaying the trace from the initial state reaches a state that violates the same invariant.
    const k = sys.initialKernel();
    const { applyAction } = (await import(dist('src/model/actions.js'))) as typeof import('../src/model/actions.js');
    for (const step of v.trace) expect(applyAction(k, step.action)).toBe(0);
    expect(sys.invariantNames[sys.checkKernel(k)]).toBe('tupleCountMatchesPageTables');
  });

  it('a check that throws on a state another worker sent: the model error traces to that state', async () => {
    const { exploreParallel } = (await import(dist('src/checker/parallel.js'))) as typeof Parallel;
    const kernel = { bounds: small, name: 'throws', prefix: [] };
    const sys = new KernelSystem(makeConfig(small), 'throws');
    const w = sys.stateWords;
    // Targets: eight states spread over the first six levels (enough of them arrive in another worker's
    // batch, not first in it).
    const all = statesUpTo(sys, 6);
    const states = all.filter((_, i) => i % Math.floor(all.length / 8) === 7);
    expect(states.length).toBeGreaterThanOrEqual(8);
    for (const words of states) {
      const recipe = { module: new URL('./fixtures/checkThrows.mjs', import.meta.url).href, exportName: 'make' };
      const v = await exploreParallel(sys, { ...recipe, args: { kernel, words: [...words] } }, { workers: 2 });
      expect(v.kind).toBe('model-error');
      if (v.kind !== 'model-error') return;
      // The trace replays to the state whose check threw.
      const at = new Uint32Array(w);
      sys.writeInitial(at, 0);
      for (const step of v.trace) {
        sys.load(at, 0);
        expect(sys.successor(step.index, at, 0)).toBe(true);
      }
      expect([...at]).toEqual([...words]);
    }
  });

  it('honours a state bound with an incomplete verdict', async () => {
    const v = await exploreKernel(new KernelSystem(makeConfig(PRESETS['core-safe-p0']), 'p0'), {
      workers: 2,
      maxStates: 1000,
    });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('states');
  });
});

/** The encoded states of the first `levels` levels of `sys`'s search, in breadth-first order. */
function statesUpTo(sys: InstanceType<typeof KernelSystem>, levels: number): Uint32Array[] {
  const w = sys.stateWords;
  const first = new Uint32Array(w);
  sys.writeInitial(first, 0);
  const seen = new Set([first.join()]);
  let level: Uint32Array[] = [first];
  const all: Uint32Array[] = [first];
  for (let d = 1; d < levels; d++) {
    const next: Uint32Array[] = [];
    for (const s of level) {
      for (let i = 0; i < sys.actionCount; i++) {
        sys.load(s, 0);
        const out = new Uint32Array(w);
        if (!sys.successor(i, out, 0) || seen.has(out.join())) continue;
        seen.add(out.join());
        next.push(out);
      }
    }
    all.push(...next);
    level = next;
  }
  return all;
}
