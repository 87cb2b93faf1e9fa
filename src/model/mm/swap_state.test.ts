/**
 * The swapcache (swap_state.ts; docs/kernel-rules.md §1.6, §2.12, §2.13): what puts a folio there, what
 * finds it, what takes it out; and MADV_PAGEOUT's refusals that the kernel comparison found.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  fault,
  folioOf,
  fork,
  get,
  kernelAfter,
  munmap,
  pageout,
  pinOf,
  pinRw,
  pteOf,
  read,
  reclaim,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../test/helpers.js';
import type { Bounds } from '../config.js';
import type { Era } from '../eras.js';
import type { Kernel, SwapSlot } from '../include/mm_types.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({
    ops: [...THP_SWAP_OPS, 'get', 'put', 'munmap', 'mprotect', 'pageout'],
    swap: 2,
    large: 1,
    data: true,
    ...over,
  });

const slot0 = (k: Kernel): SwapSlot => k.swap[0] as SwapSlot;

describe('the swapcache (docs/kernel-rules.md §1.6, §2.13)', () => {
  it('a read-fault swap-in leaves the folio in the swapcache; zapping its last mapping takes it out (free_swap_cache())', () => {
    const cached = kernelAfter(cfg(), [write(0, 0), reclaim(0, 0, 1), read(0, 0)]);
    expect(slot0(cached)).toMatchObject({ used: true, count: 0, cache: true, folio: pteOf(cached, 0, 0).folio });
    expect(folioOf(cached, pteOf(cached, 0, 0).folio)._refcount).toBe(2);
    const zapped = kernelAfter(cfg(), [write(0, 0), reclaim(0, 0, 1), read(0, 0), zap(0, 0, 1)]);
    expect(slot0(zapped).used).toBe(false);
    expect(zapped.folio.every((f) => !f.used)).toBe(true);
  });

  it('zapping the last swap entry of a swapcache folio another reference holds takes it out (free_swap_and_cache_nr())', () => {
    // mm1 vmsplices the shared page and unmaps it; reclaim then leaves the folio in the swapcache (the pipe's
    // reference); zapping mm0's swap entry, the last, takes it out, and only the pipe holds it.
    const k = kernelAfter(cfg({ mms: 2 }), [write(0, 0), fork(0), get(1, 0), zap(1, 0, 1), reclaim(0, 0, 1)]);
    expect(slot0(k)).toMatchObject({ used: true, count: 1, cache: true });
    const after = kernelAfter(cfg({ mms: 2 }), [
      write(0, 0),
      fork(0),
      get(1, 0),
      zap(1, 0, 1),
      reclaim(0, 0, 1),
      zap(0, 0, 1),
    ]);
    expect(slot0(after).used).toBe(false);
    expect(folioOf(after, pinOf(after, 0).folio)._refcount).toBe(1);
  });

  // §4 B5, the swap-in instance: up to 5.17 a write-fault swap-in reuses by reuse_swap_page() (mapcount plus
  // swap count), blind to the pipe's reference, so the pipe sees the parent's later write; 5.18+ copies.
  const leak = [write(0, 0), fork(0), get(1, 0), zap(1, 0, 1), reclaim(0, 0, 1), write(0, 0)];
  for (const [era, shared] of [
    ['5.9', true],
    ['5.19', false],
    ['6.15', false],
  ] as [Era, boolean][]) {
    it(`§4 B5 swap-in (${era}): the write-fault swap-in ${shared ? 'reuses the page the pipe holds' : 'copies it'}`, () => {
      const k = kernelAfter(cfg({ mms: 2, era }), leak);
      expect(pteOf(k, 0, 0).folio === pinOf(k, 0).folio).toBe(shared);
    });
  }

  it('5.7 (reclaim takes pinned pages): the pin keeps the folio in the swapcache and the swap-in maps it again', () => {
    const k = kernelAfter(cfg({ era: '5.7', pins: 1 }), [pinRw(0, 0), reclaim(0, 0, 1), read(0, 0)]);
    expect(pteOf(k, 0, 0).folio).toBe(pinOf(k, 0).folio);
  });
});

describe('MADV_PAGEOUT refusals found by `foliocheck kernel --random`', () => {
  it('a range with a hole is refused (madvise(): -ENOMEM), not advised in part', () => {
    const k = kernelAfter(cfg({ va: 4, pt: 4, map: 4, large: 4, orders: [] }), [
      fault(0, 0),
      fault(0, 2),
      munmap(0, 1, 1),
    ]);
    expectRefused(k, pageout(0, 0, 4), 'EFAULT');
  });

  it('running out of swap slots refuses the step (the bound is the model’s), where reclaim does what it can', () => {
    const small = cfg({ va: 4, pt: 4, map: 4, swap: 2, large: 4, orders: [] });
    const k = kernelAfter(small, [fault(0, 0), fault(0, 1), fault(0, 2)]);
    expectRefused(k, pageout(0, 0, 4), 'ENOMEM');
    const reclaimed = kernelAfter(small, [fault(0, 0), fault(0, 1), fault(0, 2), reclaim(0, 0, 4)]);
    expect([0, 1, 2].map((a) => pteOf(reclaimed, 0, a).swp)).toEqual([true, true, false]);
  });
});
