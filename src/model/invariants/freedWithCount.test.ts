/**
 * A scheme's words are checked when their folio is freed, as the kernel's free path checks its own
 * counters (bad_page()): a scheme that loses a mapping in the very step that frees the folio (a large folio
 * split and swapped out at once) used to have its words zeroed unseen.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, kernelAfter } from '../../../test/helpers.js';
import { runScriptSpec } from '../../runSpec.js';
import { KernelSystem } from '../../spec.js';
import { SCHEMES } from '../mapcount/index.js';

/** One order-2 folio faulted in, then one of its pages paged out: the reclaim split frees the large folio. */
const SCRIPT = 'fault(0,0); pageout(0,0,1)';

const run = (scheme: string) => {
  const cfg = config({
    mms: 1,
    va: 4,
    pt: 4,
    large: 4,
    slots: 6,
    pins: 0,
    swap: 1,
    ops: ['fault', 'pageout'],
    schemes: [scheme],
  });
  const sys = new KernelSystem(cfg);
  return { sys, verdict: runScriptSpec(sys, SCRIPT) };
};

describe('scheme words are checked when a folio is freed', () => {
  it('tuple-naive loses the split folio’s mappings and is caught at the free, at the step that freed it', () => {
    const { sys, verdict } = run('tuple-naive');
    expect(verdict.kind).toBe('invariant-violated');
    if (verdict.kind !== 'invariant-violated') return;
    expect(verdict.invariant).toBe('tupleCountMatchesPageTables');
    expect(verdict.trace).toHaveLength(2);
    // The explanation names the freed folio and its lost count; before the step, nothing is wrong.
    const i = sys.invariantNames.indexOf('tupleCountMatchesPageTables');
    const cfg = sys.cfg;
    expect(sys.explain(i, kernelAfter(cfg, [fault(0, 0)]))).toEqual([]);
    const after = kernelAfter(cfg, [fault(0, 0), { kind: 'pageout', mm: 0, addr: 0, nr: 1 }]);
    expect(sys.explain(i, after)).toEqual([expect.stringMatching(/^folio 0 was freed with _tuple_mapcount -\d/)]);
  });

  it('every scheme that keeps count passes the same script', () => {
    const keeping = SCHEMES.map((s) => s.name).filter((n) => n !== 'tuple-naive');
    expect(keeping.length).toBeGreaterThan(0);
    for (const name of keeping) expect([name, run(name).verdict.kind]).toEqual([name, 'success']);
  });
});
