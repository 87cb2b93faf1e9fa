/**
 * zap_pmd_range(): MADV_DONTNEED, munmap and exit over a huge PMD (docs/kernel-rules.md §2.6 step 7): a range
 * covering the whole PMD zaps it as one mapping (zap_huge_pmd()); a range covering part of it splits it
 * first. The rules are checked on unmap_page_range(), which the three share, and then on the step `zap`.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  clearPte,
  config,
  exit,
  expectStep,
  folioOf,
  fork,
  freeSlot,
  kernelAfter,
  mapPte,
  pageOf,
  pin,
  pinOf,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { toPlain } from '../../state/plain.js';
import { unmap_page_range } from './zap_pte_range.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

/** unmap_page_range() of mm m over [addr, addr + nr), as MADV_DONTNEED, munmap and exit call it. */
const unmap =
  (m: number, addr: number, nr: number) =>
  (k: Kernel): 0 => {
    unmap_page_range(k, m, addr, addr + nr);
    return 0;
  };

describe('zap_pmd_range (docs/kernel-rules.md §2.6 step 7)', () => {
  it('§2.6 step 7 zap_huge_pmd(): the whole range: PMD cleared, entire -1, one reference dropped; the last frees it', () => {
    expectStep(kernelAfter(cfg({ tuple: true }), [thp(0, 0)]), unmap(0, 0, 4), (d) => {
      clearPmd(d, 0, 0);
      folioOf(d, 0)._entire_mapcount = 0;
      freeSlot(d, 0);
    });
  });

  it('§2.6 step 7: a THP shared at fork: zapping one mm’s PMD leaves the other mapping it, refcount 1', () => {
    expectStep(kernelAfter(cfg({ tuple: true }), [thp(0, 0), fork(0)]), unmap(1, 0, 4), (d) => {
      clearPmd(d, 1, 0);
      Object.assign(folioOf(d, 0), { _refcount: 1, _entire_mapcount: 1, mc: [1] });
    });
  });

  it('§2.6 step 7 + §2.9: part of the range: the PMD is split first, then only those PTEs are zapped; AE stays stale', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0)]), unmap(0, 1, 1), (d) => {
      clearPmd(d, 0, 0);
      for (const a of [0, 2, 3]) mapPte(d, 0, a, 0, a, true);
      Object.assign(folioOf(d, 0), { _refcount: 3, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: j === 1 ? 0 : 1, anon_exclusive: true });
    });
  });

  it('§2.6 step 7: part of a shared THP: the zapping mm’s PMD is split and its PTEs zapped; the other keeps its PMD', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0)]), unmap(0, 2, 2), (d) => {
      clearPmd(d, 0, 0);
      mapPte(d, 0, 0, 0, 0, false);
      mapPte(d, 0, 1, 0, 1, false);
      Object.assign(folioOf(d, 0), { _refcount: 3, _entire_mapcount: 1 });
      pageOf(d, 0, 0)._mapcount = 1;
      pageOf(d, 0, 1)._mapcount = 1;
    });
  });

  it('§2.6 step 7 + §2.11: a pin does not stop the zap of the PMD; the folio lives on the pin, the pin is detached', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), pin(0, 1)]), unmap(0, 0, 4), (d) => {
      clearPmd(d, 0, 0);
      Object.assign(folioOf(d, 0), { _refcount: 1, _entire_mapcount: 0 });
      pinOf(d, 0).attached = false;
    });
  });

  it('§2.6 step 7 + §2.11: a partial zap detaches only the pins of the zapped addresses', () => {
    expectStep(kernelAfter(cfg({ pins: 2 }), [thp(0, 0), pin(0, 0), pin(0, 3)]), unmap(0, 2, 2), (d) => {
      clearPmd(d, 0, 0);
      mapPte(d, 0, 0, 0, 0, true);
      mapPte(d, 0, 1, 0, 1, true);
      clearPte(d, 0, 2);
      Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: j < 2 ? 1 : 0, anon_exclusive: true });
      pinOf(d, 1).attached = false; // the pin of address 3
    });
  });

  it('§2.6 step 7: a range over two page tables zaps the PMD it covers whole and splits none', () => {
    const before = kernelAfter(cfg({ va: 8, slots: 4 }), [thp(0, 0), thp(0, 4)]);
    expectStep(before, unmap(0, 4, 4), (d) => {
      clearPmd(d, 0, 1);
      folioOf(d, 1)._entire_mapcount = 0;
      freeSlot(d, 1);
    });
  });

  it('§2.6 step 7 + §2.11: zapping a whole PMD detaches no pin of the next page table', () => {
    // zap_huge_pmd() removes the mapping of that PMD's range only: the pin of address 4 (the first page of
    // the next PMD, outside the zapped range) keeps its mapping.
    const before = kernelAfter(cfg({ va: 8, slots: 4 }), [thp(0, 0), thp(0, 4), pin(0, 4)]);
    expectStep(before, unmap(0, 0, 4), (d) => {
      clearPmd(d, 0, 0);
      folioOf(d, 0)._entire_mapcount = 0;
      freeSlot(d, 0);
    });
  });
});

describe('the step zap (MADV_DONTNEED) over a huge PMD (docs/kernel-rules.md §2.6 step 7)', () => {
  it('§2.6 step 7: exit zaps a huge PMD as one mapping (unmap_page_range())', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0)]), exit(1), (d) => {
      clearPmd(d, 1, 0);
      for (const vm of d.mm[1]?.vm ?? []) Object.assign(vm, { mapped: false, write: false, dontcopy: false, pgoff: 0 });
      Object.assign(d.mm[1] ?? {}, { live: false });
      Object.assign(folioOf(d, 0), { _refcount: 1, _entire_mapcount: 1 });
    });
  });

  it('§2.6 step 7: MADV_DONTNEED of a range mapped by a huge PMD changes state, so it is a step (whole and part)', () => {
    // zap_pte_range() decides "nothing to zap" (ENOENT) from the PTEs alone, but under a huge PMD the PTEs are
    // all none: the PMD is what maps the range.
    for (const [addr, nr] of [
      [0, 4],
      [1, 1],
    ] as const) {
      const before = kernelAfter(cfg(), [thp(0, 0)]);
      const viaStep = toPlain(before);
      expect(applyAction(viaStep, zap(0, addr, nr))).toBe(0);
      const viaUnmap = toPlain(before);
      unmap(0, addr, nr)(viaUnmap);
      expect(viaStep).toEqual(viaUnmap);
    }
  });
});
