/**
 * Traces as a kernel developer reads them: the immer replay agrees with the search step by step, prints
 * each step's changed fields, and refuses a trace that does not replay.
 */
import { describe, expect, it } from 'vitest';
import { actionIndex, config, fault, fork, pin, wp, zap } from '../test/helpers.js';
import type { Action } from './model/actions.js';
import { KernelSystem } from './spec.js';
import { replay, runScript, TraceDoesNotReplay } from './trace.js';

const indices = (sys: KernelSystem, actions: readonly Action[]): number[] => actions.map((a) => actionIndex(sys, a));

describe('replay', () => {
  it("replays core-tuple's counterexample: labels, kernel calls, and the fields each step changed", () => {
    const sys = new KernelSystem(config({ tuple: true }));
    const r = replay(sys, indices(sys, [fault(0, 0), zap(0, 0, 1)]));
    expect(r.steps.map((s) => s.label)).toEqual(['fault(0,0)', 'zap(0,0,1)']);
    expect(r.steps[0]?.call).toContain('do_anonymous_page');
    expect(r.steps[1]?.call).toContain('zap_pte_range');
    const changes = r.steps[1]?.changes ?? [];
    expect(changes).toContain('mm0 pte[0x0]: folio 0 page 0 RW -> none');
    expect(changes.join('\n')).toMatch(/_refcount: 4 -> 3/);
    expect(changes.join('\n')).toMatch(/_tuple_mapcount: 1 -> 0/);
    // Every PTE that changed is named, and nothing that did not change.
    expect(r.steps[0]?.changes.filter((c) => c.startsWith('mm0 pte'))).toHaveLength(4);
    expect(changes.filter((c) => c.startsWith('mm'))).toHaveLength(1);
  });

  it('each step is an immer patch of the state before it', () => {
    const sys = new KernelSystem(config());
    const r = replay(sys, indices(sys, [fault(0, 0), fork(0), wp(1, 2)]));
    const fork1 = r.steps[1];
    expect(fork1?.patches.some((p) => p.path.join('.') === 'mm.1.live' && p.value === true)).toBe(true);
    expect(fork1?.changes).toContain('mm1: created');
    expect(r.steps[2]?.after.mm[1]?.pte[2]).toMatchObject({
      present: true,
      write: true,
      folio: 1,
      page: 0,
      zero: false,
      swp: false,
    });
  });

  it('refuses a step that is not enabled, naming it', () => {
    const sys = new KernelSystem(config());
    expect(() => replay(sys, indices(sys, [fault(0, 0), wp(0, 0)]))).toThrow(TraceDoesNotReplay);
    expect(() => replay(sys, indices(sys, [fault(0, 0), wp(0, 0)]))).toThrow(/step 2 wp\(0,0\)/);
  });

  it('runScript stops at the first state that breaks an invariant', () => {
    const sys = new KernelSystem(config({ tuple: true }));
    const run = runScript(sys, indices(sys, [fault(0, 0), pin(0, 0), zap(0, 1, 1), fault(0, 1)]));
    expect(run.violation?.step).toBe(3);
    expect(run.violation?.invariant).toBe('tupleCountMatchesPageTables');
    expect(run.replay.steps).toHaveLength(3);
  });

  it('runScript reports a step that is not enabled instead of throwing', () => {
    const sys = new KernelSystem(config());
    const run = runScript(sys, indices(sys, [fault(0, 0), fault(0, 1)]));
    expect(run.violation).toBeUndefined();
    expect(run.replay.disabled).toMatchObject({ step: 2, code: 'EEXIST' });
  });
});
