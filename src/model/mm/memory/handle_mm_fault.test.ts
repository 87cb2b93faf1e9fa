/**
 * handle_mm_fault(): fault dispatch for user loads and stores (docs/kernel-rules.md §2.0), the read fault that maps
 * the shared zero page (§2.1 step 1) and what every other handler does with a zero-page PTE (§2.3, §2.7,
 * §2.11, §5 I13). Reached through the steps `read` and `write` (access.ts); contents are not tracked here
 * (access.test.ts does that), so a store that needs no fault changes nothing.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  forkChild,
  kernelAfter,
  mapPte,
  mmOf,
  mprotect,
  newSmallFolio,
  pageOf,
  pin,
  pinOf,
  pteOf,
  read,
  reclaim,
  THP_SWAP_OPS,
  wp,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import { CORE_OPS } from '../../steps/index.js';
import { do_anonymous_page } from './do_anonymous_page.js';
import { handle_mm_fault } from './handle_mm_fault.js';

/** bench-core's operations plus loads, stores and mprotect (to make a VMA read-only). */
const cfg = (over: Partial<Bounds> = {}) => config({ ops: [...CORE_OPS, 'write', 'read', 'mprotect'], ...over });
const small = (over: Partial<Bounds> = {}) => cfg({ large: 1, ...over });

describe('handle_mm_fault: dispatch (docs/kernel-rules.md §2.0)', () => {
  it('§2.0 + §2.1 step 1: a load from a none PTE is a read fault: the zero page, read-only, no folio, no counter', () => {
    expectStep(kernelAfter(cfg(), []), read(0, 1), (d) => {
      pteOf(d, 0, 1).zero = true;
    });
  });

  it('§2.0: a load from a present or zero-page PTE needs no fault (NOP)', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), read(0, 1), 'NOP');
    expectRefused(kernelAfter(cfg(), [read(0, 1)]), read(0, 1), 'NOP');
    // Read-only PTEs are readable too: the child's shared page.
    expectRefused(kernelAfter(cfg(), [write(0, 0), fork(0)]), read(1, 2), 'NOP');
  });

  it('§2.0 + §2.1 step 2: a store to a none PTE is do_anonymous_page(): the aligned order-2 folio, all AE, RW', () => {
    expectStep(kernelAfter(cfg(), []), write(0, 1), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 4, _refcount: 4 });
      for (let j = 0; j < 4; j++) {
        mapPte(d, 0, j, 0, j, true);
        Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
      }
    });
  });

  it('§2.0: a store through a writable PTE needs no fault (NOP without data tracking)', () => {
    expectRefused(kernelAfter(cfg(), [write(0, 0)]), write(0, 3), 'NOP');
  });

  it('§2.0 -> §2.2: a store through a read-only PTE is do_wp_page(): a shared small folio is copied', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0)]);
    expectStep(before, write(1, 0), (d) => {
      newSmallFolio(d, 1);
      mapPte(d, 1, 0, 1, 0, true);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 1;
    });
  });

  it('§2.0 -> §2.2: once the other mapping is gone the parent reuses its page: AE again, PTE writable', () => {
    const before = kernelAfter(small(), [write(0, 0), fork(0), write(1, 0)]);
    expectStep(before, write(0, 0), (d) => {
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
    });
  });

  it('§2.0 sanitize_fault_flags(): a store to a VMA without VM_WRITE is a SIGSEGV (EFAULT), even on an AE page', () => {
    // The AE page would be reused at once if the fault were let through.
    const ro = kernelAfter(cfg(), [write(0, 0), mprotect(0, 0, 4, 'ro')]);
    expectRefused(ro, write(0, 1), 'EFAULT');
    expectRefused(kernelAfter(cfg(), [mprotect(0, 0, 4, 'ro')]), write(0, 1), 'EFAULT');
  });

  it('§2.0: the bench-core write faults check VM_WRITE too (fault: EFAULT; wp: not a wp fault, EINVAL)', () => {
    expectRefused(kernelAfter(cfg(), [mprotect(0, 0, 4, 'ro')]), fault(0, 1), 'EFAULT');
    expectRefused(kernelAfter(cfg(), [write(0, 0), mprotect(0, 0, 4, 'ro')]), wp(0, 1), 'EINVAL');
  });

  it('§2.0 + §2.1 step 1: a load from a VMA without VM_WRITE still maps the zero page', () => {
    expectStep(kernelAfter(cfg(), [mprotect(0, 0, 4, 'ro')]), read(0, 3), (d) => {
      pteOf(d, 0, 3).zero = true;
    });
  });

  it('§2.0: an access outside every VMA, or by an mm that does not exist, is a SIGSEGV (EFAULT)', () => {
    const holes = kernelAfter(cfg({ map: 2 }), []);
    expectRefused(holes, read(0, 2), 'EFAULT');
    expectRefused(holes, write(0, 3), 'EFAULT');
    expectRefused(kernelAfter(cfg(), []), read(1, 0), 'EFAULT');
    expectRefused(kernelAfter(cfg(), []), write(1, 0), 'EFAULT');
  });

  it('§2.0: the VM_WRITE check comes before any handler: a store to a swapped-out page of a read-only VMA is EFAULT, not ENOMEM', () => {
    // The arch fault handler's access_error() refuses the store before handle_mm_fault() runs, so no
    // swap-in is tried, and the full slot table does not matter (do_swap_page() would fail with ENOMEM).
    const swapCfg = config({ ops: [...THP_SWAP_OPS, 'mprotect'], swap: 2, large: 1, slots: 1 });
    const before = kernelAfter(swapCfg, [fault(0, 0), reclaim(0, 0, 1), fault(0, 1), mprotect(0, 0, 1, 'ro')]);
    expectRefused(before, read(0, 0), 'ENOMEM');
    expectRefused(before, write(0, 0), 'EFAULT');
  });

  it('Return: EFAULT for an mm index that names no mm (the steps name an mm below --mms only)', () => {
    const k = kernelAfter(cfg(), []);
    expect(handle_mm_fault(k, 5, 0, 'read')).toBe('EFAULT');
    expect(handle_mm_fault(k, 5, 0, 'write')).toBe('EFAULT');
    expect(do_anonymous_page(k, 5, 0)).toBe('EFAULT');
  });

  it('bench-core alloc: a fault that needs a folio slot and finds none is not enabled (ENOMEM)', () => {
    expectRefused(kernelAfter(small({ slots: 1 }), [write(0, 0)]), write(0, 1), 'ENOMEM');
    expectRefused(kernelAfter(small({ slots: 1 }), [write(0, 0), fork(0)]), write(1, 0), 'ENOMEM');
    expectRefused(kernelAfter(small({ slots: 1 }), [write(0, 0), read(0, 1)]), write(0, 1), 'ENOMEM');
  });
});

describe('the shared zero page (docs/kernel-rules.md §2.1 step 1, §2.3, §5 I13)', () => {
  it('§2.3: a store to the zero page copies it into a zeroed order-0 folio, AE, RW (never a large folio)', () => {
    expectStep(kernelAfter(cfg(), [read(0, 2)]), write(0, 2), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 0, 2, 0, 0, true);
    });
  });

  it('§2.3: the bench-core wp step on a zero-page PTE copies it the same way', () => {
    expectStep(kernelAfter(cfg(), [read(0, 0)]), wp(0, 0), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 0, 0, 0, 0, true);
    });
  });

  it('§2.1 step 2 pte_range_none(): a zero-page PTE in the aligned range makes a store fall back to order 0', () => {
    expectStep(kernelAfter(cfg(), [read(0, 0)]), write(0, 2), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 0, 2, 0, 0, true);
    });
    // The bench-core fault step is the same do_anonymous_page(); on the zero-page PTE itself it is not one.
    expectRefused(kernelAfter(cfg(), [read(0, 0)]), fault(0, 0), 'EEXIST');
  });

  it('§2.0: the zero page is never written through: a store to it in a read-only VMA is a SIGSEGV', () => {
    const before = kernelAfter(cfg(), [mprotect(0, 0, 4, 'ro'), read(0, 1)]);
    expectRefused(before, write(0, 1), 'EFAULT');
    expectRefused(before, wp(0, 1), 'EINVAL');
  });

  it('§2.7: fork copies a zero-page PTE as it is: the child reads zeroes too, no folio, no counter', () => {
    expectStep(kernelAfter(small(), [read(0, 1), write(0, 0)]), fork(0), (d) => {
      forkChild(d, 0, 1);
      pteOf(d, 1, 1).zero = true;
      // The small folio at 0 is shared as usual.
      pteOf(d, 0, 0).write = false;
      mapPte(d, 1, 0, 0, 0, false);
      Object.assign(pageOf(d, 0, 0), { _mapcount: 2, anon_exclusive: false });
      folioOf(d, 0)._refcount = 2;
    });
  });

  it('§2.3 after §2.7: a store by the child copies its zero page; the parent keeps the zero page', () => {
    // The VMA got an anon_vma (a fault, zapped again): fork copies its zero-page PTEs (vma_needs_copy()).
    expectStep(kernelAfter(cfg(), [fault(0, 0), zap(0, 0, 4), read(0, 1), fork(0)]), write(1, 1), (d) => {
      newSmallFolio(d, 0);
      mapPte(d, 1, 1, 0, 0, true);
    });
  });

  it('§2.11 + §2.3: a R/O pin of the zero page unshares it into an AE page mapped read-only, and pins that', () => {
    expectStep(kernelAfter(cfg(), [read(0, 1)]), pin(0, 1), (d) => {
      newSmallFolio(d, 0);
      Object.assign(folioOf(d, 0), { _refcount: 2, _pincount: 1 });
      mapPte(d, 0, 1, 0, 0, false);
      Object.assign(pinOf(d, 0), { live: true, mm: 0, addr: 1, folio: 0, page: 0, attached: true });
    });
  });

  it('§2.4: the unshare of the zero page needs a slot like any copy (pin: ENOMEM)', () => {
    expectRefused(kernelAfter(small({ slots: 1 }), [write(0, 0), read(0, 1)]), pin(0, 1), 'ENOMEM');
  });

  it('§5 I13: zero-page PTEs are no mappings: never writable, no folio allocated for them', () => {
    // The VMA got an anon_vma (a fault, zapped again): fork copies its zero-page PTEs (vma_needs_copy()).
    const k = kernelAfter(cfg(), [fault(0, 0), zap(0, 0, 4), read(0, 0), read(0, 1), fork(0), read(1, 2)]);
    expect(k.nr_folios).toBe(0);
    const zeroes = [0, 1].flatMap((m) => mmOf(k, m).pte.filter((pte) => pte.zero));
    expect(zeroes).toHaveLength(5);
    for (const pte of zeroes) expect(pte).toMatchObject({ present: false, write: false, folio: 0, page: 0 });
  });
});
