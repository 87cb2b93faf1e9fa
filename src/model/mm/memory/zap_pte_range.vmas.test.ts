/**
 * unmap_page_range() and MADV_DONTNEED in the whole model (docs/kernel-rules.md §2.6): zero-page PTEs, VMA holes and
 * boundaries, and data tracking. zap_pte_range.test.ts holds bench-core's rules.
 */
import { describe, it } from 'vitest';
import {
  clearPte,
  config,
  expectRefused,
  expectStep,
  folioOf,
  freeSlotZeroed,
  kernelAfter,
  mmOf,
  mprotect,
  pageOf,
  pteOf,
  read,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import { CORE_OPS } from '../../steps/index.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...CORE_OPS, 'write', 'read', 'mprotect'], ...over });

describe('zap_pte_range over VMAs, the zero page and contents (docs/kernel-rules.md §2.6)', () => {
  it('§2.6 + §5 I13: a zero-page PTE is cleared with no counter change, and makes the range worth a step', () => {
    expectStep(kernelAfter(cfg(), [read(0, 1)]), zap(0, 0, 2), (d) => {
      pteOf(d, 0, 1).zero = false;
    });
  });

  it('§2.6: a range with nothing present, not even the zero page, changes nothing (ENOENT)', () => {
    expectRefused(kernelAfter(cfg(), [read(0, 1)]), zap(0, 2, 2), 'ENOENT');
  });

  it('§2.6 + I15: with data tracking the mm reads zeroes there afterwards; the page keeps its (stale) content', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), write(0, 2)]);
    expectStep(before, zap(0, 2, 2), (d) => {
      clearPte(d, 0, 2);
      clearPte(d, 0, 3);
      pageOf(d, 0, 2)._mapcount = 0;
      pageOf(d, 0, 3)._mapcount = 0;
      folioOf(d, 0)._refcount = 2;
      mmOf(d, 0).expect[2] = 0;
    });
  });

  it('§2.6 + I15: a freed folio leaves no content behind; a zero-page PTE in the same range is cleared', () => {
    // The zero page at 1 makes the store at 0 fall back to order 0.
    const before = kernelAfter(cfg({ data: true, large: 2 }), [read(0, 1), write(0, 0)]);
    expectStep(before, zap(0, 0, 2), (d) => {
      clearPte(d, 0, 0);
      pteOf(d, 0, 1).zero = false;
      freeSlotZeroed(d, 0);
      mmOf(d, 0).expect[0] = 0;
    });
  });

  it('madvise(): a range with a hole is refused as a whole (the kernel: -ENOMEM; here EFAULT)', () => {
    const before = kernelAfter(cfg({ map: 2 }), [write(0, 0)]);
    expectRefused(before, zap(0, 0, 4), 'EFAULT');
    expectRefused(before, zap(0, 2, 2), 'EFAULT');
  });

  it('§2.6: MADV_DONTNEED needs no write permission: a read-only VMA is zapped like any other', () => {
    const before = kernelAfter(cfg({ large: 2 }), [write(0, 3), mprotect(0, 2, 2, 'ro')]);
    expectStep(before, zap(0, 2, 2), (d) => {
      clearPte(d, 0, 2);
      clearPte(d, 0, 3);
      freeSlotZeroed(d, 0);
    });
  });

  it('§6 batch boundaries: a zap batch stops at a VMA end (seen in the tuple counter: one decrement per batch)', () => {
    // mprotect of page 1 alone splits the VMA: 0 | 1 | 2-3; the folio's pages 0 and 1 are two batches.
    const before = kernelAfter(cfg({ tuple: true }), [write(0, 0), mprotect(0, 1, 1, 'ro')]);
    expectStep(before, zap(0, 0, 2), (d) => {
      clearPte(d, 0, 0);
      clearPte(d, 0, 1);
      pageOf(d, 0, 0)._mapcount = 0;
      pageOf(d, 0, 1)._mapcount = 0;
      folioOf(d, 0)._refcount = 2;
      folioOf(d, 0).mc[0] = -1; // 1 - 2 batches (naive decrement)
    });
  });
});
