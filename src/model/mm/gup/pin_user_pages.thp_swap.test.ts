/**
 * pin_user_pages() on huge PMDs and swap entries, and the R/W pin (FOLL_WRITE) (docs/kernel-rules.md §2.11, §2.4,
 * §2.5, §2.13): a R/O pin of a read-only PMD whose head is not AE unshares it first; a R/W pin faults for
 * write first; a swap entry is faulted in first. What gets pinned is then always an AE page (§5 I6).
 */
import { describe, it } from 'vitest';
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
  mprotect,
  newSmallFolio,
  pageOf,
  pin,
  pinOf,
  pinRw,
  pmdOf,
  pteOf,
  reclaim,
  setSwap,
  setSwapCache,
  THP_SWAP_OPS,
  thp,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });
const small = (over: Partial<Bounds> = {}) => cfg({ large: 1, ...over });

/** Expected-state edit: pin entry `i` is live on (m, addr), pinning `page` of `folio`. */
function pinned(d: Kernel, i: number, m: number, addr: number, folio: number, page: number, write = false): void {
  Object.assign(pinOf(d, i), { live: true, mm: m, addr, folio, page, attached: true, write });
  folioOf(d, folio)._pincount += 1;
  folioOf(d, folio)._refcount += 1;
}

/** Expected-state edit: mm m's shared PMD over slot 0 split into read-only PTEs, then page a copied to slot s. */
function splitAndCopy(d: Kernel, m: number, a: number, s: number, write: boolean): void {
  clearPmd(d, m, 0);
  for (let j = 0; j < 4; j++) {
    if (j !== a) mapPte(d, m, j, 0, j, false);
    if (j !== a) pageOf(d, 0, j)._mapcount += 1;
  }
  Object.assign(folioOf(d, 0), { _refcount: folioOf(d, 0)._refcount + 2, _entire_mapcount: 1 });
  newSmallFolio(d, s);
  mapPte(d, m, a, s, 0, write);
}

describe('pin_user_pages, huge PMD (docs/kernel-rules.md §2.11, §2.5)', () => {
  it('§2.11: a writable PMD (head AE) is pinned as it is: the page at the address, _pincount +1, _refcount +1', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0)]), pin(0, 2), (d) => {
      pinned(d, 0, 0, 2, 0, 2);
    });
  });

  it('§2.11 + §2.5: a shared read-only PMD: split, the one page unshared into a read-only copy, which is pinned', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0)]), pin(1, 3), (d) => {
      splitAndCopy(d, 1, 3, 1, false);
      pinned(d, 0, 1, 3, 1, 0);
    });
  });

  it('§2.11 + §2.5: a read-only PMD at refcount 1: the head is made AE, the PMD stays read-only, the THP is pinned', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]), pin(0, 1), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pinned(d, 0, 0, 1, 0, 1);
    });
  });

  it('§2.11: a read-only PMD whose head is already AE needs no unshare: a second pin elsewhere in it', () => {
    const before = kernelAfter(cfg({ pins: 2 }), [thp(0, 0), fork(0), exit(1), pin(0, 1)]);
    expectStep(before, pin(0, 3), (d) => {
      pinned(d, 1, 0, 3, 0, 3);
    });
  });

  it('bench-core pin: one live pin per address, also inside a THP (EEXIST)', () => {
    expectRefused(kernelAfter(cfg({ pins: 2 }), [thp(0, 0), pin(0, 1)]), pin(0, 1), 'EEXIST');
  });

  it('bench-core pin: not enabled when the unshare must copy and no slot is free (ENOMEM)', () => {
    expectRefused(kernelAfter(cfg({ slots: 1 }), [thp(0, 0), fork(0)]), pin(0, 0), 'ENOMEM');
  });
});

describe('pin_user_pages, FOLL_WRITE (docs/kernel-rules.md §2.11)', () => {
  it('§2.11 FOLL_WRITE: a writable mapping is pinned as it is; the pin is R/W', () => {
    expectStep(kernelAfter(cfg(), [fault(0, 0)]), pinRw(0, 1), (d) => {
      pinned(d, 0, 0, 1, 0, 1, true);
    });
  });

  it('§2.11 FOLL_WRITE + §2.1: a none PTE is faulted in for write first (no user store: contents unchanged)', () => {
    expectStep(kernelAfter(cfg({ data: true }), []), pinRw(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 4, _refcount: 4 });
      for (let a = 0; a < 4; a++) {
        mapPte(d, 0, a, 0, a, true);
        Object.assign(pageOf(d, 0, a), { _mapcount: 1, anon_exclusive: true });
      }
      pinned(d, 0, 0, 2, 0, 2, true);
    });
  });

  it('§2.11 FOLL_WRITE + §2.2: a shared read-only page is COWed first: the pin is on the writable copy', () => {
    expectStep(kernelAfter(small(), [fault(0, 0), fork(0)]), pinRw(1, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 1, 0, 1, 0, true);
      Object.assign(folioOf(d, 0), { _refcount: 1 });
      pageOf(d, 0, 0)._mapcount = 1;
      pinned(d, 0, 1, 0, 1, 0, true);
    });
  });

  it('§2.11 FOLL_WRITE + §2.5: a shared read-only PMD: split, the page copied writable, the copy pinned', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0)]), pinRw(0, 2), (d) => {
      splitAndCopy(d, 0, 2, 1, true);
      pinned(d, 0, 0, 2, 1, 0, true);
    });
  });

  it('§2.11 FOLL_WRITE + §2.5: a read-only PMD at refcount 1 is reused writable (head AE) and pinned', () => {
    expectStep(kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]), pinRw(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pmdOf(d, 0, 0).write = true;
      pinned(d, 0, 0, 0, 0, 0, true);
    });
  });

  it('§2.11 FOLL_WRITE: the pin starts out seeing what its owner last wrote there', () => {
    const before = kernelAfter(cfg({ data: true }), [thp(0, 0), write(0, 1)]);
    expectStep(before, pinRw(0, 1), (d) => {
      pinned(d, 0, 0, 1, 0, 1, true);
      pinOf(d, 0).expect = 2;
    });
  });

  it('§2.0 + §2.11: FOLL_WRITE needs VM_WRITE (FOLL_FORCE is not modelled) and a VMA (EFAULT)', () => {
    const ro = cfg({ ops: [...THP_SWAP_OPS, 'mprotect'] });
    expectRefused(kernelAfter(ro, [fault(0, 0), mprotect(0, 0, 4, 'ro')]), pinRw(0, 0), 'EFAULT');
    expectRefused(kernelAfter(ro, [thp(0, 0), mprotect(0, 0, 4, 'ro')]), pinRw(0, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg({ map: 2 }), []), pinRw(0, 3), 'EFAULT');
    expectRefused(kernelAfter(cfg(), []), pinRw(1, 0), 'EFAULT');
  });

  it('bench-core pin: the pin table bounds R/W pins too (ENOMEM)', () => {
    expectRefused(kernelAfter(cfg(), [fault(0, 0), pin(0, 0)]), pinRw(0, 1), 'ENOMEM');
  });

  it('bench-core alloc: the write fault of a R/W pin that must copy and finds no free slot is ENOMEM, as for the R/O unshare', () => {
    // faultin_page(): VM_FAULT_OOM is -ENOMEM; the R/O pin's unshare and the swap-in already say ENOMEM.
    expectRefused(kernelAfter(small({ slots: 1 }), [fault(0, 0), fork(0)]), pin(0, 0), 'ENOMEM');
    expectRefused(kernelAfter(small({ slots: 1 }), [fault(0, 0), fork(0)]), pinRw(0, 0), 'ENOMEM');
  });
});

describe('pin_user_pages, swap entries (docs/kernel-rules.md §2.11, §2.13)', () => {
  it('§2.11 faultin_page() + §2.13: an exclusive swap entry is swapped in (AE, writable) and pinned', () => {
    const before = kernelAfter(small({ data: true }), [write(0, 1), reclaim(0, 1, 1)]);
    expectStep(before, pin(0, 1), (d) => {
      newSmallFolio(d, 0, 1);
      Object.assign(pteOf(d, 0, 1), { swp: false, swp_exclusive: false, swap: 0 });
      mapPte(d, 0, 1, 0, 0, true);
      // A read fault: the folio stays in the swapcache, which holds the slot at swap count 0.
      setSwapCache(d, 0, 0, 0, 1);
      pinned(d, 0, 0, 1, 0, 0);
      pinOf(d, 0).expect = 1;
    });
  });

  it('§2.13 + §2.4: a shared swap entry comes in read-only and not AE; the unshare copies it (the swapcache still holds it for the other entry)', () => {
    const before = kernelAfter(small(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, pin(1, 0), (d) => {
      // The swapcache folio (slot 0) is copied into slot 1, then freed with its last reference.
      newSmallFolio(d, 1);
      Object.assign(pteOf(d, 1, 0), { swp: false, swp_exclusive: false, swap: 0 });
      mapPte(d, 1, 0, 1, 0, false);
      setSwap(d, 0, 1);
      pinned(d, 0, 1, 0, 1, 0);
    });
  });

  it('§2.11 FOLL_WRITE + §2.13: a R/W pin of a shared swap entry swaps in and write-faults: a copy, AE, writable', () => {
    const before = kernelAfter(small(), [fault(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, pinRw(0, 0), (d) => {
      // The other entry keeps the swapcache folio (slot 0), so the write fault copies it into slot 1.
      newSmallFolio(d, 1);
      Object.assign(pteOf(d, 0, 0), { swp: false, swp_exclusive: false, swap: 0 });
      mapPte(d, 0, 0, 1, 0, true);
      setSwap(d, 0, 1);
      pinned(d, 0, 0, 0, 1, 0, true);
    });
  });

  it('bench-core pin: not enabled when the swap-in finds no free slot (ENOMEM)', () => {
    const full = kernelAfter(small({ slots: 1 }), [fault(0, 0), reclaim(0, 0, 1), fault(0, 1)]);
    expectRefused(full, pin(0, 0), 'ENOMEM');
  });

  it('the swap-in keeps the mm’s record: the pin sees what was written before the pageout', () => {
    const before = kernelAfter(small({ data: true }), [write(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, pin(0, 0), (d) => {
      newSmallFolio(d, 1, 1);
      Object.assign(pteOf(d, 0, 0), { swp: false, swp_exclusive: false, swap: 0 });
      mapPte(d, 0, 0, 1, 0, false);
      setSwap(d, 0, 1, 1);
      pinned(d, 0, 0, 0, 1, 0);
      pinOf(d, 0).expect = 1;
    });
  });
});
