/**
 * What every step file declares, checked over the whole registry: instances lie inside the bounds, the
 * mail line names a kernel call and tells any two actions apart, the lines that read the state name what
 * the call will act on, and a step's bound need (`needs.bounds`, refused by bounds.ts's `unrunnable`) is
 * reported whenever no instance of the step is ever enabled (a bounded search says which), and otherwise
 * only where the step would not model what it is named for.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, randomRun } from '../../../test/helpers.js';
import { type Action, applyAction, enumerateActions, stepOf } from '../actions.js';
import { type Bounds, BoundsRejected, type Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { PRESETS } from '../presets.js';
import { createKernel, toPlain } from '../state/plain.js';
import { hex } from './defineStep.js';
import { type OpName, STEPS } from './index.js';

const whole = config({ ...PRESETS['whole-model'], va: 4, pt: 2, large: 2, map: 3 });
const wide = config({ ...PRESETS['whole-model'], mms: 3, va: 8, pt: 4, large: 4, map: 8, pins: 2 });

/** Every parameter of every instance within the bounds, by what the parameter names. */
function expectInBounds(cfg: Config, a: Action): void {
  const p = a as unknown as Record<string, number>;
  const where = JSON.stringify(a);
  if ('mm' in p) expect(p.mm, where).toBeLessThan(cfg.mms);
  if ('addr' in p) expect(p.addr, where).toBeLessThan(cfg.va);
  if ('nr' in p) expect((p.addr as number) + (p.nr as number), where).toBeLessThanOrEqual(cfg.va);
  if ('to' in p) {
    expect((p.to as number) + (p.nr as number), where).toBeLessThanOrEqual(cfg.va);
    expect(p.to, `${where}: a move names another place`).not.toBe(p.addr);
  }
  if ('pin' in p) expect(p.pin, where).toBeLessThan(cfg.pins);
  for (const v of Object.values(p)) if (typeof v === 'number') expect(v, where).toBeGreaterThanOrEqual(0);
}

describe('every step file', () => {
  it('gives instances inside the bounds only', () => {
    for (const cfg of [whole, wide]) for (const a of enumerateActions(cfg)) expectInBounds(cfg, a);
  });

  test.prop([fc.array(fc.nat(), { maxLength: 16 })], { numRuns: 15 })(
    'prints a kernel call for each action, and distinct actions as distinct lines, with or without the state',
    (choices) => {
      const actions = enumerateActions(wide);
      const lines = (k?: Kernel): string[] => actions.map((a) => stepOf(a).format(a, k));
      for (const k of [undefined, ...randomRun(wide, choices).states]) {
        const printed = lines(k);
        for (const line of printed) {
          expect(line).toMatch(/^[a-z_]+\(/);
          expect(line, 'no empty argument').not.toMatch(/\(\s*,|,\s*[,)]/);
        }
        expect(new Set(printed).size).toBe(printed.length);
      }
    },
  );

  test.prop([fc.array(fc.nat(), { maxLength: 20 })], { numRuns: 20 })(
    'names the mm a fork creates, and the place a pin entry or reference holds, as the state has them',
    (choices) => {
      for (const a of enumerateActions(wide)) {
        if (a.kind === 'fork')
          expect(stepOf(a).format(a), 'without the state the child is unknown').toContain('-> mm? ');
      }
      for (const k of randomRun(wide, choices).states) {
        for (const a of enumerateActions(wide)) {
          const line = stepOf(a).format(a, k);
          if (a.kind === 'fork') {
            const after = toPlain(k);
            if (applyAction(after, a) !== 0) continue;
            const child = after.mm.findIndex((mm, m) => mm.live && !k.mm[m]?.live);
            expect(line).toContain(`-> mm${child} `);
          } else if (a.kind === 'unpin' || a.kind === 'put') {
            const entry = k.pin[a.pin];
            if (entry?.live) expect(line).toContain(` of mm${entry.mm} ${hex(entry.addr)})`);
            else expect(line).toMatch(new RegExp(`^[a-z_]+\\((pin|reference) ${a.pin}\\)$`));
          }
        }
      }
    },
  );
});

/** Whether some instance of `op` is enabled in a state reachable by at most `depth` steps of `ops`. */
function everEnabled(cfg: Config, op: string, depth: number): boolean {
  const actions = enumerateActions(cfg);
  let level: Kernel[] = [createKernel(cfg)];
  for (let d = 0; d <= depth; d++) {
    const next: Kernel[] = [];
    for (const k of level) {
      for (const a of actions) {
        const after = toPlain(k);
        if (applyAction(after, a) !== 0) continue;
        if (a.kind === op) return true;
        next.push(after);
      }
    }
    level = next;
  }
  return false;
}

/**
 * Bounds under which a step can run and is refused all the same, because it would not model what it is
 * named for: a "PMD-sized" folio of one page is a small folio (thp, split_pmd), and MADV_PAGEOUT or reclaim
 * without a swap slot can at most split a large folio on the way (madvise_cold_or_pageout_pte_range(),
 * shrink_folio_list()) and never pages anything out.
 */
function refusedThoughRunnable(op: string, b: Bounds): boolean {
  if (op === 'thp' || op === 'split_pmd') return b.pt < 2;
  if (op === 'pageout' || op === 'reclaim') return (b.swap ?? 0) === 0;
  return false;
}

/** The bounds a step's need may name: the one its steps lack, or `ops` for a step another one enables. */
const NEED_FIELDS: Readonly<Record<string, readonly (keyof Bounds)[]>> = {
  fork: ['mms'],
  get: ['pins'],
  put: ['pins'],
  pin: ['pins'],
  pin_rw: ['pins'],
  unpin: ['pins'],
  pageout: ['swap'],
  reclaim: ['swap'],
  split_folio: ['large'],
  split_pmd: ['pt', 'ops'],
  thp: ['pt'],
};

describe("a step's bound need", () => {
  // The steps that can make an enabled step possible: a mapping, a child, a huge PMD, a pin or reference.
  const helpers: OpName[] = ['fault', 'fork', 'pin', 'get'];
  const needy = STEPS.filter((s) => s.needs.bounds !== undefined);

  it('is declared by the steps that need more than a mapped page', () => {
    expect(needy.map((s) => s.name).sort()).toEqual(
      ['fork', 'get', 'pageout', 'pin', 'pin_rw', 'put', 'reclaim', 'split_folio', 'split_pmd', 'thp', 'unpin'].sort(),
    );
  });

  for (const step of needy) {
    it(`is reported for ${step.name} exactly when no instance of it is enabled within 3 steps`, () => {
      let tried = 0;
      for (const mms of [1, 2])
        for (const pins of [0, 1])
          for (const swap of [0, 1])
            for (const [pt, large] of [
              [1, 1],
              [2, 1],
              [2, 2],
            ] as const)
              for (const withThp of [false, true]) {
                const ops = [
                  ...new Set<OpName>([...helpers, ...(withThp ? (['thp'] as const) : []), step.name as OpName]),
                ];
                const b: Bounds = { ...PRESETS['core-safe'], mms, pins, swap, pt, large, va: 2, map: 2, slots: 3, ops };
                let cfg: Config;
                try {
                  cfg = config(b);
                } catch (e) {
                  if (e instanceof BoundsRejected) continue; // refused by the schema before any step is asked
                  throw e;
                }
                tried += 1;
                const need = step.needs.bounds?.(b);
                const label = `${step.name} under ${JSON.stringify({ mms, pins, swap, pt, large, withThp })}`;
                const enabled = everEnabled(cfg, step.name, 3);
                if (need === undefined) expect(enabled, `${label}: accepted, yet never enabled`).toBe(true);
                else if (enabled)
                  expect(refusedThoughRunnable(step.name, b), `${label}: refused, yet enabled`).toBe(true);
                // Refused where it would not model what it is named for, even though it can run.
                if (refusedThoughRunnable(step.name, b)) expect(need, `${label}: refused`).toBeDefined();
                if (need !== undefined) {
                  expect(need.expected, `${label}: says what and why`).toMatch(/^\w.* \(.+\)$/);
                  expect(NEED_FIELDS[step.name], `${label}: names the bound`).toContain(need.field);
                }
              }
      expect(tried).toBeGreaterThan(8);
    });
  }
});
