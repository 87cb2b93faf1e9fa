/**
 * The driver going on past violations (`continue`, TLC's -continue) on DieHard (the engine
 * on toy systems): every invariant gets its own shortest counterexample, the search goes on past violations
 * and failing steps, and its headline is the first violation the stopping search finds.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/checker/explore.js';
import type { Verdict } from '../src/checker/verdict.js';
import { DieHard, type JugAction, JugSpilled } from './fixtures/dieHard.js';

const goOn = { continue: true } as const;

/** The counterexample the search kept for invariant `i` of `sys`. */
const found = (sys: DieHard, r: Verdict<JugAction>, i: number) =>
  r.violations.find((v) => v.invariant === sys.invariantNames[i]);

describe('explore, going on past violations', () => {
  it('finds big=4 (6 steps) and small=1 (5 steps) in one search, and exhausts the 16 states', async () => {
    const sys = new DieHard({ goal: 4, smallGoals: [1, 7] });
    const r = await explore(sys, goOn);
    expect(found(sys, r, 0)?.trace.length).toBe(6);
    expect(found(sys, r, 1)?.trace.length).toBe(4); // (1,5) is at level 4
    expect(found(sys, r, 2)).toBeUndefined(); // the small jug never holds 7
    expect(r.ended).toBe('exhausted');
    expect(r.stats.states).toBe(16);
  });

  test.prop([fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })])(
    "each invariant: the trace is as long as the stopping search's shortest for that invariant alone",
    async (big, small) => {
      const sys = new DieHard({ goal: big, smallGoals: [small] });
      const r = await explore(sys, goOn);
      const alone = await explore(new DieHard({ goal: big }));
      expect(alone.kind).toBe('invariant-violated');
      expect(found(sys, r, 0)?.trace.length).toBe(alone.kind === 'invariant-violated' ? alone.trace.length : -1);
      const smallSys = new DieHard({ smallGoals: [small] });
      const aloneSmall = await explore(smallSys, goOn);
      expect(found(sys, r, 1)?.trace.length).toBe(found(smallSys, aloneSmall, 0)?.trace.length);
    },
  );

  test.prop([
    fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
    fc.boolean(),
  ])(
    'with and without going on, the same first violation (kind, invariant, trace) on DieHard',
    async (goal, smallGoals, spill) => {
      const make = () =>
        new DieHard({
          ...(goal !== undefined ? { goal } : {}),
          smallGoals,
          ...(spill
            ? { throwOn: { state: { small: 3, big: 0 }, action: 'fill big', error: new JugSpilled('spilled') } }
            : {}),
        });
      const stops = await explore(make());
      const goes = await explore(make(), goOn);
      expect(goes.kind).toBe(stops.kind);
      if (stops.kind === 'invariant-violated' && goes.kind === 'invariant-violated') {
        expect(goes.invariant).toBe(stops.invariant);
        expect(goes.trace).toEqual(stops.trace);
        expect(goes.violations).toContainEqual(stops.violations[0]);
      }
      if (stops.kind === 'kernel-warning' && goes.kind === 'kernel-warning') {
        expect(goes.trace).toEqual(stops.trace);
        expect(goes.failures[0]).toEqual(stops.failures[0]);
      }
      if (stops.kind === 'success') expect(goes.stats.states).toBe(stops.stats.states);
    },
  );

  it('stops early, not exhausted, once every invariant has failed', async () => {
    const sys = new DieHard({ goal: 5 });
    const r = await explore(sys, goOn);
    expect(found(sys, r, 0)?.trace.length).toBe(1);
    expect(r.ended).toBe('every-invariant-failed');
  });

  it('a step that throws is kept with its trace, and the search goes on', async () => {
    const sys = new DieHard({
      goal: 4,
      throwOn: { state: { small: 0, big: 0 }, action: 'fill big', error: new JugSpilled('spilled') },
    });
    const r = await explore(sys, goOn);
    expect(r.failures).toEqual([
      { kind: 'kernel-warning', message: 'spilled', trace: [{ index: expect.any(Number), action: 'fill big' }] },
    ]);
    // Without "fill big" from the start, 4 gallons still come, by a longer way round.
    expect(found(sys, r, 0)?.trace.length).toBeGreaterThan(6);
  });

  it('a depth bound ends it incomplete, with what it found so far', async () => {
    const sys = new DieHard({ goal: 4, smallGoals: [3] });
    const r = await explore(sys, { ...goOn, maxDepth: 2 });
    expect(r.ended).not.toBe('exhausted');
    expect(r.incomplete?.reason).toBe('depth');
    expect(found(sys, r, 0)).toBeUndefined();
    expect(found(sys, r, 1)?.trace.length).toBe(1);
  });
});
