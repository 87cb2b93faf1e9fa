/**
 * do_huge_pmd_anonymous_page(): a write fault in a PMD range with no page table maps one PMD-sized folio
 * (docs/kernel-rules.md §2.1 step 5; the step `thp`).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  encodingOf,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  kernelAfter,
  mmOf,
  mprotect,
  newPmdFolio,
  pageOf,
  pin,
  read,
  reclaim,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import { do_huge_pmd_anonymous_page } from './do_huge_pmd_anonymous_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

describe('do_huge_pmd_anonymous_page (docs/kernel-rules.md §2.1 step 5)', () => {
  it('§2.1 step 5: one writable huge PMD; refcount 1, _entire_mapcount 1, AE on the head only, no page _mapcount', () => {
    expectStep(kernelAfter(cfg(), []), thp(0, 2), (d) => {
      newPmdFolio(d, 0, 0, 0, 4);
    });
  });

  it('§2.1 step 5: the PMD of the faulting address is the one mapped; the other page table is untouched', () => {
    const before = kernelAfter(cfg({ va: 8, large: 1 }), [fault(0, 1)]);
    expectStep(before, thp(0, 6), (d) => {
      newPmdFolio(d, 1, 0, 1, 4);
    });
  });

  it('§3.2: folio_add_new_anon_rmap() counts the PMD mapping as one (mm, page table) pair', () => {
    expectStep(kernelAfter(cfg({ tuple: true }), []), thp(0, 0), (d) => {
      newPmdFolio(d, 0, 0, 0, 4);
      folioOf(d, 0).mc[0] = 1;
    });
  });

  it('§5 I15: the store that faulted lands in the page at its address; the other pages read zeroes', () => {
    expectStep(kernelAfter(cfg({ data: true }), []), thp(0, 3), (d) => {
      newPmdFolio(d, 0, 0, 0, 4);
      pageOf(d, 0, 3).data = 1;
      mmOf(d, 0).expect[3] = 1;
      d.values = 1;
    });
  });

  it('§2.1 step 5 + §2.9: a THP whose PMD was split is the very state a PTE-mapped fault of that order gives', () => {
    expect(encodingOf(kernelAfter(cfg(), [thp(0, 0), splitPmd(0, 0)]))).toEqual(
      encodingOf(kernelAfter(cfg(), [fault(0, 0)])),
    );
    expect(encodingOf(kernelAfter(cfg(), [thp(0, 0)]))).not.toEqual(encodingOf(kernelAfter(cfg(), [fault(0, 0)])));
  });

  it('§2.1 step 5: only when the PMD is none: not under a huge PMD, nor over a present, zero or swap PTE (EEXIST)', () => {
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), thp(0, 3), 'EEXIST');
    expectRefused(kernelAfter(cfg({ large: 1 }), [fault(0, 3)]), thp(0, 0), 'EEXIST');
    expectRefused(kernelAfter(cfg(), [read(0, 1)]), thp(0, 2), 'EEXIST');
    expectRefused(kernelAfter(cfg({ large: 1 }), [fault(0, 2), reclaim(0, 2, 1)]), thp(0, 0), 'EEXIST');
  });

  it('§2.6: once the table is empty again (zapped) a THP may be mapped there', () => {
    const before = kernelAfter(cfg({ large: 1 }), [fault(0, 3), zap(0, 3, 1)]);
    expectStep(before, thp(0, 0), (d) => {
      newPmdFolio(d, 0, 0, 0, 4);
    });
  });

  it('§2.1 step 5 thp_vma_suitable_order(): the aligned range must lie in one VMA with VM_WRITE (EFAULT)', () => {
    expectRefused(kernelAfter(cfg(), []), thp(1, 0), 'EFAULT'); // an mm that exited, or never was forked
    expectRefused(kernelAfter(cfg(), []), (k) => do_huge_pmd_anonymous_page(k, 5, 0), 'EFAULT'); // no mm 5
    expectRefused(kernelAfter(cfg({ map: 2 }), []), thp(0, 0), 'EFAULT'); // the range leaves the VMA
    expectRefused(kernelAfter(cfg({ map: 2 }), []), thp(0, 3), 'EFAULT'); // outside any VMA
    const ro = config({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    expectRefused(kernelAfter(ro, [mprotect(0, 0, 4, 'ro')]), thp(0, 0), 'EFAULT'); // no VM_WRITE
    expectRefused(kernelAfter(ro, [mprotect(0, 2, 1, 'ro')]), thp(0, 0), 'EFAULT'); // two VMAs
  });

  it('bench-core alloc: not enabled when no folio slot is free (ENOMEM)', () => {
    // The only slot holds a pinned folio whose PTEs are gone: the table is empty but nothing can be allocated.
    expectRefused(
      kernelAfter(cfg({ slots: 1, large: 1 }), [fault(0, 0), pin(0, 0), zap(0, 0, 1)]),
      thp(0, 0),
      'ENOMEM',
    );
  });

  it('§2.0: the PTE-level fault is not entered under a huge PMD: there is no PTE table there (EEXIST)', () => {
    expectRefused(kernelAfter(cfg(), [thp(0, 0)]), fault(0, 1), 'EEXIST');
  });
});
