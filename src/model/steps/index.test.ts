/**
 * The step registry (steps/index.ts): bench-core's order, one spelling per action instance that scripts
 * read back, words for every error code a step's kernel call gives, and the state the steps need.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, randomRun } from '../../../test/helpers.js';
import { parseScript, resolveScript } from '../../script.js';
import { KernelSystem } from '../../spec.js';
import { type Action, actionLabel, applyAction, enumerateActions, stepOf } from '../actions.js';
import { BOUND_FIELDS } from '../bounds.js';
import { PRESETS } from '../presets.js';
import { toPlain } from '../state/plain.js';
import { CORE_OPS, OP_NAMES, opsNeed, STEPS, stepNamed } from './index.js';

/** The whole model on bounds where every step has instances: two page tables, large folios, swap. */
const whole = config({ ...PRESETS['whole-model'], va: 4, pt: 2, large: 2, map: 3 });

describe('the step registry', () => {
  it("starts with bench-core's six steps, in docs/bench-core.md's order of exploration, and names each step once", () => {
    expect(OP_NAMES.slice(0, CORE_OPS.length)).toEqual(['fault', 'zap', 'fork', 'wp', 'pin', 'unpin']);
    expect(new Set(OP_NAMES).size).toBe(STEPS.length);
    for (const name of OP_NAMES) expect(stepNamed(name)?.name).toBe(name);
    // `--ops` and its help list exactly the registry (the option is generated from the bounds schema).
    expect(BOUND_FIELDS.find((f) => f.key === 'ops')?.values).toEqual(OP_NAMES);
  });

  it('enumerates action instances step by step in registry order, each with its step name as kind', () => {
    const kinds = enumerateActions(whole).map((a) => a.kind);
    const firsts = kinds.filter((k, i) => kinds[i - 1] !== k);
    expect(firsts).toEqual(OP_NAMES);
    for (const a of enumerateActions(whole)) expect(stepOf(a).name).toBe(a.kind);
  });

  it('an action has the fields its step declares, in order, after kind (traces print them so)', () => {
    for (const a of enumerateActions(whole)) expect(Object.keys(a)).toEqual(['kind', ...stepOf(a).params]);
  });

  it('every label is a script step that resolves to that very action instance, and labels are distinct', () => {
    const sys = new KernelSystem(whole);
    const labels = sys.actions.map(actionLabel);
    expect(new Set(labels).size).toBe(labels.length);
    const script = labels.join('; ');
    expect(resolveScript(sys, parseScript(script, 'labels'), 'labels')).toEqual(sys.actions.map((_, i) => i));
  });

  it('pin(m,a,ro) is the R/O pin and pin(m,a,rw) the R/W one; each step also answers to its own name', () => {
    const sys = new KernelSystem(whole);
    const resolved = (text: string): string[] =>
      resolveScript(sys, parseScript(text, 's'), 's').map((i) => actionLabel(sys.actions[i] as Action));
    expect(resolved('pin(0,1); pin(0,1,ro); pin(0,1,rw); pin_rw(0,1)')).toEqual([
      'pin(0,1)',
      'pin(0,1)',
      'pin(0,1,rw)',
      'pin(0,1,rw)',
    ]);
  });

  it('the configuration provides what the enabled steps need: huge PMDs, the zero page, VMA changes', () => {
    expect(opsNeed(['fault', 'thp'], 'hugePmds')).toBe(true);
    expect(opsNeed(['read'], 'specialPtes')).toBe(true);
    for (const op of ['munmap', 'mremap', 'mprotect', 'dontfork', 'dofork']) expect(opsNeed([op], 'vmas')).toBe(true);
    expect(opsNeed(CORE_OPS, 'hugePmds') || opsNeed(CORE_OPS, 'specialPtes') || opsNeed(CORE_OPS, 'vmas')).toBe(false);
    const cfg = config({ ops: [...CORE_OPS, 'thp', 'read', 'dofork'] });
    expect([cfg.hugePmds, cfg.specialPtes, cfg.tracksVmas]).toEqual([true, true, true]);
    const core = config();
    expect([core.hugePmds, core.specialPtes, core.tracksVmas]).toEqual([false, false, false]);
  });

  test.prop([fc.array(fc.nat(10_000), { maxLength: 12 })], { numRuns: 20 })(
    'every error code a step gives in a reachable state has its words in the step (whyNotEnabled)',
    (choices) => {
      const { states } = randomRun(whole, choices);
      const actions = enumerateActions(whole);
      for (const k of states) {
        for (const a of actions) {
          const ret = applyAction(toPlain(k), a);
          if (ret !== 0) expect(stepOf(a).whyNot[ret], `${actionLabel(a)}: ${ret}`).toBeDefined();
        }
      }
    },
  );
});
