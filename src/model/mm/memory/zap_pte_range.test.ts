/**
 * zap_pte_range(): MADV_DONTNEED of an aligned range (docs/kernel-rules.md §2.6; bench-core action 2 `zap`).
 */
import { describe, expect, it } from 'vitest';
import {
  clearPte,
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  freeSlot,
  kernelAfter,
  pageOf,
  pin,
  pinOf,
  wp,
  zap,
} from '../../../../test/helpers.js';
import { zap_pte_range } from './zap_pte_range.js';

describe('zap_pte_range (docs/kernel-rules.md §2.6)', () => {
  it('§2.6: zapping part of a large folio unmaps those pages only; AE stays (stale) and the folio lives on', () => {
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0)]);
    expectStep(before, zap(0, 1, 1), (d) => {
      clearPte(d, 0, 1);
      pageOf(d, 0, 1)._mapcount = 0; // §2.6.2 folio_remove_rmap_ptes(): -1 per page
      folioOf(d, 0)._refcount = 3; // §2.6.4: one reference per cleared PTE
      // bench-core tuples: minus one per batch. Pages 0, 2, 3 still map the folio in this page table: the
      // naive decrement desyncs here (core-tuple's counterexample).
      folioOf(d, 0).mc[0] = 0;
    });
  });

  it('§2.6: a batch of two PTEs of one folio drops two mappings and two references', () => {
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0)]);
    expectStep(before, zap(0, 2, 2), (d) => {
      clearPte(d, 0, 2);
      clearPte(d, 0, 3);
      pageOf(d, 0, 2)._mapcount = 0;
      pageOf(d, 0, 3)._mapcount = 0;
      folioOf(d, 0)._refcount = 2;
      folioOf(d, 0).mc[0] = 0; // one batch: one decrement
    });
  });

  it('§2.6.4, bench-core put(): dropping the last reference frees the folio, which then holds all zeros', () => {
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0)]);
    expectStep(before, zap(0, 0, 4), (d) => {
      for (let a = 0; a < 4; a++) clearPte(d, 0, a);
      freeSlot(d, 0);
    });
  });

  it('§2.6: a range over two folios removes one batch from each; only the folio left unreferenced is freed', () => {
    // Slot 0: the order-2 folio shared with the child; slot 1: the parent's COW copy of page 1.
    const before = kernelAfter(config({ tuple: true }), [fault(0, 0), fork(0), wp(0, 1)]);
    expectStep(before, zap(0, 0, 2), (d) => {
      clearPte(d, 0, 0);
      clearPte(d, 0, 1);
      pageOf(d, 0, 0)._mapcount = 1; // the child still maps it
      folioOf(d, 0)._refcount = 6;
      folioOf(d, 0).mc[0] = (folioOf(d, 0).mc[0] as number) - 1;
      freeSlot(d, 1);
    });
  });

  it('§2.11: a pin does not stop the zap; the pinned folio survives on the pin reference, the pin is detached', () => {
    const before = kernelAfter(config(), [fault(0, 0), pin(0, 1)]);
    expectStep(before, zap(0, 0, 4), (d) => {
      for (let a = 0; a < 4; a++) {
        clearPte(d, 0, a);
        pageOf(d, 0, a)._mapcount = 0; // AE stays set: stale, harmless (§2.6.4)
      }
      folioOf(d, 0)._refcount = 1; // the pin's
      pinOf(d, 0).attached = false;
    });
  });

  it("§2.11: zapping another mm's range leaves a pin of the same address attached", () => {
    // The pinned order-2 folio was copied page by page for the child (slots 1-4).
    const before = kernelAfter(config(), [fault(0, 0), pin(0, 1), fork(0)]);
    expectStep(before, zap(1, 0, 4), (d) => {
      for (let a = 0; a < 4; a++) {
        clearPte(d, 1, a);
        freeSlot(d, a + 1);
      }
    });
  });

  it('is not enabled on a range with no present PTE (ENOENT)', () => {
    expectRefused(kernelAfter(config(), []), zap(0, 0, 4), 'ENOENT');
    expectRefused(kernelAfter(config(), [fault(0, 0), zap(0, 0, 2)]), zap(0, 0, 2), 'ENOENT');
    expectRefused(kernelAfter(config(), [fault(0, 0), zap(0, 1, 1)]), zap(0, 1, 1), 'ENOENT');
  });

  it('is not enabled in an mm that does not exist (EFAULT)', () => {
    expectRefused(kernelAfter(config(), [fault(0, 0)]), zap(1, 0, 4), 'EFAULT');
  });

  it('Return: EFAULT for an mm index that names no mm (a direct call: the step names an mm below --mms only)', () => {
    expect(zap_pte_range(kernelAfter(config(), [fault(0, 0)]), 5, 0, 1)).toBe('EFAULT');
  });
});
