/**
 * The queries of page-mapcount, large-mapcount and total-mapped-pages (docs/kernel-rules.md §3.1, §3.3,
 * §3.5) at each branch, on states the kernel's steps make: folio_maybe_mapped_shared() as 6.7-6.14 guessed
 * it from the per-page counts (mapped once, a PMD, more mappings than pages, else the first page), and
 * folio_partially_mapped() (the deferred-split test) on a folio unmapped, fully mapped, PMD-mapped or
 * mapped in part. Then the two schemes' explain() word for word, and total-mapped-pages' recount stopping
 * at the folio's last page. These answers decide COW reuse and deferred splits under --decide-with.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, fork, kernelAfter, pin, splitPmd, thp, zap } from '../../../test/helpers.js';
import { Truth } from '../recount/truth.js';
import type { Kernel } from '../state/schema.js';
import { type MapcountScheme, type SchemeSlot, schemeSlots } from './index.js';

const cfg = config({
  mms: 2,
  va: 8,
  pt: 4,
  large: 4,
  slots: 6,
  pins: 1,
  ops: ['fault', 'zap', 'fork', 'thp', 'split_pmd', 'pin'],
  schemes: ['page-mapcount', 'large-mapcount', 'total-mapped-pages'],
});
const slot = (name: string): SchemeSlot => schemeSlots(cfg).find((s) => s.scheme.name === name) as SchemeSlot;
const [pageMc, largeMc, totalMp] = [slot('page-mapcount'), slot('large-mapcount'), slot('total-mapped-pages')];

const state = {
  once: kernelAfter(cfg, [fault(0, 0), zap(0, 1, 3)]), // one PTE of one page
  whole: kernelAfter(cfg, [fault(0, 0)]), // every page by one PTE of mm0
  forked: kernelAfter(cfg, [fault(0, 0), fork(0)]), // every page by both mms
  headLeft: kernelAfter(cfg, [fault(0, 0), fork(0), zap(1, 0, 1)]), // 7 PTEs, page 0 by mm0 only
  headShared: kernelAfter(cfg, [fault(0, 0), fork(0), zap(0, 2, 2), zap(1, 1, 3)]), // 3 PTEs, page 0 by both
  pmd: kernelAfter(cfg, [thp(0, 0)]), // one PMD
  pmdForked: kernelAfter(cfg, [thp(0, 0), fork(0)]), // two PMDs
  half: kernelAfter(cfg, [fault(0, 0), zap(0, 0, 2)]), // pages 2 and 3
  unmapped: kernelAfter(cfg, [fault(0, 0), pin(0, 0), zap(0, 0, 4)]), // held by a pin only
};
type Name = keyof typeof state;

function answers(s: SchemeSlot, q: 'folio_maybe_mapped_shared' | 'folio_partially_mapped') {
  const f = (s.scheme as MapcountScheme)[q] as (folio: Kernel['folio'][number], o: number) => boolean;
  return Object.fromEntries(Object.entries(state).map(([n, k]) => [n, f(folioOf(k, 0), s.o)])) as Record<Name, boolean>;
}

describe("page-mapcount's folio_maybe_mapped_shared (folio_likely_mapped_shared, 6.7-6.14)", () => {
  it('mapped at most once: no; a PMD or more mappings than pages: yes; else whether page 0 is mapped twice', () => {
    expect(answers(pageMc, 'folio_maybe_mapped_shared')).toEqual({
      once: false,
      whole: false,
      forked: true,
      headLeft: true, // 7 > 4 pages, though page 0 is mm0's alone
      headShared: true, // 3 mappings of 4 pages, page 0 mapped twice
      pmd: false, // one PMD: mapped once
      pmdForked: true, // two PMDs, no page mapped by a PTE
      half: false,
      unmapped: false,
    });
  });
});

describe('folio_partially_mapped: some pages mapped, not all, and no PMD', () => {
  const expected = {
    once: true,
    whole: false,
    forked: false,
    headLeft: false,
    headShared: true,
    pmd: false,
    pmdForked: false,
    half: true,
    unmapped: false,
  };
  it('page-mapcount, from _nr_pages_mapped', () => {
    expect(answers(pageMc, 'folio_partially_mapped')).toEqual(expected);
  });
  it('large-mapcount, from fewer mappings than pages', () => {
    expect(answers(largeMc, 'folio_partially_mapped')).toEqual(expected);
  });
  it('total-mapped-pages, from fewer mapped pages than pages (the PMD counting all of its pages)', () => {
    expect(answers(totalMp, 'folio_partially_mapped')).toEqual(expected);
  });
});

function explain(s: SchemeSlot, k: Kernel, at = 0): { holds: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { holds: s.scheme.holds(k, t, at, s.o), lines: s.scheme.explain(k, t, at, s.o) };
}

describe("page-mapcount's explain", () => {
  it('says nothing of a folio that agrees with the page tables, PTE-, PMD- or split-mapped', () => {
    for (const k of [state.forked, state.headShared, state.pmdForked, kernelAfter(cfg, [thp(0, 0), splitPmd(0, 0)])])
      expect(explain(pageMc, k)).toEqual({ holds: true, lines: [] });
  });
  it('one line per wrong count: the entire mapcount, a page, _nr_pages_mapped in hex', () => {
    const k = kernelAfter(cfg, [thp(0, 0)]);
    const f = folioOf(k, 0);
    f._entire_mapcount = 2;
    (f.pages[1] as (typeof f.pages)[number])._mapcount = 1;
    f.mc[pageMc.o] = 0x81;
    expect(explain(pageMc, k)).toEqual({
      holds: false,
      lines: [
        'folio 0: _entire_mapcount 2, but 1 huge PMDs map it',
        'folio 0 page 1: _mapcount 1, but 0 PTEs map it',
        'folio 0: _nr_pages_mapped 0x81, but the page tables say 0x80',
      ],
    });
  });
});

describe('total-mapped-pages', () => {
  it("explain gives the count and the page tables' pages", () => {
    const k = kernelAfter(cfg, [thp(0, 0)]);
    expect(explain(totalMp, k)).toEqual({
      holds: true,
      lines: ['folio 0: _total_mapped_pages 4, but the page tables map 4 pages of it'],
    });
    folioOf(k, 0).mc[totalMp.o] = 5;
    expect(explain(totalMp, k)).toEqual({
      holds: false,
      lines: ['folio 0: _total_mapped_pages 5, but the page tables map 4 pages of it'],
    });
  });
  it("counts the folio's own pages only, not the next folio's first page", () => {
    const k = kernelAfter(cfg, [fault(0, 0), fault(0, 4)]); // folios in slots 0 and 1
    expect(folioOf(k, 1).nr_pages).toBe(4);
    expect(explain(totalMp, k).holds).toBe(true);
  });
});
