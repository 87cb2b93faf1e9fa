/**
 * copy_page_range(): the fork child's copy of the parent's PTEs (docs/kernel-rules.md §2.7; bench-core action 3).
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
  pageOf,
  pin,
  pteOf,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';

describe('copy_page_range (docs/kernel-rules.md §2.7)', () => {
  it('§2.7: an unpinned folio is shared: AE cleared, mapcount +1, refcount +1, both PTEs read-only', () => {
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      for (let a = 0; a < 4; a++) {
        pteOf(d, 0, a).write = false;
        Object.assign(pteOf(d, 1, a), { present: true, write: false, folio: 0, page: a });
        Object.assign(pageOf(d, 0, a), { _mapcount: 2, anon_exclusive: false });
      }
      folioOf(d, 0)._refcount = 8;
      folioOf(d, 0).mc[0] = 2; // one batch in the child's page table
    });
  });

  it('§2.7: a small folio is shared the same way', () => {
    const before = kernelAfter(config({ large: 1 }), [fault(0, 2)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      pteOf(d, 0, 2).write = false;
      Object.assign(pteOf(d, 1, 2), { present: true, write: false, folio: 0, page: 0 });
      Object.assign(pageOf(d, 0, 0), { _mapcount: 2, anon_exclusive: false });
      folioOf(d, 0)._refcount = 2;
    });
  });

  it('§2.7 copy_present_page(): an exclusive page of a pinned folio is copied for the child; the parent PTE is untouched', () => {
    // Slot 0 at address 0 is pinned; slot 1 at address 1 is not.
    const before = kernelAfter(config({ large: 1, tuple: true }), [fault(0, 0), fault(0, 1), pin(0, 0)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      // Address 0: the child gets a fresh exclusive, writable copy in the lowest free slot.
      d.nr_folios += 1;
      Object.assign(folioOf(d, 2), { used: true, nr_pages: 1, _refcount: 1, mc: [1] });
      Object.assign(pageOf(d, 2, 0), { _mapcount: 1, anon_exclusive: true });
      Object.assign(pteOf(d, 1, 0), { present: true, write: true, folio: 2, page: 0 });
      // Address 1: shared as usual.
      pteOf(d, 0, 1).write = false;
      Object.assign(pteOf(d, 1, 1), { present: true, write: false, folio: 1, page: 0 });
      Object.assign(pageOf(d, 1, 0), { _mapcount: 2, anon_exclusive: false });
      folioOf(d, 1)._refcount = 2;
      folioOf(d, 1).mc[0] = 2;
    });
  });

  it('§2.7 batched: one AE page of a maybe-pinned large folio fails the batch; every AE page is then copied', () => {
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0), pin(0, 2)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      for (let a = 0; a < 4; a++) {
        const t = a + 1;
        d.nr_folios += 1;
        Object.assign(folioOf(d, t), { used: true, nr_pages: 1, _refcount: 1, mc: [1] });
        Object.assign(pageOf(d, t, 0), { _mapcount: 1, anon_exclusive: true });
        Object.assign(pteOf(d, 1, a), { present: true, write: true, folio: t, page: 0 });
      }
    });
  });

  it('§2.7: folio_maybe_dma_pinned() is per folio: a pin on a zapped page still makes the mapped AE pages copy', () => {
    const before = kernelAfter(config(), [fault(0, 0), pin(0, 0), zap(0, 0, 1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      for (let a = 1; a < 4; a++) {
        d.nr_folios += 1;
        Object.assign(folioOf(d, a), { used: true, nr_pages: 1, _refcount: 1 });
        Object.assign(pageOf(d, a, 0), { _mapcount: 1, anon_exclusive: true });
        Object.assign(pteOf(d, 1, a), { present: true, write: true, folio: a, page: 0 });
      }
    });
  });

  it('§2.7 folio_try_dup_anon_rmap_ptes(): only mapped pages lose AE; each batch in the child counts one tuple', () => {
    // Page 2 was zapped: the parent maps pages 0, 1 and 3, i.e. two batches; page 2 keeps its stale AE bit.
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0), zap(0, 2, 1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      for (const a of [0, 1, 3]) {
        pteOf(d, 0, a).write = false;
        Object.assign(pteOf(d, 1, a), { present: true, write: false, folio: 0, page: a });
        Object.assign(pageOf(d, 0, a), { _mapcount: 2, anon_exclusive: false });
      }
      folioOf(d, 0)._refcount = 6;
      folioOf(d, 0).mc[0] = (folioOf(d, 0).mc[0] as number) + 2;
    });
  });

  it('bench-core fork: not enabled unless every copy finds a free slot (ENOMEM; no part of it happens)', () => {
    // The pinned order-2 folio needs four copies: with 4 slots only 3 are free, with 5 there are 4.
    expectRefused(kernelAfter(config({ slots: 4 }), [fault(0, 0), pin(0, 0)]), fork(0), 'ENOMEM');
    expect(applyAction(kernelAfter(config({ slots: 5 }), [fault(0, 0), pin(0, 0)]), fork(0))).toBe(0);
  });

  it('§2.7 copy_present_page(): a small exclusive pinned folio with no free slot for its copy fails the fork (ENOMEM)', () => {
    // The single-PTE path (a small folio): copy_pte_range() returns -ENOMEM when the copy cannot be allocated.
    expectRefused(kernelAfter(config({ large: 1, slots: 1 }), [fault(0, 0), pin(0, 0)]), fork(0), 'ENOMEM');
    expect(applyAction(kernelAfter(config({ large: 1, slots: 2 }), [fault(0, 0), pin(0, 0)]), fork(0))).toBe(0);
  });
});
