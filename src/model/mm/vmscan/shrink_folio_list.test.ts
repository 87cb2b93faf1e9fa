/**
 * shrink_folio_list(): swap-out of the folios mapped in a range (docs/kernel-rules.md §2.12; the step `reclaim`).
 * Every mapping of the folio, in every mm, becomes a swap entry; the marker is set iff the page was AE; a
 * maybe-pinned folio stays resident; a large folio is split first (§2.10).
 */
import { describe, expect, it } from 'vitest';
import {
  clearPmd,
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  freeSlotZeroed,
  kernelAfter,
  mapPte,
  pageOf,
  pin,
  read,
  reclaim,
  setSwap,
  swapPte,
  THP_SWAP_OPS,
  thp,
  unpin,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel, Mm, Pte } from '../../include/mm_types.js';
import { shrink_folio_list } from './shrink_folio_list.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });
const small = (over: Partial<Bounds> = {}) => cfg({ large: 1, ...over });

/** The pageout of a range wider than the configured MADV_DONTNEED sizes (small folios only take 1). */
const pageoutRange =
  (m: number, a: number, nr: number) =>
  (k: Kernel): 0 | string =>
    shrink_folio_list(k, m, a, nr);

/** Expected-state edit: page `j` of slot 0 moved alone to slot `s` (split_huge_page()), mapped once, AE. */
function splitOff(d: Kernel, m: number, j: number, s: number): void {
  d.nr_folios += 1;
  Object.assign(folioOf(d, s), { used: true, nr_pages: 1, _refcount: 1 });
  Object.assign(pageOf(d, s, 0), { _mapcount: 1, anon_exclusive: true });
  Object.assign(pageOf(d, 0, j), { _mapcount: 0, anon_exclusive: false });
  mapPte(d, m, j, s, 0, true);
}

describe('shrink_folio_list (docs/kernel-rules.md §2.12)', () => {
  it('§2.12 steps 2-6: an exclusive page: swap entry with the marker, swap count 1, content saved, folio freed', () => {
    expectStep(kernelAfter(small({ data: true }), [write(0, 1)]), reclaim(0, 1, 1), (d) => {
      swapPte(d, 0, 1, 0, true);
      setSwap(d, 0, 1, 1);
      freeSlotZeroed(d, 0);
    });
  });

  it('§2.12: a page shared by two mms: both mappings become entries of one slot, no marker, swap count 2', () => {
    expectStep(kernelAfter(small(), [fault(0, 2), fork(0)]), reclaim(1, 2, 1), (d) => {
      swapPte(d, 0, 2, 0, false);
      swapPte(d, 1, 2, 0, false);
      setSwap(d, 0, 2);
      freeSlotZeroed(d, 0);
    });
  });

  it('§2.12: each folio of the range gets its own swap slot', () => {
    expectStep(kernelAfter(small(), [fault(0, 0), fault(0, 1)]), pageoutRange(0, 0, 2), (d) => {
      swapPte(d, 0, 0, 0, true);
      swapPte(d, 0, 1, 1, true);
      setSwap(d, 0, 1);
      setSwap(d, 1, 1);
      freeSlotZeroed(d, 0);
      freeSlotZeroed(d, 1);
    });
  });

  it('§2.12 + §2.10: a PTE-mapped large folio is split first; only the page in the range is swapped out', () => {
    expectStep(kernelAfter(cfg(), [fault(0, 0)]), reclaim(0, 1, 1), (d) => {
      Object.assign(folioOf(d, 0), { nr_pages: 1, _refcount: 1 });
      splitOff(d, 0, 3, 1);
      splitOff(d, 0, 2, 2);
      // Page 1 went to slot 3 and straight out to swap: the slot is free again.
      Object.assign(pageOf(d, 0, 1), { _mapcount: 0, anon_exclusive: false });
      swapPte(d, 0, 1, 0, true);
      setSwap(d, 0, 1);
    });
  });

  it('§2.12 + §2.9 + §2.10: a PMD-mapped THP: the PMD is split, then the folio, then the page is swapped out', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0)]), reclaim(0, 0, 1), (d) => {
      clearPmd(d, 0, 0);
      splitOff(d, 0, 3, 1);
      splitOff(d, 0, 2, 2);
      splitOff(d, 0, 1, 3);
      // Page 0 stayed in slot 0, which is freed once it is swapped out.
      Object.assign(folioOf(d, 0), { _entire_mapcount: 0 });
      freeSlotZeroed(d, 0);
      swapPte(d, 0, 0, 0, true);
      setSwap(d, 0, 1);
    });
  });

  it('§2.12 step 4 + §5 I7: a maybe-pinned folio is not swapped out; once unpinned it is', () => {
    expectRefused(kernelAfter(small(), [fault(0, 0), pin(0, 0)]), reclaim(0, 0, 1), 'ENOENT');
    // A large folio pinned on another page is not split either (§2.10 can_split_folio()).
    expectRefused(kernelAfter(cfg(), [fault(0, 0), pin(0, 3)]), reclaim(0, 0, 1), 'ENOENT');
    expectRefused(kernelAfter(cfg(), [thp(0, 0), pin(0, 3)]), reclaim(0, 0, 4), 'ENOENT');
    expectStep(kernelAfter(small(), [fault(0, 0), pin(0, 0), unpin(0)]), reclaim(0, 0, 1), (d) => {
      swapPte(d, 0, 0, 0, true);
      setSwap(d, 0, 1);
      freeSlotZeroed(d, 0);
    });
  });

  it('§2.12: a pinned folio in the range is skipped, the others go out', () => {
    expectStep(kernelAfter(small(), [fault(0, 0), fault(0, 1), pin(0, 0)]), pageoutRange(0, 0, 2), (d) => {
      swapPte(d, 0, 1, 0, true);
      setSwap(d, 0, 1);
      freeSlotZeroed(d, 1);
    });
  });

  it('§1.6: no free swap slot, nothing swapped out (ENOENT)', () => {
    expectRefused(
      kernelAfter(small({ swap: 1 }), [fault(0, 0), fault(0, 1), reclaim(0, 0, 1)]),
      reclaim(0, 1, 1),
      'ENOENT',
    );
    expectRefused(kernelAfter(small({ swap: 0 }), [fault(0, 0)]), reclaim(0, 0, 1), 'ENOENT');
  });

  it('is not enabled on a range with no folio: none, zero-page or swap PTEs (ENOENT), nor in an mm that does not exist (EFAULT)', () => {
    expectRefused(kernelAfter(small(), []), reclaim(0, 0, 1), 'ENOENT');
    expectRefused(kernelAfter(small(), [read(0, 0)]), reclaim(0, 0, 1), 'ENOENT');
    expectRefused(kernelAfter(small(), [fault(0, 0), reclaim(0, 0, 1)]), reclaim(0, 0, 1), 'ENOENT');
    expectRefused(kernelAfter(small(), [fault(0, 0)]), reclaim(1, 0, 1), 'EFAULT');
  });
});

describe('shrink_folio_list when a scheme decides (decision point reclaim-mapped)', () => {
  it('a count still above zero after try_to_unmap() keeps the folio in the swapcache, unmapped and not freed', () => {
    // `if (folio_mapped(folio)) goto activate_locked`: the scheme's answer, not the page tables', decides.
    const k = kernelAfter(small({ decider: 'tuple-naive' }), [fault(0, 0)]);
    const slot = (k.mm[0] as Mm).pte[0]?.folio ?? -1;
    folioOf(k, slot).mc[0] = 2; // a tuple count desynced upwards: one left after the unmap
    expect(shrink_folio_list(k, 0, 0, 1)).toBe(0);
    const pte = (k.mm[0] as Mm).pte[0] as Pte;
    expect(pte.swp).toBe(true);
    expect(k.swap[pte.swap]?.cache).toBe(true);
    expect(folioOf(k, slot).used).toBe(true);
  });
});
