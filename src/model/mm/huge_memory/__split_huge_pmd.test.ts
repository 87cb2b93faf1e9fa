/**
 * __split_huge_pmd(): a huge PMD becomes a PTE table mapping the same pages (docs/kernel-rules.md §2.9, non-freeze;
 * the step `split_pmd`).
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  config,
  exit,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  pageOf,
  pin,
  pinOf,
  pmdOf,
  pteOf,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { __split_huge_pmd, split_huge_pmds_partly_covered } from './__split_huge_pmd.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

/** Expected-state edit of the split of (m, table 0) over pages 0..3 of slot 0: the PTEs, write as the PMD. */
function splitInto(d: Kernel, m: number, write: boolean): void {
  clearPmd(d, m, 0);
  for (let a = 0; a < 4; a++) mapPte(d, m, a, 0, a, write);
}

describe('__split_huge_pmd (docs/kernel-rules.md §2.9)', () => {
  it('§2.9: an exclusive PMD becomes writable PTEs: refcount +511 (here +3), every page mapped once, entire -1, head AE on every page', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0)]), splitPmd(0, 0), (d) => {
      splitInto(d, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('§2.9: a PMD shared at fork splits into read-only PTEs of non-AE pages; the other mm keeps its PMD', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0)]), splitPmd(1, 0), (d) => {
      splitInto(d, 1, false);
      Object.assign(folioOf(d, 0), { _refcount: 5, _entire_mapcount: 1 });
      for (let j = 0; j < 4; j++) pageOf(d, 0, j)._mapcount = 1;
    });
  });

  it('§2.5 + §2.9: a read-only PMD whose head is AE again (child exited, pin unshared it) splits into read-only AE PTEs', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1), pin(0, 2)]);
    expectStep(before, splitPmd(0, 0), (d) => {
      splitInto(d, 0, false);
      Object.assign(folioOf(d, 0), { _refcount: 5, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('§2.9 + §2.11: a PMD split keeps the same pages, so a pin of the THP stays attached to what its owner maps', () => {
    const before = kernelAfter(cfg(), [thp(0, 0), pin(0, 3)]);
    expectStep(before, splitPmd(0, 0), (d) => {
      splitInto(d, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 5, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pinOf(d, 0), { folio: 0, page: 3, attached: true }); // unchanged
    });
  });

  it('§2.9: any address inside the PMD range names it', () => {
    expectStep(
      kernelAfter(cfg({ va: 8 }), [thp(0, 4)]),
      (k) => __split_huge_pmd(k, 0, 6),
      (d) => {
        clearPmd(d, 0, 1);
        for (let a = 4; a < 8; a++) mapPte(d, 0, a, 0, a - 4, true);
        Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0 });
        for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
      },
    );
  });

  it('§3.2: the split adds one (mm, page table) pair and removes one: the tuple counter is unchanged', () => {
    expectStep(kernelAfter(cfg({ tuple: true }), [thp(0, 0)]), splitPmd(0, 0), (d) => {
      splitInto(d, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0, mc: [1] });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('§5 I15: contents stay in their pages', () => {
    const before = kernelAfter(cfg({ data: true }), [thp(0, 1), write(0, 2)]);
    expectStep(before, splitPmd(0, 0), (d) => {
      splitInto(d, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('is not enabled on a PMD that maps no folio: a PTE table, an mm that does not exist, a split PMD (EINVAL)', () => {
    expectRefused(kernelAfter(cfg(), [fault(0, 0)]), splitPmd(0, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), []), splitPmd(1, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0), splitPmd(0, 0)]), splitPmd(0, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), (k) => __split_huge_pmd(k, 3, 0), 'EINVAL');
  });
});

/**
 * split_huge_pmds_partly_covered(): the callers' rule (mm/memory.c zap_pmd_range(), mm/mprotect.c
 * change_pmd_range(), vma_adjust_trans_huge()): a huge PMD the range covers whole is handled as one entry;
 * one it covers in part (`next - addr != HPAGE_PMD_SIZE`) is split first.
 */
describe('split_huge_pmds_partly_covered', () => {
  const partly =
    (m: number, addr: number, end: number) =>
    (k: Kernel): 0 => {
      split_huge_pmds_partly_covered(k, m, addr, end);
      return 0;
    };

  it('a range that starts at the PMD but ends inside it splits it', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0)]), partly(0, 0, 2), (d) => {
      splitInto(d, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 4, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('a range that ends inside the second PMD splits that one only; a PMD covered whole is left huge', () => {
    const before = kernelAfter(cfg({ va: 8, slots: 8 }), [thp(0, 0), thp(0, 4)]);
    expectStep(before, partly(0, 0, 6), (d) => {
      clearPmd(d, 0, 1);
      for (let a = 4; a < 8; a++) mapPte(d, 0, a, 1, a - 4, true);
      Object.assign(folioOf(d, 1), { _refcount: 4, _entire_mapcount: 0 });
      for (let j = 0; j < 4; j++) Object.assign(pageOf(d, 1, j), { _mapcount: 1, anon_exclusive: true });
    });
  });

  it('zap_pmd_range(): zapping the first half of a THP splits the PMD and leaves the second half mapped', () => {
    const after = kernelAfter(cfg(), [thp(0, 0), zap(0, 0, 2)]);
    expect(pmdOf(after, 0, 0).huge).toBe(false);
    expect(pteOf(after, 0, 0).present).toBe(false);
    expect(pteOf(after, 0, 1).present).toBe(false);
    expect(pteOf(after, 0, 2)).toMatchObject({ present: true, write: true, folio: 0, page: 2 });
    expect(pteOf(after, 0, 3)).toMatchObject({ present: true, write: true, folio: 0, page: 3 });
  });
});
