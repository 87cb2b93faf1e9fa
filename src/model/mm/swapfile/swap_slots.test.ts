/**
 * Swap slots (swap_slots.ts; docs/kernel-rules.md §1.6): a slot is used while swap PTEs reference it; its count is
 * the number of those PTEs; the last swap_free() frees it.
 */
import { produce } from 'immer';
import { describe, expect, it } from 'vitest';
import { config, kernelAfter, setSwap, THP_SWAP_OPS } from '../../../../test/helpers.js';
import type { Kernel } from '../../include/mm_types.js';
import { swap_duplicate, swap_free, swap_slot_alloc } from './swap_slots.js';

const cfg = config({ ops: THP_SWAP_OPS, swap: 3 });

describe('swap slots (docs/kernel-rules.md §1.6)', () => {
  it('folio_alloc_swap(): the lowest free slot, used with count 0 and the content; -1 when all are used', () => {
    const k = kernelAfter(cfg, []);
    const after = produce(k, (d) => {
      const got = [swap_slot_alloc(d as Kernel, 7), swap_slot_alloc(d as Kernel, 8)];
      swap_free_dup(d as Kernel, 0); // slot 0 is free again
      got.push(swap_slot_alloc(d as Kernel, 9), swap_slot_alloc(d as Kernel, 10), swap_slot_alloc(d as Kernel, 11));
      expect(got).toEqual([0, 1, 0, 2, -1]);
    });
    expect(after.swap).toEqual([
      { used: true, count: 0, data: 9, cache: false, folio: 0 },
      { used: true, count: 0, data: 8, cache: false, folio: 0 },
      { used: true, count: 0, data: 10, cache: false, folio: 0 },
    ]);
  });

  it('§1.6 swap_duplicate() / swap_free(): +1 per swap PTE, -1 per PTE gone; the last one frees the slot and its content', () => {
    const k = kernelAfter(cfg, []);
    const steps: number[][] = [];
    produce(k, (d) => {
      const i = swap_slot_alloc(d as Kernel, 5);
      swap_duplicate(d as Kernel, i);
      swap_duplicate(d as Kernel, i);
      steps.push([d.swap[i]?.count ?? -1, d.swap[i]?.data ?? -1]);
      swap_free(d as Kernel, i);
      steps.push([d.swap[i]?.count ?? -1, d.swap[i]?.data ?? -1]);
      swap_free(d as Kernel, i);
      steps.push([d.swap[i]?.count ?? -1, d.swap[i]?.data ?? -1]);
      expect(d.swap[i]).toEqual(produce(k, (e) => setSwap(e as Kernel, 0, 0)).swap[0]);
    });
    expect(steps).toEqual([
      [2, 5],
      [1, 5],
      [0, 0],
    ]);
  });
});

/** A slot used by one swap PTE and then freed by it: count 1 -> 0 frees the slot. */
function swap_free_dup(k: Kernel, i: number): void {
  swap_duplicate(k, i);
  swap_free(k, i);
}
