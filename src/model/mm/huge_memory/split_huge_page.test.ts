/**
 * split_huge_page(): a large folio becomes order-0 folios (docs/kernel-rules.md §2.10; the step `split_folio`).
 * Mapped pages keep their mappings, content and AE in a small folio each; unmapped pages are freed.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  get,
  kernelAfter,
  mapPte,
  pageOf,
  pin,
  pteOf,
  read,
  reclaim,
  splitFolio,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  unpin,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Action } from '../../actions.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';
import type { Kernel } from '../../include/mm_types.js';
import { split_huge_page } from './split_huge_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

/**
 * Expected-state edit: page `j` of slot 0 now lives alone in slot `s`, with `maps` mappings (its PTEs were
 * remapped by the caller) and the page's AE and content.
 */
function smallFromPage(d: Kernel, j: number, s: number, maps: number, ae: boolean, data = 0, from = 0): void {
  d.nr_folios += 1;
  Object.assign(folioOf(d, s), { used: true, nr_pages: 1, _refcount: maps });
  Object.assign(pageOf(d, s, 0), { _mapcount: maps, anon_exclusive: ae, data });
  Object.assign(pageOf(d, from, j), { _mapcount: 0, anon_exclusive: false, data: 0 });
}

/** Expected-state edit: slot `from` (0 unless named) keeps page 0 only, with `maps` mappings. */
function headOnly(d: Kernel, maps: number, from = 0): void {
  Object.assign(folioOf(d, from), { nr_pages: 1, _refcount: maps, _entire_mapcount: 0 });
}

describe('split_huge_page (docs/kernel-rules.md §2.10)', () => {
  it('§2.10: a PMD-mapped THP: the PMD is split, then each page becomes a small folio keeping content and AE', () => {
    // Page 0 holds value 1 (the thp store), page 2 value 2; the tails go to the lowest free slots, last page first.
    const before = kernelAfter(cfg({ data: true }), [thp(0, 0), write(0, 2)]);
    expectStep(before, splitFolio(0, 1), (d) => {
      clearPmd(d, 0, 0);
      headOnly(d, 1);
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      mapPte(d, 0, 0, 0, 0, true);
      smallFromPage(d, 3, 1, 1, true);
      mapPte(d, 0, 3, 1, 0, true);
      smallFromPage(d, 2, 2, 1, true, 2);
      mapPte(d, 0, 2, 2, 0, true);
      smallFromPage(d, 1, 3, 1, true);
      mapPte(d, 0, 1, 3, 0, true);
    });
  });

  it('§2.10: a THP shared at fork: both PMDs are split; every small folio is mapped by both mms, read-only, not AE', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0)]);
    expectStep(before, splitFolio(1, 2), (d) => {
      clearPmd(d, 0, 0);
      clearPmd(d, 1, 0);
      headOnly(d, 2);
      pageOf(d, 0, 0)._mapcount = 2;
      for (let j = 1; j < 4; j++) smallFromPage(d, j, 4 - j, 2, false);
      for (const m of [0, 1]) {
        mapPte(d, m, 0, 0, 0, false);
        for (let a = 1; a < 4; a++) mapPte(d, m, a, 4 - a, 0, false);
      }
    });
  });

  it('§2.10: an unmapped page is freed with its stale AE bit; the mapped ones stay, AE kept', () => {
    // zap(0,1,1) left page 1 unmapped with a stale AE bit (§2.6 step 4).
    const before = kernelAfter(cfg(), [thp(0, 0), splitPmd(0, 0), zap(0, 1, 1)]);
    expectStep(before, splitFolio(0, 0), (d) => {
      headOnly(d, 1);
      smallFromPage(d, 3, 1, 1, true);
      mapPte(d, 0, 3, 1, 0, true);
      smallFromPage(d, 2, 2, 1, true);
      mapPte(d, 0, 2, 2, 0, true);
      Object.assign(pageOf(d, 0, 1), { _mapcount: 0, anon_exclusive: false });
    });
  });

  it('§2.10: when the head page is unmapped, its slot is freed once the tails have moved out', () => {
    const before = kernelAfter(cfg(), [fault(0, 0), zap(0, 0, 1)]);
    expectStep(before, splitFolio(0, 2), (d) => {
      smallFromPage(d, 3, 1, 1, true);
      mapPte(d, 0, 3, 1, 0, true);
      smallFromPage(d, 2, 2, 1, true);
      mapPte(d, 0, 2, 2, 0, true);
      smallFromPage(d, 1, 3, 1, true);
      mapPte(d, 0, 1, 3, 0, true);
      Object.assign(folioOf(d, 0), { used: false, nr_pages: 0, _refcount: 0 });
      Object.assign(pageOf(d, 0, 0), { _mapcount: 0, anon_exclusive: false });
      d.nr_folios -= 1;
    });
  });

  it('§2.10: a PTE-mapped mTHP splits the same way, and the split pages read what they held', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 1), fork(0)]);
    expectStep(before, splitFolio(0, 0), (d) => {
      headOnly(d, 2);
      for (let j = 1; j < 4; j++) smallFromPage(d, j, 4 - j, 2, false, j === 1 ? 1 : 0);
      for (const m of [0, 1]) for (let a = 1; a < 4; a++) mapPte(d, m, a, 4 - a, 0, false);
    });
  });

  it('§2.10: a folio three mms map (12 PTEs, more than two mms could hold): every mapping is kept', () => {
    // Runs after tests of two mms: the migration entries' reused buffer must grow (ensureScratch()).
    const before = kernelAfter(cfg({ mms: 3 }), [fault(0, 0), fork(0), fork(0)]);
    expectStep(before, splitFolio(2, 1), (d) => {
      headOnly(d, 3);
      for (let j = 1; j < 4; j++) smallFromPage(d, j, 4 - j, 3, false);
      for (const m of [0, 1, 2]) for (let a = 1; a < 4; a++) mapPte(d, m, a, 4 - a, 0, false);
    });
  });

  it('§2.10 can_split_folio(): a pinned folio is not split, whichever page is pinned (EAGAIN)', () => {
    expectRefused(kernelAfter(cfg(), [thp(0, 0), pin(0, 3)]), splitFolio(0, 0), 'EAGAIN');
    expectRefused(kernelAfter(cfg(), [fault(0, 0), pin(0, 1)]), splitFolio(0, 2), 'EAGAIN');
    // A pin whose PTE was zapped still holds the folio.
    expectRefused(kernelAfter(cfg(), [fault(0, 0), pin(0, 1), zap(0, 1, 1)]), splitFolio(0, 0), 'EAGAIN');
  });

  it('§2.10: once unpinned, the folio splits', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), pin(0, 3), unpin(0)]);
    expectStep(before, splitFolio(0, 0), (d) => {
      clearPmd(d, 0, 0);
      headOnly(d, 1);
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      mapPte(d, 0, 0, 0, 0, true);
      for (let j = 1; j < 4; j++) {
        smallFromPage(d, j, 4 - j, 1, true);
        mapPte(d, 0, j, 4 - j, 0, true);
      }
    });
  });

  it('is not enabled on a small folio (EINVAL)', () => {
    expectRefused(kernelAfter(cfg({ large: 1 }), [fault(0, 0)]), splitFolio(0, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0), splitFolio(0, 0)]), splitFolio(0, 1), 'EINVAL');
  });

  it('is not enabled where nothing is mapped: a none, zero-page or swap PTE, an mm that does not exist (EFAULT)', () => {
    expectRefused(kernelAfter(cfg(), []), splitFolio(0, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg(), [read(0, 0)]), splitFolio(0, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg({ large: 1 }), [fault(0, 0), reclaim(0, 0, 1)]), splitFolio(0, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), splitFolio(1, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), (k) => split_huge_page(k, 5, 0), 'EFAULT'); // no mm 5
  });

  it('bench-core alloc: not enabled unless every mapped tail page finds a free slot (ENOMEM)', () => {
    expectRefused(kernelAfter(cfg({ slots: 3 }), [thp(0, 0)]), splitFolio(0, 0), 'ENOMEM');
    // Two tails mapped, two more slots: enough.
    const before = kernelAfter(cfg({ slots: 3 }), [fault(0, 0), zap(0, 2, 2)]);
    expectStep(before, splitFolio(0, 0), (d) => {
      headOnly(d, 1);
      smallFromPage(d, 1, 1, 1, true);
      mapPte(d, 0, 1, 1, 0, true);
      Object.assign(pageOf(d, 0, 2), { anon_exclusive: false });
      Object.assign(pageOf(d, 0, 3), { anon_exclusive: false });
    });
  });
});

describe('split_huge_page: whose PMDs are split (unmap_folio(): the rmap walk of this folio only)', () => {
  it('§2.10: the THP of the second page table is split where it is; a THP of another folio keeps its PMD', () => {
    const before = kernelAfter(cfg({ va: 8, slots: 8 }), [thp(0, 0), thp(0, 4)]);
    expectStep(before, splitFolio(0, 5), (d) => {
      clearPmd(d, 0, 1);
      headOnly(d, 1, 1);
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      mapPte(d, 0, 4, 1, 0, true);
      for (let j = 3; j >= 1; j--) {
        smallFromPage(d, j, 5 - j, 1, true, 0, 1); // pages 3, 2, 1 to the lowest free slots 2, 3, 4
        mapPte(d, 0, 4 + j, 5 - j, 0, true);
      }
    });
  });
});

describe('split_huge_page: 6.12+ (era 6.15) try_to_map_unused_to_zeropage() (b1f202060afe)', () => {
  it('a zero-filled page is mapped to the shared zero page, read-only, and its new folio freed; a written page keeps its folio', () => {
    // thp(0,0) stored value 1 in page 0; pages 1-3 were never written: all zeroes.
    const before = kernelAfter(cfg({ era: '6.15', data: true }), [thp(0, 0)]);
    const { after } = expectStep(before, splitFolio(0, 0), (d) => {
      clearPmd(d, 0, 0);
      headOnly(d, 1);
      for (let i = 0; i < folioOf(d, 0).mc.length; i++) folioOf(d, 0).mc[i] = 0; // 6.15's MM-ID words (_mm_id, _mm_id_mapcount) belong to large folios only
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      mapPte(d, 0, 0, 0, 0, true);
      for (let a = 1; a < 4; a++) {
        Object.assign(pteOf(d, 0, a), { present: false, zero: true, write: false, folio: 0, page: 0 });
        Object.assign(pageOf(d, 0, a), { anon_exclusive: false });
      }
    });
    expect(after.nr_folios).toBe(1);
  });
});

/** The branches a split reports (coverage.ts, README "Coverage": a spec's `coverage:` counts them). */
describe('split_huge_page: the branches it reports (can_split_folio())', () => {
  function branchesOf(steps: Action[], step: Action): { ret: 0 | string; counts: Record<string, number> } {
    const k = kernelAfter(cfg({ ops: [...THP_SWAP_OPS, 'get'] }), steps);
    resetBranches();
    const ret = applyAction(k, step);
    return { ret, counts: branchCountsByName() };
  }

  it('a folio split: split counted, refused not', () => {
    const { ret, counts } = branchesOf([thp(0, 0)], splitFolio(0, 0));
    expect(ret).toBe(0);
    expect(counts['split_huge_page:split']).toBe(1);
    expect(counts['split_huge_page:refused-pinned']).toBe(0);
  });

  it('a pinned folio: refused counted (EAGAIN), split not', () => {
    const { ret, counts } = branchesOf([thp(0, 0), pin(0, 1)], splitFolio(0, 0));
    expect(ret).toBe('EAGAIN');
    expect(counts['split_huge_page:refused-pinned']).toBe(1);
    expect(counts['split_huge_page:split']).toBe(0);
  });

  it('a folio held by a FOLL_GET reference (not a pin): refused counted too (EAGAIN)', () => {
    const { ret, counts } = branchesOf([fault(0, 0), get(0, 2)], splitFolio(0, 0));
    expect(ret).toBe('EAGAIN');
    expect(counts['split_huge_page:refused-pinned']).toBe(1);
    expect(counts['split_huge_page:split']).toBe(0);
  });
});
