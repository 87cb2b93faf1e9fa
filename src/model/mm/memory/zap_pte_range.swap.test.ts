/**
 * zap_pte_range() over swap entries (docs/kernel-rules.md §2.6 step 5, §1.6): free_swap_and_cache_nr() drops one
 * swap reference per entry; the last one frees the slot. The exclusive marker plays no part.
 */
import { describe, it } from 'vitest';
import {
  clearPte,
  config,
  exit,
  expectRefused,
  expectStep,
  fault,
  fork,
  kernelAfter,
  mmOf,
  pteOf,
  reclaim,
  setSwap,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, large: 1, ...over });

describe('zap_pte_range, swap entries (docs/kernel-rules.md §2.6 step 5)', () => {
  it('§2.6 step 5: the only entry of a slot (with the marker): the entry goes, count 1 -> 0, the slot is freed', () => {
    expectStep(kernelAfter(cfg(), [fault(0, 1), reclaim(0, 1, 1)]), zap(0, 1, 1), (d) => {
      clearPte(d, 0, 1);
      Object.assign(pteOf(d, 0, 1), { swp: false, swp_exclusive: false, swap: 0 });
      setSwap(d, 0, 0);
    });
  });

  it('§2.6 step 5: one of two entries of a shared slot: count 2 -> 1, the slot and its content stay', () => {
    const before = kernelAfter(cfg({ data: true }), [write(0, 0), fork(0), reclaim(0, 0, 1)]);
    expectStep(before, zap(1, 0, 1), (d) => {
      clearPte(d, 1, 0);
      Object.assign(pteOf(d, 1, 0), { swp: false, swp_exclusive: false, swap: 0 });
      setSwap(d, 0, 1, 1);
      mmOf(d, 1).expect[0] = 0; // what mm1 reads there now: zeroes
    });
  });

  it('§2.6: exit zaps swap entries too; the last reference frees the slot', () => {
    const before = kernelAfter(cfg(), [fault(0, 0), fork(0), reclaim(0, 0, 1), exit(1)]);
    expectStep(before, exit(0), (d) => {
      for (const vm of mmOf(d, 0).vm) Object.assign(vm, { mapped: false, write: false, dontcopy: false, pgoff: 0 });
      mmOf(d, 0).live = false;
      Object.assign(pteOf(d, 0, 0), { swp: false, swp_exclusive: false, swap: 0 });
      setSwap(d, 0, 0);
    });
  });

  it('§2.6: next to a swap entry, a range with no entry at all is not a step (ENOENT)', () => {
    const before = kernelAfter(cfg(), [fault(0, 0), reclaim(0, 0, 1)]);
    expectRefused(before, zap(0, 1, 1), 'ENOENT');
  });
});
