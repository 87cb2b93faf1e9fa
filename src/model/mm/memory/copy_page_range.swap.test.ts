/**
 * copy_nonpresent_pte(): fork of a swap entry (docs/kernel-rules.md §2.7 "swap entry", §5 I4): the child gets the
 * same entry, the swap count goes up by one, and the exclusive marker is cleared in the parent and absent in
 * the child. No folio changes.
 */
import { describe, it } from 'vitest';
import {
  config,
  expectStep,
  fault,
  fork,
  forkChild,
  kernelAfter,
  mmOf,
  pteOf,
  reclaim,
  setSwap,
  swapPte,
  THP_SWAP_OPS,
  write,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, large: 1, ...over });

describe('copy_nonpresent_pte, swap entries (docs/kernel-rules.md §2.7, I4)', () => {
  it('§2.7 + I4: an exclusive swap entry: marker cleared in the parent, absent in the child, swap count 1 -> 2', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 2), reclaim(0, 2, 1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      mmOf(d, 1).expect[2] = 1; // the child reads what the parent wrote (from swap)
      pteOf(d, 0, 2).swp_exclusive = false;
      swapPte(d, 1, 2, 0, false);
      setSwap(d, 0, 2, 1);
    });
  });

  it('§2.7: a non-exclusive entry already shared by two mms gains a third reference', () => {
    const before = kernelAfter(cfg({ mms: 3 }), [fault(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, fork(1), (d) => {
      forkChild(d, 1, 2);
      swapPte(d, 2, 0, 0, false);
      setSwap(d, 0, 3);
    });
  });

  it('§2.7: swap entries and present pages in one fork: each handled by its own rule', () => {
    const before = kernelAfter(cfg(), [fault(0, 0), fault(0, 1), reclaim(0, 1, 1)]);
    expectStep(before, fork(0), (d) => {
      forkChild(d, 0, 1);
      // Address 0: the small folio is shared read-only (§2.7).
      pteOf(d, 0, 0).write = false;
      Object.assign(pteOf(d, 1, 0), { present: true, write: false, folio: 0, page: 0 });
      Object.assign(d.folio[0]?.pages[0] ?? {}, { _mapcount: 2, anon_exclusive: false });
      Object.assign(d.folio[0] ?? {}, { _refcount: 2 });
      // Address 1: the swap entry.
      pteOf(d, 0, 1).swp_exclusive = false;
      swapPte(d, 1, 1, 0, false);
      setSwap(d, 0, 2);
    });
  });
});
