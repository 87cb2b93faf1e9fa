/**
 * The survey on DieHard (style.md "Tests": the engine on toy systems): every invariant gets its own
 * shortest counterexample, and the search goes on past violations and failing steps.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { explore } from '../src/checker/explore.js';
import { survey } from '../src/checker/survey.js';
import { DieHard, JugSpilled } from './fixtures/dieHard.js';

describe('survey', () => {
  it('finds big=4 (6 steps) and small=1 (5 steps) in one search, and exhausts the 16 states', async () => {
    const r = await survey(new DieHard({ goal: 4, smallGoals: [1, 7] }));
    expect(r.violated[0]?.trace.length).toBe(6);
    expect(r.violated[1]?.trace.length).toBe(4); // (1,5) is at level 4
    expect(r.violated[2]).toBeUndefined(); // the small jug never holds 7
    expect(r.complete).toBe(true);
    expect(r.everyInvariantFailed).toBe(false);
    expect(r.stats.states).toBe(16);
  });

  test.prop([fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })])(
    'each invariant: the survey trace is as long as explore()s shortest for that invariant alone',
    async (big, small) => {
      const r = await survey(new DieHard({ goal: big, smallGoals: [small] }));
      const alone = await explore(new DieHard({ goal: big }));
      expect(alone.kind).toBe('invariant-violated');
      expect(r.violated[0]?.trace.length).toBe(alone.kind === 'invariant-violated' ? alone.trace.length : -1);
      const aloneSmall = await survey(new DieHard({ smallGoals: [small] }));
      expect(r.violated[1]?.trace.length).toBe(aloneSmall.violated[0]?.trace.length);
    },
  );

  it('stops early, not complete, once every invariant has failed', async () => {
    const r = await survey(new DieHard({ goal: 5 }));
    expect(r.violated[0]?.trace.length).toBe(1);
    expect(r.everyInvariantFailed).toBe(true);
    expect(r.complete).toBe(false);
  });

  it('a step that throws is kept with its trace, and the search goes on', async () => {
    const sys = new DieHard({
      goal: 4,
      throwOn: { state: { small: 0, big: 0 }, action: 'fill big', error: new JugSpilled('spilled') },
    });
    const r = await survey(sys);
    expect(r.failures).toEqual([
      { kind: 'kernel-warning', message: 'spilled', trace: [{ index: expect.any(Number), action: 'fill big' }] },
    ]);
    // Without "fill big" from the start, 4 gallons still come, by a longer way round.
    expect(r.violated[0]?.trace.length).toBeGreaterThan(6);
  });

  it('a depth bound ends it incomplete, with what it found so far', async () => {
    const r = await survey(new DieHard({ goal: 4, smallGoals: [3] }), { maxDepth: 2 });
    expect(r.complete).toBe(false);
    expect(r.incomplete?.reason).toBe('depth');
    expect(r.violated[0]).toBeUndefined();
    expect(r.violated[1]?.trace.length).toBe(1);
  });
});
