/**
 * Swap slots: allocation, duplication and freeing of swap entries.
 *
 * Models:   mm/swapfile.c folio_alloc_swap() / swap_duplicate() / swap_free_nr() /
 *           free_swap_and_cache_nr() (docs/kernel-rules.md §1.6): a slot is used while swap PTEs reference it.
 * Deviates: no swapcache: a folio written to swap is freed at once, and every swap-in reads the slot into
 *           a fresh folio (docs/kernel-rules.md §2.13's SWP_SYNCHRONOUS_IO path). The slot bound is a search bound.
 */
import type { Kernel, SwapSlot } from '../../include/mm_types.js';

/** The lowest free swap slot, marked used with count 0 and the given content; -1 if none is free. */
export function swap_slot_alloc(k: Kernel, data: number): number {
  for (let i = 0; i < k.swap.length; i++) {
    const slot = k.swap[i] as SwapSlot;
    if (!slot.used) {
      slot.used = true;
      slot.count = 0;
      slot.data = data;
      return i;
    }
  }
  return -1;
}

/** swap_duplicate(): one more swap PTE references the slot. */
export function swap_duplicate(k: Kernel, i: number): void {
  (k.swap[i] as SwapSlot).count += 1;
}

/** swap_free_nr() / free_swap_and_cache_nr(): one swap PTE fewer; the last one frees the slot. */
export function swap_free(k: Kernel, i: number): void {
  const slot = k.swap[i] as SwapSlot;
  slot.count -= 1;
  if (slot.count === 0) {
    slot.used = false;
    slot.data = 0;
  }
}
