/**
 * mprotect_fixup() over huge PMDs (mm/mprotect.c change_pmd_range(), change_huge_pmd() with
 * can_change_pmd_writable(); mm/huge_memory.c vma_adjust_trans_huge()) and the two coverage branches it
 * counts (coverage.ts: `mprotect_fixup:writable`, `mprotect_fixup:stays-read-only`).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fork,
  kernelAfter,
  mprotect,
  pageOf,
  pmdOf,
  pteOf,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...THP_SWAP_OPS, 'mprotect'], ...over });

describe('mprotect_fixup over a huge PMD', () => {
  it('a range inside the PMD: the VMA split splits the PMD (vma_adjust_trans_huge()), only the range goes read-only', () => {
    const k = kernelAfter(cfg(), [thp(0, 0)]);
    expect(applyAction(k, mprotect(0, 1, 2, 'ro'))).toBe(0);
    expect(pmdOf(k, 0, 0).huge).toBe(false);
    // __split_huge_pmd_locked() gives each PTE the PMD's write bit; change_pte_range() then write-protects
    // the range's.
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).present)).toEqual([true, true, true, true]);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).write)).toEqual([true, false, false, true]);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).folio)).toEqual([0, 0, 0, 0]);
  });

  it('the whole PMD: change_huge_pmd() write-protects it, and PROT_WRITE makes it writable again if its head is exclusive', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), mprotect(0, 0, 4, 'ro')]);
    expect(pmdOf(k, 0, 0)).toMatchObject({ huge: true, write: false });
    expect(pageOf(k, 0, 0).anon_exclusive).toBe(true);
    expect(applyAction(k, mprotect(0, 0, 4, 'rw'))).toBe(0);
    expect(pmdOf(k, 0, 0)).toMatchObject({ huge: true, write: true });
  });

  it('can_change_pmd_writable(): a PMD whose head is shared with a fork child stays read-only under PROT_WRITE', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), fork(0), mprotect(0, 0, 4, 'ro')]);
    expect(applyAction(k, mprotect(0, 0, 4, 'rw'))).toBe(0);
    expect(pmdOf(k, 0, 0)).toMatchObject({ huge: true, write: false });
  });
});

describe('mprotect_fixup coverage branches', () => {
  const counts = () => {
    const c = branchCountsByName();
    return [c['mprotect_fixup:writable'], c['mprotect_fixup:stays-read-only']];
  };

  it('PROT_READ counts neither; PROT_WRITE counts each present PTE: writable (exclusive) or stays read-only', () => {
    // Small folios: page 0 written before fork (shared with the child), page 1 written after (exclusive).
    const k = kernelAfter(cfg({ large: 1, ops: ['fault', 'fork', 'write', 'mprotect'] }), [write(0, 0), fork(0)]);
    expect(applyAction(k, write(0, 1))).toBe(0);
    resetBranches();
    expect(applyAction(k, mprotect(0, 0, 2, 'ro'))).toBe(0);
    expect(counts()).toEqual([0, 0]);
    expect(applyAction(k, mprotect(0, 0, 2, 'rw'))).toBe(0);
    expect(counts()).toEqual([1, 1]);
    expect([pteOf(k, 0, 0).write, pteOf(k, 0, 1).write]).toEqual([false, true]);
  });
});
