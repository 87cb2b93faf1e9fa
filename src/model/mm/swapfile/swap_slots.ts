/**
 * Swap slots: allocation, duplication and freeing of swap entries.
 *
 * Models:   mm/swapfile.c folio_alloc_swap() / swap_duplicate() / swap_free_nr() /
 *           free_swap_and_cache_nr() (docs/kernel-rules.md §1.6): a slot is used while swap PTEs reference it
 *           or a swapcache folio holds it (SWAP_HAS_CACHE: ../swap_state.ts).
 * Deviates: the slot bound is a search bound.
 */
import { folio_mapcount } from '../../include/mm.js';
import type { Folio, Kernel, SwapSlot } from '../../include/mm_types.js';
import { delete_from_swap_cache } from '../swap_state.js';

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

/** swap_free_nr(): one swap PTE fewer; the last one frees the slot unless a swapcache folio holds it. */
export function swap_free(k: Kernel, i: number): void {
  const slot = k.swap[i] as SwapSlot;
  slot.count -= 1;
  if (slot.count === 0 && !slot.cache) {
    slot.used = false;
    slot.data = 0;
  }
}

/**
 * free_swap_and_cache_nr(): a swap PTE zapped. When that was the entry's last one, __try_to_reclaim_swap()
 * (TTRS_UNMAPPED) also takes an unmapped swapcache folio out of the swapcache, pinned or not.
 */
export function free_swap_and_cache(k: Kernel, i: number): void {
  swap_free(k, i);
  const slot = k.swap[i] as SwapSlot;
  if (slot.count === 0 && slot.cache && folio_mapcount(k.folio[slot.folio] as Folio) === 0)
    delete_from_swap_cache(k, i);
}
