/**
 * do_vmi_munmap(): munmap() of a range (docs/kernel-rules.md §2.6 step 8; step `munmap`).
 */
import { describe, it } from 'vitest';
import {
  clearPte,
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  freeSlotZeroed,
  kernelAfter,
  mapPte,
  mmOf,
  munmap,
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
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...CORE_OPS, 'write', 'read', 'munmap'], ...over });

/** Expected-state edit: [a, a+nr) of mm m is outside every VMA. */
function unmapped(d: Kernel, m: number, a: number, nr: number): void {
  for (let i = a; i < a + nr; i++) setVm(d, m, i, { mapped: false, write: false, dontcopy: false, pgoff: 0 });
}

describe('do_vmi_munmap (docs/kernel-rules.md §2.6 step 8)', () => {
  it('§2.6 step 8: the pages of the range are zapped and the range leaves the VMA', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0)]), munmap(0, 1, 1), (d) => {
      unmapped(d, 0, 1, 1);
      clearPte(d, 0, 1);
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
    });
  });

  it('§2.6 step 8: a range never faulted in only loses its VMA', () => {
    expectStep(kernelAfter(cfg(), []), munmap(0, 2, 2), (d) => {
      unmapped(d, 0, 2, 2);
    });
  });

  it('munmap() of a hole succeeds and changes nothing (NOP); a range partly in a hole unmaps the rest', () => {
    const holes = kernelAfter(cfg({ map: 2 }), []);
    expectRefused(holes, munmap(0, 2, 2), 'NOP');
    expectStep(holes, munmap(0, 0, 4), (d) => {
      unmapped(d, 0, 0, 2);
    });
  });

  it('§2.6 + I15: zero-page PTEs go too, and the mm’s record there reads zeroes', () => {
    // The zero page at 3 makes the store at 0 fall back to order 0.
    const before = kernelAfter(cfg({ data: true }), [read(0, 3), write(0, 0)]);
    expectStep(before, munmap(0, 0, 4), (d) => {
      unmapped(d, 0, 0, 4);
      clearPte(d, 0, 0);
      pteOf(d, 0, 3).zero = false;
      freeSlotZeroed(d, 0);
      mmOf(d, 0).expect[0] = 0;
    });
  });

  it('§2.11: munmap does not wait for pins: the pinned folio lives on, the pin is detached', () => {
    expectStep(kernelAfter(cfg(), [write(0, 0), pin(0, 1)]), munmap(0, 0, 2), (d) => {
      unmapped(d, 0, 0, 2);
      clearPte(d, 0, 0);
      clearPte(d, 0, 1);
      pageOf(d, 0, 0)._mapcount = 0;
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 3;
      pinOf(d, 0).attached = false;
    });
  });

  it('§2.0: the unmapped range faults no more (EFAULT); MADV_DONTNEED over it is refused too', () => {
    const before = kernelAfter(cfg(), [write(0, 0), munmap(0, 1, 1)]);
    expectRefused(before, read(0, 1), 'EFAULT');
    expectRefused(before, write(0, 1), 'EFAULT');
    expectRefused(before, fault(0, 1), 'EFAULT');
    expectRefused(before, pin(0, 1), 'EFAULT');
    expectRefused(before, zap(0, 0, 2), 'EFAULT');
  });

  it('§2.1 step 2 thp_vma_suitable_orders(): next to a hole a store falls back to order 0', () => {
    expectStep(kernelAfter(cfg(), [munmap(0, 1, 1)]), write(0, 3), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 0, 3, 0, 0, true);
    });
  });

  it('an mm that does not exist cannot munmap (EFAULT)', () => {
    expectRefused(kernelAfter(cfg(), []), munmap(1, 0, 4), 'EFAULT');
  });
});
