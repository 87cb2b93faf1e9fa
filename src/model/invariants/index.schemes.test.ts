/**
 * The invariant of each selected mapcount scheme (index.ts schemeInvariant(), docs/kernel-rules.md §3): where
 * it is checked among the kernel's invariants, which folios it judges, the bad_page() taint bit that is its
 * own, and the words it gives. The place is observable: a state that breaks two invariants is reported as a
 * violation of the first, and bench-core checks `tuples` right after `pin-coherent`. (Its mutation run showed
 * no test ever read the order, the taint's words, or a scheme's small-folio setting.)
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, fork, kernelAfter, pageOf, pin, pinOf, read, wp, zap } from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import type { Config } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import { CORE_OPS } from '../steps/index.js';
import { type Invariant, invariantsFor } from './index.js';
import { PROPERTY_CLASSES } from './properties.js';

function named(cfg: Config, name: string): Invariant {
  const inv = invariantsFor(cfg).find((x) => x.name === name);
  if (inv === undefined) throw new Error(`no invariant ${name}`);
  return inv;
}

function verdict(inv: Invariant, k: Kernel): { ok: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { ok: inv.holds(k, t), lines: inv.explain(k, t) };
}

/** The first invariant `k` breaks, with its explanation, as a counterexample reports it; [] when all hold. */
function reported(k: Kernel): string[] {
  const sys = new KernelSystem(k.cfg);
  const i = sys.checkKernel(k);
  return i < 0 ? [] : [sys.invariantNames[i] as string, ...sys.explain(i, k)];
}

const tuple = config({ tuple: true });
const withRead = { ops: [...CORE_OPS, 'read'] } as const;

describe('a scheme invariant among the kernel invariants', () => {
  it("comes right after pinSeesOwnersPage, where bench-core checks `tuples`; several in the registry's order", () => {
    expect(invariantsFor(config({ tuple: true, data: true, map: 3 })).map((i) => i.name)).toEqual([
      'ptesMapAllocatedPages',
      'mapcountMatchesPageTables',
      'refcountIsMappingsPlusPins',
      'anonExclusiveMappedOnce',
      'writablePteIsExclusive',
      'pinSeesOwnersPage',
      'tupleCountMatchesPageTables',
      'dataIsolation',
      'nothingFreedIsUsedNothingLeaks',
      'writableOnlyInWritableVma',
    ]);
    const two = invariantsFor(config({ schemes: ['large-mapcount', 'tuple-naive'] })).map((i) => i.name);
    expect(two.slice(two.indexOf('pinSeesOwnersPage'))).toEqual([
      'pinSeesOwnersPage',
      'tupleCountMatchesPageTables',
      'largeMapcountMatchesPageTables',
      'nothingFreedIsUsedNothingLeaks',
    ]);
  });

  it('a state breaking the pin and the tuple count is reported as the pin; one breaking the count and isolation as the count', () => {
    // bench-core's core-tuple counterexample: map a folio, zap one of its pages (the naive count drops to 0).
    const k = kernelAfter(tuple, [fault(0, 0), pin(0, 0), zap(0, 1, 1)]);
    expect(reported(k)).toEqual([
      'tupleCountMatchesPageTables',
      'folio 0: _tuple_mapcount 0, but 1 (VMA, page table) pairs map it',
    ]);
    pinOf(k, 0).page = 2;
    expect(reported(k)).toEqual(['pinSeesOwnersPage', 'pin 0 holds folio 0 page 2, but mm0 0x0 maps folio 0 page 0']);

    const data = kernelAfter(config({ tuple: true, data: true }), [fault(0, 0), zap(0, 1, 1)]);
    pageOf(data, 0, 2).data = 7;
    expect(verdict(named(data.cfg, 'dataIsolation'), data).ok).toBe(false);
    expect(reported(data)).toEqual([
      'tupleCountMatchesPageTables',
      'folio 0: _tuple_mapcount 0, but 1 (VMA, page table) pairs map it',
    ]);
  });

  it('is in the desync column of the matrix, and its description is the scheme’s, with the rule it checks', () => {
    const inv = named(tuple, 'tupleCountMatchesPageTables');
    expect(inv.property).toBe('desync');
    expect(inv.description).toBe(
      'tuple-naive: one count per folio of (VMA, page table) pairs, +1/-1 per rmap call (linux-mm, January 2023); ' +
        'its counters equal the page-table recount, and are zero when a folio is freed (§3, I9, I10).',
    );
    const keys: string[] = PROPERTY_CLASSES.map((p) => p.key);
    for (const i of invariantsFor(config({ schemes: ['large-mapcount', 'tuple-naive'] })))
      expect(keys).toContain(i.property);
  });
});

describe('which folios a scheme invariant judges', () => {
  it('a scheme that keeps words for small folios is held to them there', () => {
    const k = kernelAfter(config({ tuple: true, ...withRead }), [read(0, 0), fault(0, 1)]);
    expect(folioOf(k, 0).nr_pages).toBe(1);
    const inv = named(k.cfg, 'tupleCountMatchesPageTables');
    expect(verdict(inv, k)).toEqual({ ok: true, lines: [] });
    folioOf(k, 0).mc[0] = 2;
    expect(verdict(inv, k)).toEqual({
      ok: false,
      lines: ['folio 0: _tuple_mapcount 2, but 1 (VMA, page table) pairs map it'],
    });
  });

  it('a large-folio counter is held to it on large folios only (small folios keep no such words)', () => {
    const cfg = config({ schemes: ['large-mapcount'], va: 8, ...withRead });
    const k = kernelAfter(cfg, [read(0, 0), fault(0, 1), fault(0, 4)]);
    expect([folioOf(k, 0).nr_pages, folioOf(k, 1).nr_pages]).toEqual([1, 4]);
    const inv = named(cfg, 'largeMapcountMatchesPageTables');
    expect(verdict(inv, k)).toEqual({ ok: true, lines: [] });
    folioOf(k, 0).mc[0] = 5;
    expect(verdict(inv, k)).toEqual({ ok: true, lines: [] });
    folioOf(k, 1).mc[0] = 3;
    expect(verdict(inv, k)).toEqual({
      ok: false,
      lines: ['folio 1: _large_mapcount 3, but 4 PTEs and PMDs map it'],
    });
  });

  it('explain reads only the folios in use now, with a Truth reused from an earlier state', () => {
    const cfg = config({ schemes: ['tuple-scan'] });
    const before = kernelAfter(cfg, [fault(0, 0), fork(0), wp(1, 0)]);
    const k = kernelAfter(cfg, [fault(0, 0), fork(0), wp(1, 0), zap(0, 0, 4), zap(1, 1, 3)]);
    expect([folioOf(before, 0).used, folioOf(before, 1).used, folioOf(k, 0).used, folioOf(k, 1).used]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    folioOf(k, 1).mc[0] = 2;
    const inv = named(cfg, 'tupleScanMatchesPageTables');
    const t = new Truth(cfg);
    t.recount(before);
    t.recount(k);
    expect(inv.holds(k, t)).toBe(false);
    expect(inv.explain(k, t)).toEqual(['folio 1: _tuple_mapcount 2, but 1 (VMA, page table) pairs map it']);
  });
});

describe('bad_page(): a folio freed while a scheme’s words were not zero', () => {
  it('fails that scheme’s invariant from then on, with no folio left to name, and says so', () => {
    const k = kernelAfter(tuple, [fault(0, 0), zap(0, 1, 1), zap(0, 0, 4)]);
    expect(k.nr_folios).toBe(0);
    expect(verdict(named(tuple, 'tupleCountMatchesPageTables'), k)).toEqual({
      ok: false,
      lines: ["bad_page(): a folio was freed while tuple-naive's words were not zero"],
    });
  });

  it('each scheme reads its own bit of the taint', () => {
    const cfg = config({ schemes: ['tuple-naive', 'large-mapcount'] });
    const k = kernelAfter(cfg, [fault(0, 0), zap(0, 1, 1), zap(0, 0, 4)]);
    expect(k.bad_page).toBe(1);
    const large = named(cfg, 'largeMapcountMatchesPageTables');
    expect(verdict(large, k)).toEqual({ ok: true, lines: [] });
    k.bad_page = 2;
    expect(verdict(named(cfg, 'tupleCountMatchesPageTables'), k)).toEqual({ ok: true, lines: [] });
    expect(verdict(large, k)).toEqual({
      ok: false,
      lines: ["bad_page(): a folio was freed while large-mapcount's words were not zero"],
    });
  });
});
