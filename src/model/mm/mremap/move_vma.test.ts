/**
 * move_vma(): mremap(MREMAP_MAYMOVE | MREMAP_FIXED) of a range to a free address (docs/kernel-rules.md §2.8; step
 * `mremap(m,a,n,to)`), and the cow selftest's "partially mremap()'ed THP" (§4 B11, cow.c).
 *
 * The fixtures map pages 0-1 only (`map: 2`), two PTEs per page table and order-1 folios: pages 2-3 are
 * free address space in the second page table.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPte,
  config,
  dontfork,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  freeSlotZeroed,
  kernelAfter,
  mapPte,
  mmOf,
  mprotect,
  mremap,
  newSmallFolio,
  pageOf,
  pin,
  pinOf,
  pteOf,
  read,
  setVm,
  write,
  zap,
} from '../../../../test/helpers.js';
import { KernelSystem } from '../../../spec.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({
    ops: [...CORE_OPS, 'write', 'read', 'mprotect', 'dontfork', 'mremap'],
    va: 4,
    pt: 2,
    large: 2,
    map: 2,
    ...over,
  });

/** Expected-state edit: [a, a+nr) of mm m is outside every VMA and maps nothing. */
function vacated(d: Kernel, m: number, a: number, nr: number): void {
  for (let i = a; i < a + nr; i++) {
    setVm(d, m, i, { mapped: false, write: false, dontcopy: false, pgoff: 0 });
    clearPte(d, m, i);
    pteOf(d, m, i).zero = false;
  }
}

describe('move_vma (docs/kernel-rules.md §2.8)', () => {
  it('§2.8: the PTE moves unchanged and the page keeps its pgoff; no rmap, mapcount, refcount or AE change', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0)]), mremap(0, 1, 1, 2), (d) => {
      vacated(d, 0, 1, 1);
      setVm(d, 0, 2, { mapped: true, write: true, dontcopy: false, pgoff: 1 });
      mapPte(d, 0, 2, 0, 1, true);
    });
  });

  it('§2.8: a whole range moves with its VMA flags (read-only, VM_DONTCOPY); none and zero-page PTEs too', () => {
    // The VMA has an anon_vma (a fault, zapped again): its pages keep their pgoff (copy_vma()).
    const before = kernelAfter(cfg(), [
      fault(0, 0),
      zap(0, 0, 2),
      read(0, 1),
      mprotect(0, 0, 2, 'ro'),
      dontfork(0, 0, 2),
    ]);
    expectStep(before, mremap(0, 0, 2, 2), (d) => {
      vacated(d, 0, 0, 2);
      setVm(d, 0, 2, { mapped: true, write: false, dontcopy: true, pgoff: 0 });
      setVm(d, 0, 3, { mapped: true, write: false, dontcopy: true, pgoff: 1 });
      pteOf(d, 0, 3).zero = true;
    });
  });

  it('§2.8 + I15: the mm’s record of what it wrote moves with the page', () => {
    expectStep(kernelAfter(cfg({ data: true }), [write(0, 1)]), mremap(0, 1, 1, 3), (d) => {
      vacated(d, 0, 1, 1);
      setVm(d, 0, 3, { mapped: true, write: true, dontcopy: false, pgoff: 1 });
      mapPte(d, 0, 3, 0, 1, true);
      mmOf(d, 0).expect[1] = 0;
      mmOf(d, 0).expect[3] = 1;
    });
  });

  it('§2.11: a pin follows its page to the new address, and the pin table is sorted again', () => {
    const before = kernelAfter(cfg({ pins: 2 }), [write(0, 0), pin(0, 0), pin(0, 1)]);
    expectStep(before, mremap(0, 0, 1, 3), (d) => {
      vacated(d, 0, 0, 1);
      setVm(d, 0, 3, { mapped: true, write: true, dontcopy: false, pgoff: 0 });
      mapPte(d, 0, 3, 0, 0, true);
      // Sorted by (mm, addr): the pin of address 1 now comes first.
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 1, folio: 0, page: 1, attached: true });
      Object.assign(pinOf(d, 1), { live: true, mm: 0, addr: 3, folio: 0, page: 0, attached: true });
    });
  });

  it('§2.11: a pin whose mapping was zapped stays where it was taken: it holds a page no PTE maps', () => {
    // zap_pte_range() detached the pin (its page is no longer at the address); the move carries PTEs, so
    // nothing of the pin moves. Its address is where it was taken, as dataIsolation reports it.
    const before = kernelAfter(cfg(), [write(0, 0), pin(0, 0), zap(0, 0, 1)]);
    expect(pinOf(before, 0)).toMatchObject({ live: true, attached: false, addr: 0 });
    expectStep(before, mremap(0, 0, 1, 3), (d) => {
      vacated(d, 0, 0, 1);
      setVm(d, 0, 3, { mapped: true, write: true, dontcopy: false, pgoff: 0 });
    });
  });

  it('§2.11 + I15: a store through the new address reaches the moved pin', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), pin(0, 0), mremap(0, 0, 1, 2)]);
    expectStep(before, write(0, 2), (d) => {
      d.values = 2;
      pageOf(d, 0, 0).data = 2;
      mmOf(d, 0).expect[2] = 2;
      pinOf(d, 0).expect = 2;
    });
  });

  it('vma_to_resize(): the old range must be inside one VMA; the new one free and apart from it (EFAULT)', () => {
    const k = kernelAfter(cfg(), [write(0, 0)]);
    expectRefused(k, mremap(0, 2, 1, 3), 'EFAULT'); // nothing mapped there
    expectRefused(k, mremap(0, 0, 1, 1), 'EFAULT'); // destination mapped
    expectRefused(k, mremap(0, 0, 2, 1), 'EFAULT'); // overlapping ranges
    expectRefused(kernelAfter(cfg(), []), mremap(1, 0, 1, 2), 'EFAULT'); // no such mm
    // Two VMAs: page 1 read-only.
    expectRefused(kernelAfter(cfg(), [mprotect(0, 1, 1, 'ro')]), mremap(0, 0, 2, 2), 'EFAULT');
    // Two VMAs: pgoffs 0 and 1 moved apart and back side by side in the wrong order (pgoff 1 at 2, 0 at 3).
    const swapped = kernelAfter(cfg(), [fault(0, 0), zap(0, 0, 2), mremap(0, 1, 1, 2), mremap(0, 0, 1, 3)]);
    expectRefused(swapped, mremap(0, 2, 2, 0), 'EFAULT');
  });
});

describe('partially mremap()ed large folio (docs/kernel-rules.md §2.8, §4 B11)', () => {
  // The folio's page 1 is moved into the second page table: one folio, two VMAs, two page tables.
  const setup = [write(0, 0), mremap(0, 1, 1, 2)];

  it('§2.7: fork shares both halves, one batch each, at their own addresses', () => {
    expectStep(kernelAfter(cfg(), setup), fork(0), (d) => {
      mmOf(d, 1).live = true;
      setVm(d, 1, 0, { mapped: true, write: true, pgoff: 0 });
      setVm(d, 1, 2, { mapped: true, write: true, pgoff: 1 });
      for (const [a, j] of [
        [0, 0],
        [2, 1],
      ] as const) {
        pteOf(d, 0, a).write = false;
        mapPte(d, 1, a, 0, j, false);
        Object.assign(pageOf(d, 0, j), { _mapcount: 2, anon_exclusive: false });
      }
      folioOf(d, 0)._refcount = 4;
    });
  });

  it('§2.2 era D: each half is copied by whichever mm writes it, and the last copy frees the folio', () => {
    let k = kernelAfter(cfg(), [...setup, fork(0)]);
    k = expectStep(k, write(0, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 0, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 3;
    }).after;
    k = expectStep(k, write(0, 2), (d) => {
      newSmallFolio(d, 2);
      mapPte(d, 0, 2, 2, 0, true);
      pageOf(d, 0, 1)._mapcount = 1;
      folioOf(d, 0)._refcount = 2;
    }).after;
    k = expectStep(k, write(1, 2), (d) => {
      newSmallFolio(d, 3);
      mapPte(d, 1, 2, 3, 0, true);
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 1;
    }).after;
    expectStep(k, write(1, 0), (d) => {
      newSmallFolio(d, 4);
      mapPte(d, 1, 0, 4, 0, true);
      freeSlotZeroed(d, 0);
    });
  });

  it('I15: with contents tracked, fork and COW on each half keep every invariant', () => {
    const c = cfg({ data: true });
    const sys = new KernelSystem(c);
    const steps = [write(0, 0), write(0, 1), mremap(0, 1, 1, 2), fork(0), write(1, 2), write(0, 0), write(0, 2)];
    for (let n = 0; n <= steps.length; n++) {
      expect(sys.checkKernel(kernelAfter(c, steps.slice(0, n))), `after ${n} steps`).toBe(-1);
    }
  });
});
