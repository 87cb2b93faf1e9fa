/**
 * do_swap_page(): a fault on a swap entry finds the page in the swapcache or reads it there
 * (docs/kernel-rules.md §2.13, 5.19+). Exclusive (the marker, or our lookup holding the only reference) → AE,
 * writable if VM_WRITE even on a read fault; otherwise read-only and not AE. A read fault leaves the folio in
 * the swapcache. Reached through handle_mm_fault() (`read`, `write`) and GUP (`pin`).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  mmOf,
  mprotect,
  newSmallFolio,
  pageOf,
  pteOf,
  read,
  reclaim,
  setSwap,
  setSwapCache,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel, SwapSlot } from '../../include/mm_types.js';
import { do_swap_page } from './do_swap_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, large: 1, ...over });

const swapIn =
  (m: number, a: number) =>
  (k: Kernel): 0 | string =>
    do_swap_page(k, m, a);

/** Expected-state edit: the swap entry at (m, a) is gone; the PTE maps slot `s` page 0. */
function swappedIn(d: Kernel, m: number, a: number, s: number, write: boolean): void {
  Object.assign(pteOf(d, m, a), { swp: false, swp_exclusive: false, swap: 0 });
  mapPte(d, m, a, s, 0, write);
}

describe('do_swap_page (docs/kernel-rules.md §2.13)', () => {
  it('§2.13 steps 4-7: the exclusive marker: an AE folio with the saved content, writable even on a read fault; it stays in the swapcache', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 1), reclaim(0, 1, 1)]);
    expectStep(before, read(0, 1), (d) => {
      newSmallFolio(d, 0, 1);
      swappedIn(d, 0, 1, 0, true);
      setSwapCache(d, 0, 0, 0, 1); // swap_free(): count 0; the swapcache still holds the slot
    });
  });

  it('§2.13 step 6: no marker and swap count 1: the swapcache holds a reference, so read-only and not AE', () => {
    // Shared at pageout (no marker), then the other mm zapped its entry: count 1. An asynchronous swap
    // device (a swap file) reads it into the swapcache: folio_ref_count() is 2, not 1.
    const before = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), zap(1, 0, 1)]);
    expect(pteOf(before, 0, 0).swp_exclusive).toBe(false);
    expectStep(before, swapIn(0, 0), (d) => {
      newSmallFolio(d, 0);
      pageOf(d, 0, 0).anon_exclusive = false;
      swappedIn(d, 0, 0, 0, false);
      setSwapCache(d, 0, 0, 0);
    });
    // A write fault there frees the swapcache first (should_try_to_free_swap()): exclusive, writable.
    expectStep(before, write(0, 0), (d) => {
      newSmallFolio(d, 0);
      swappedIn(d, 0, 0, 0, true);
      setSwap(d, 0, 0);
    });
  });

  it('§2.13 step 6: a shared entry (count 2, no marker): read-only, not AE, swap count 2 -> 1, in the swapcache', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, read(1, 0), (d) => {
      newSmallFolio(d, 0, 1);
      pageOf(d, 0, 0).anon_exclusive = false;
      swappedIn(d, 1, 0, 0, false);
      setSwapCache(d, 0, 0, 1, 1);
    });
  });

  it('§2.13 step 2 (gap 6): the other sharer finds the folio in the swapcache: one folio mapped by both, read-only', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), fork(0), reclaim(0, 0, 1), read(1, 0)]);
    expectStep(before, read(0, 0), (d) => {
      pageOf(d, 0, 0)._mapcount = 2;
      folioOf(d, 0)._refcount += 1;
      swappedIn(d, 0, 0, 0, false);
      (d.swap[0] as SwapSlot).count = 0;
    });
  });

  it('§2.13 step 8 + §2.2: a write to a shared entry maps it read-only, then do_wp_page() copies it (the swapcache keeps it for the other entry)', () => {
    const before = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, write(0, 0), (d) => {
      newSmallFolio(d, 1);
      swappedIn(d, 0, 0, 1, true);
      setSwap(d, 0, 1);
    });
  });

  it('§2.13 + §2.7 + §2.2: a read-only swapped-in page shared again at fork: the next write copies it', () => {
    const before = kernelAfter(cfg({ mms: 3 }), [fault(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0), fork(0)]);
    // Two mappings and the swapcache's reference (mm1's swap entry still names the slot).
    expect(folioOf(before, 0)._refcount).toBe(3);
    expectStep(before, write(2, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 2, 0, 1, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 2 });
      pageOf(d, 0, 0)._mapcount = 1;
    });
  });

  it('§2.13 step 6: exclusive but in a VMA without VM_WRITE: AE, read-only; a write there is a SIGSEGV', () => {
    const ro = cfg({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    const before = kernelAfter(ro, [fault(0, 0), reclaim(0, 0, 1), mprotect(0, 0, 1, 'ro')]);
    expectStep(before, read(0, 0), (d) => {
      newSmallFolio(d, 0);
      swappedIn(d, 0, 0, 0, false);
      setSwapCache(d, 0, 0, 0);
    });
    expectRefused(before, write(0, 0), 'EFAULT');
  });

  it('§2.13 step 1: only a swap entry is swapped in (EINVAL)', () => {
    expectRefused(kernelAfter(cfg(), [fault(0, 0)]), swapIn(0, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), []), swapIn(0, 0), 'EINVAL');
    expectRefused(kernelAfter(cfg(), []), swapIn(5, 0), 'EINVAL');
  });

  it('bench-core alloc: not enabled when no folio slot is free (ENOMEM), whichever path faults it in', () => {
    const full = kernelAfter(cfg({ slots: 1 }), [fault(0, 0), reclaim(0, 0, 1), fault(0, 1)]);
    expectRefused(full, swapIn(0, 0), 'ENOMEM');
    expectRefused(full, read(0, 0), 'ENOMEM');
    expectRefused(full, write(0, 0), 'ENOMEM');
  });

  it('§5 I15: the process reads from swap what it wrote before the pageout', () => {
    const k = kernelAfter(cfg({ data: true }), [write(0, 3), reclaim(0, 3, 1), read(0, 3)]);
    expect(pageOf(k, 0, 0).data).toBe(mmOf(k, 0).expect[3]);
    expect(mmOf(k, 0).expect[3]).toBe(1);
  });
});
