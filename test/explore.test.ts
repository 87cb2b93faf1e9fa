/**
 * The engine on toy systems (never only through the kernel model): DieHard for exact
 * figures and traces, a large grid for the store's chunking and for the bounds that are polled.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/checker/explore.js';
import { simulate, walk } from '../src/checker/simulate.js';
import { exitStatus, type Verdict } from '../src/checker/verdict.js';
import { DieHard, Grid, type JugAction, JugSpilled } from './fixtures/dieHard.js';

/*
 * DieHard's reachable states by hand, BFS level by level from (small, big) = (0, 0), with the six actions
 * fill/empty either jug and pour either way (an action that changes nothing is not enabled):
 *   0: (0,0)
 *   1: (3,0) (0,5)
 *   2: (3,5) (0,3) (3,2)
 *   3: (3,3) (0,2)
 *   4: (1,5) (2,0)
 *   5: (1,0) (2,5)
 *   6: (0,1) (3,4)          <- (3,4) is the first state with 4 gallons in the big jug
 *   7: (3,1) (0,4)
 * and level 7 has no new successor: 16 states, deepest level 7. These are exactly the states with one jug
 * empty or full: 2*6 (small 0 or 3) + 2*2 (small 1 or 2, big 0 or 5) = 16.
 */
const SOLUTION: readonly JugAction[] = [
  'fill big',
  'pour big into small',
  'empty small',
  'pour big into small',
  'fill big',
  'pour big into small',
];

const actionsOf = (v: Verdict<JugAction>): JugAction[] =>
  v.kind === 'invariant-violated' || v.kind === 'kernel-warning' || v.kind === 'model-error'
    ? v.trace.map((s) => s.action)
    : [];

describe('explore on DieHard', () => {
  it('exhausts the 16 reachable states, deepest level 7 (hand enumeration above)', async () => {
    const v = await explore(new DieHard());
    expect(v.kind).toBe('success');
    expect(v.stats.states).toBe(16);
    expect(v.stats.depth).toBe(7);
    expect(exitStatus(v)).toBe(0);
  });

  it('finds the shortest solution, 6 steps, as the counterexample to "big != 4"', async () => {
    const v = await explore(new DieHard({ goal: 4 }));
    expect(v.kind).toBe('invariant-violated');
    if (v.kind !== 'invariant-violated') return;
    expect(v.invariant).toBe('big != 4');
    expect(actionsOf(v)).toEqual(SOLUTION);
    expect(v.trace.map((s) => s.index)).toEqual([1, 5, 2, 5, 1, 5]);
    expect(v.stats.depth).toBe(6);
    expect(exitStatus(v)).toBe(1);
  });

  it('reports a violation of the initial state with an empty trace', async () => {
    const v = await explore(new DieHard({ goal: 0 }));
    expect(v.kind).toBe('invariant-violated');
    expect(actionsOf(v)).toEqual([]);
    expect(v.stats.states).toBe(1);
  });

  it('gives the same verdict, trace and figures in exact and fingerprint mode', async () => {
    for (const goal of [undefined, 4, 1]) {
      const exact = await explore(new DieHard(goal === undefined ? {} : { goal }), { store: 'exact' });
      const fp = await explore(new DieHard(goal === undefined ? {} : { goal }), { store: 'fingerprint' });
      expect(fp.kind).toBe(exact.kind);
      expect(actionsOf(fp)).toEqual(actionsOf(exact));
      expect([fp.stats.states, fp.stats.edges, fp.stats.depth]).toEqual([
        exact.stats.states,
        exact.stats.edges,
        exact.stats.depth,
      ]);
      expect(exact.stats.store).toBe('exact');
      expect(fp.stats.store).toBe('fingerprint');
      expect(fp.stats.collisionProbability).toBeGreaterThanOrEqual(0);
    }
  });

  it('maxStates stops the search with incomplete (states) and what was explored', async () => {
    const v = await explore(new DieHard(), { maxStates: 5 });
    expect(v.kind).toBe('incomplete');
    if (v.kind !== 'incomplete') return;
    expect(v.incomplete.reason).toBe('states');
    expect(v.stats.states).toBe(5);
    expect(exitStatus(v)).toBe(3);
  });

  it('maxStates bounds the states stored, down to the initial state alone', async () => {
    for (const n of [1, 2, 3]) {
      const v = await explore(new DieHard(), { maxStates: n });
      expect(v.kind).toBe('incomplete');
      expect(v.stats.states, `maxStates ${n}`).toBeLessThanOrEqual(n);
    }
  });

  it('maxDepth leaves deeper levels unexpanded: incomplete (depth); a bound past the violation still finds it', async () => {
    const v = await explore(new DieHard(), { maxDepth: 3 });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('depth');
    expect(v.stats.depth).toBe(3);
    expect(v.stats.states).toBe(8); // levels 0-3
    expect((await explore(new DieHard({ goal: 4 }), { maxDepth: 5 })).kind).toBe('incomplete');
    expect((await explore(new DieHard({ goal: 4 }), { maxDepth: 6 })).kind).toBe('invariant-violated');
    expect((await explore(new DieHard(), { maxDepth: 8 })).kind).toBe('success');
  });

  it('maxSeconds: 0.000001 gives incomplete (time)', async () => {
    const v = await explore(new DieHard({ goal: 4 }), { maxSeconds: 0.000001 });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('time');
  });

  it('an already aborted AbortSignal gives incomplete (interrupted)', async () => {
    const v = await explore(new DieHard({ goal: 4 }), { signal: AbortSignal.abort() });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('interrupted');
  });

  it("a step that throws the system's warning is a kernel-warning verdict whose trace ends with that step", async () => {
    const sys = new DieHard({
      goal: 4,
      throwOn: { state: { small: 3, big: 2 }, action: 'empty small', error: new JugSpilled('spilled') },
    });
    const v = await explore(sys);
    expect(v.kind).toBe('kernel-warning');
    if (v.kind !== 'kernel-warning') return;
    expect(v.message).toBe('spilled');
    expect(actionsOf(v)).toEqual(['fill big', 'pour big into small', 'empty small']);
    expect(exitStatus(v)).toBe(1);
  });

  it('any other exception is a model-error verdict, classified by the system', async () => {
    const sys = new DieHard({
      throwOn: { state: { small: 0, big: 0 }, action: 'fill small', error: new TypeError('bug') },
    });
    const v = await explore(sys);
    expect(v.kind).toBe('model-error');
    if (v.kind !== 'model-error') return;
    expect(v.message).toBe('bug');
    expect(actionsOf(v)).toEqual(['fill small']);
    // A model error is never 1 (a finding): it has its own status (README, exit status).
    expect(exitStatus(v)).toBe(5);
  });
});

describe('explore on a large grid', () => {
  it('counts every state across store and frontier chunks, in both modes', async () => {
    for (const store of ['exact', 'fingerprint'] as const) {
      const v = await explore(new Grid(300), { store });
      expect(v.kind).toBe('success');
      expect(v.stats.states).toBe(300 * 300);
      expect(v.stats.edges).toBe(2 * 300 * 299);
      expect(v.stats.depth).toBe(2 * 299);
    }
  });

  it('maxSeconds stops a long search with incomplete (time)', async () => {
    const v = await explore(new Grid(0), { maxSeconds: 0.000001, maxStates: 5_000_000 });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('time');
  });

  it('an aborted signal stops a long search with incomplete (interrupted)', async () => {
    const v = await explore(new Grid(0), { signal: AbortSignal.abort(), maxStates: 5_000_000 });
    expect(v.kind).toBe('incomplete');
    if (v.kind === 'incomplete') expect(v.incomplete.reason).toBe('interrupted');
  });
});

describe('simulate on DieHard', () => {
  it('finds a solution that replays, no shorter than the shortest one', async () => {
    const sys = new DieHard({ goal: 4 });
    const r = await simulate(sys, { seed: 42, runs: 2000, steps: 30 });
    expect(r.kind).toBe('invariant-violated');
    if (r.kind !== 'invariant-violated') return;
    expect(r.invariant).toBe('big != 4');
    expect(r.trace.length).toBeGreaterThanOrEqual(SOLUTION.length);
    expect(r.trace.length).toBeLessThanOrEqual(r.walks?.originalLength ?? -1);
    const w = walk(
      sys,
      r.trace.map((s) => s.index),
    );
    expect(w.taken).toEqual(r.trace.map((s) => s.index));
    expect(w.failure?.kind).toBe('invariant-violated');
  });

  it('passes when no invariant can fail', async () => {
    expect((await simulate(new DieHard(), { seed: 7, runs: 50, steps: 20 })).kind).toBe('success');
  });
});

describe('states per level', () => {
  /** An n×n grid walked right or down: level d holds the cells with x + y = d. */
  const gridLevels = (n: number): number[] =>
    Array.from({ length: 2 * n - 1 }, (_, d) => Math.min(d + 1, 2 * n - 1 - d));

  test.prop([fc.integer({ min: 1, max: 40 })])('a complete search reports every level of the grid', async (n) => {
    const v = await explore(new Grid(n));
    expect(v.ended).toBe('exhausted');
    expect(v.stats.levels).toEqual(gridLevels(n));
    expect(v.stats.levels?.reduce((a, b) => a + b, 0)).toBe(v.stats.states);
  });

  test.prop([fc.integer({ min: 2, max: 40 }), fc.nat()])(
    'a depth bound reports the levels found, up to and including the bound',
    async (n, k) => {
      const maxDepth = 1 + (k % (2 * n - 2));
      const v = await explore(new Grid(n), { maxDepth });
      expect(v.kind).toBe('incomplete');
      expect(v.stats.levels).toEqual(gridLevels(n).slice(0, maxDepth + 1));
    },
  );
});
