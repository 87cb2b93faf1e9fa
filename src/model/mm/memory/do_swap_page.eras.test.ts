/**
 * do_swap_page() beyond the step-level tests of do_swap_page.test.ts: the write fault as do_swap_page() itself
 * sees it (should_try_to_free_swap(), then the refcount-1 exclusivity; 5.19+), should_try_to_free_swap()'s
 * refcount test when another mm maps the swapcache folio, and the swap-in of <= 5.17, where a write fault
 * reuses the page when reuse_swap_page() finds mapcount plus swap count at most 1 (mm/memory.c v5.17
 * do_swap_page(): `(vmf->flags & FAULT_FLAG_WRITE) && reuse_swap_page(page)`; a read fault maps it read-only).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  mapPte,
  newSmallFolio,
  pteOf,
  read,
  reclaim,
  setSwap,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel, SwapSlot } from '../../include/mm_types.js';
import { do_swap_page } from './do_swap_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, large: 1, ...over });

const slot0 = (k: Kernel): SwapSlot => k.swap[0] as SwapSlot;

describe('do_swap_page, 5.19+: should_try_to_free_swap() and the refcount-1 rule (§2.13 steps 5-6)', () => {
  it('a write fault with only our lookup and the swapcache holding the folio frees the swapcache: exclusive, AE, writable', () => {
    // No marker (shared at pageout, the other entry zapped since): swap count 1, refcount 2 after the lookup.
    const before = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), zap(1, 0, 1)]);
    expect(pteOf(before, 0, 0).swp_exclusive).toBe(false);
    expectStep(
      before,
      (k) => do_swap_page(k, 0, 0, 'write'),
      (d) => {
        newSmallFolio(d, 0);
        Object.assign(pteOf(d, 0, 0), { swp: false, swp_exclusive: false, swap: 0 });
        mapPte(d, 0, 0, 0, 0, true);
        setSwap(d, 0, 0);
      },
    );
  });

  it('a write fault while another mm maps the swapcache folio keeps it in the swapcache (refcount is not 1 + nr)', () => {
    // mm 1 swapped the shared entry in first (read-only); mm 0's entry is then the slot's last (count 1).
    const before = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), read(1, 0)]);
    expect(slot0(before)).toMatchObject({ count: 1, cache: true, folio: 0 });
    const k = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), read(1, 0), write(0, 0)]);
    // mm 0 got a copy (do_wp_page()); the folio mm 1 maps stays in the swapcache, with its reference.
    expect(pteOf(k, 0, 0)).toMatchObject({ present: true, write: true, folio: 1 });
    expect(pteOf(k, 1, 0)).toMatchObject({ present: true, write: false, folio: 0 });
    expect(slot0(k)).toMatchObject({ count: 0, cache: true, folio: 0 });
    expect(folioOf(k, 0)._refcount).toBe(2);
  });

  it('§2.13 step 1: an address outside the address space is no swap entry (EINVAL)', () => {
    expect(do_swap_page(kernelAfter(cfg(), []), 0, 99)).toBe('EINVAL');
  });
});

describe('do_swap_page, <= 5.17: reuse_swap_page() on write faults only', () => {
  for (const era of ['5.7', '5.9'] as const) {
    it(`${era}: a read fault maps the page read-only and leaves it in the swapcache, even at swap count 1`, () => {
      const k = kernelAfter(cfg({ era }), [fault(0, 0), reclaim(0, 0, 1), read(0, 0)]);
      expect(pteOf(k, 0, 0)).toMatchObject({ present: true, write: false, folio: 0 });
      expect(slot0(k)).toMatchObject({ count: 0, cache: true, folio: 0 });
    });

    it(`${era}: a write fault at swap count 1 and no mapping reuses the page: writable, out of the swapcache`, () => {
      const k = kernelAfter(cfg({ era }), [fault(0, 0), reclaim(0, 0, 1), write(0, 0)]);
      expect(pteOf(k, 0, 0)).toMatchObject({ present: true, write: true, folio: 0 });
      expect(slot0(k)).toMatchObject({ count: 0, cache: false });
      expect(folioOf(k, 0)._refcount).toBe(1);
      expect(k.nr_folios).toBe(1);
    });

    it(`${era}: a write fault at swap count 2 (shared at fork) maps it read-only; do_wp_page() then copies it`, () => {
      const k = kernelAfter(cfg({ era }), [fault(0, 0), fork(0), reclaim(0, 0, 1), write(0, 0)]);
      expect(pteOf(k, 0, 0)).toMatchObject({ present: true, write: true, folio: 1 });
      // mm 1's entry stays (count 2 -> 1); the old folio, mapped nowhere now, is not kept for it
      // (swap_state.ts, Deviates: an unused swapcache folio goes at once).
      expect(pteOf(k, 1, 0).swp).toBe(true);
      expect(slot0(k).count).toBe(1);
    });
  }
});
