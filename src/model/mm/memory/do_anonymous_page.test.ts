/**
 * do_anonymous_page(): write fault on an empty PTE (docs/kernel-rules.md §2.1; bench-core action 1 `fault`).
 */
import { describe, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  kernelAfter,
  pageOf,
  pteOf,
  zap,
} from '../../../../test/helpers.js';

describe('do_anonymous_page (docs/kernel-rules.md §2.1)', () => {
  it('§2.1.2/§2.1.4: an all-none aligned range gets an order-2 folio: every PTE RW, every page AE, refcount nr', () => {
    const before = kernelAfter(config({ tuple: true }), []);
    expectStep(before, fault(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 4, _refcount: 4, mc: [1] });
      for (let j = 0; j < 4; j++) {
        Object.assign(pteOf(d, 0, j), { present: true, write: true, folio: 0, page: j });
        Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
      }
    });
  });

  it('§2.1.2: the folio covers the naturally aligned range around the address, not the range from it', () => {
    const before = kernelAfter(config({ va: 8, pt: 8 }), []);
    expectStep(before, fault(0, 6), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 4, _refcount: 4 });
      for (let j = 0; j < 4; j++) {
        Object.assign(pteOf(d, 0, 4 + j), { present: true, write: true, folio: 0, page: j });
        Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
      }
    });
  });

  it('§2.1.2 pte_range_none(): a present PTE in the aligned range makes the fault fall back to order 0', () => {
    // Slot 0 keeps pages 0, 2, 3 mapped; the fault at 1 takes the lowest free slot, 1.
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0), zap(0, 1, 1)]);
    expectStep(before, fault(0, 1), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 1, _refcount: 1, mc: [1] });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 1), { present: true, write: true, folio: 1, page: 0 });
    });
  });

  it('§2.1.2: with large = 1 only order 0 is enabled', () => {
    const before = kernelAfter(config({ large: 1 }), []);
    expectStep(before, fault(0, 3), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 3), { present: true, write: true, folio: 0, page: 0 });
    });
  });

  it('bench-core alloc(): the new folio takes the lowest free slot', () => {
    // Slot 0 was freed by the zap; slot 1 is still in use.
    const before = kernelAfter(config({ large: 1 }), [fault(0, 0), fault(0, 1), zap(0, 0, 1)]);
    expectStep(before, fault(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 0, 2), { present: true, write: true, folio: 0, page: 0 });
    });
  });

  it('§2.1: the fork child faults into its own folio', () => {
    const before = kernelAfter(config({ large: 1 }), [fork(0)]);
    expectStep(before, fault(1, 0), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 1, _refcount: 1 });
      Object.assign(pageOf(d, 0, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 1, 0), { present: true, write: true, folio: 0, page: 0 });
    });
  });

  it('is not enabled in an mm that does not exist (EFAULT)', () => {
    expectRefused(kernelAfter(config(), []), fault(1, 0), 'EFAULT');
  });

  it('§2.0: is not enabled on a present PTE (EEXIST: handle_pte_fault() goes elsewhere)', () => {
    expectRefused(kernelAfter(config(), [fault(0, 0)]), fault(0, 3), 'EEXIST');
  });

  it('bench-core alloc(): is not enabled when no slot is free, and a large fault does not fall back (ENOMEM)', () => {
    expectRefused(kernelAfter(config({ slots: 1, large: 1 }), [fault(0, 0)]), fault(0, 1), 'ENOMEM');
    expectRefused(kernelAfter(config({ slots: 1, va: 8 }), [fault(0, 0)]), fault(0, 4), 'ENOMEM');
  });

  it('§2.1 alloc_anon_folio(): with orders 1 and 2, the highest order whose aligned range is all none', () => {
    // Pages 2..3 stay mapped, so the order-2 range 0..3 is not empty; the order-1 range 0..1 is.
    const before = kernelAfter(config({ large: 4, orders: [1, 2] }), [fault(0, 0), zap(0, 0, 2)]);
    expectStep(before, fault(0, 0), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 1), { used: true, nr_pages: 2, _refcount: 2 });
      for (const j of [0, 1]) {
        Object.assign(pageOf(d, 1, j), { _mapcount: 1, anon_exclusive: true });
        Object.assign(pteOf(d, 0, j), { present: true, write: true, folio: 1, page: j });
      }
    });
  });

  it('§2.1: an order that is not enabled is never allocated (orders 1 only: two pages, not four)', () => {
    expectStep(kernelAfter(config({ large: 4, orders: [1] }), []), fault(0, 2), (d) => {
      d.nr_folios += 1;
      Object.assign(folioOf(d, 0), { used: true, nr_pages: 2, _refcount: 2 });
      for (const j of [0, 1]) {
        Object.assign(pageOf(d, 0, j), { _mapcount: 1, anon_exclusive: true });
        Object.assign(pteOf(d, 0, 2 + j), { present: true, write: true, folio: 0, page: j });
      }
    });
  });
});
