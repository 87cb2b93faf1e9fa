/**
 * The swapcache: the small folio a swap entry is read into or written from, found by swap-in.
 *
 * Models:   mm/swap_state.c add_to_swap_cache(), __delete_from_swap_cache() (with put_swap_folio()),
 *           swap_cache_get_folio(); mm/swapfile.c folio_free_swap() and free_swap_and_cache_nr()'s
 *           __try_to_reclaim_swap(); mm/swap.c free_swap_cache() (docs/kernel-rules.md §1.6, §2.12, §2.13).
 *           A folio in the swapcache is named by its slot (`SwapSlot.cache`, `SwapSlot.folio`: SWAP_HAS_CACHE
 *           and folio->swap) and holds one reference on the folio and the slot, whatever its swap count.
 * Context:  called under the folio lock from the steps that swap out, swap in, and drop references.
 * Deviates: only small folios enter it (reclaim splits a large folio first: vmscan/shrink_folio_list.ts).
 *           A swapcache folio that nothing maps or holds but the swapcache is taken out of it at once
 *           (swapcache_put_unused(), below): the kernel leaves it there until reclaim frees it
 *           (__remove_mapping()) or its last swap entry goes (free_swap_and_cache_nr()), but nothing can reach
 *           it before then except a swap-in, which would read the same content into a new swapcache folio:
 *           the states differ only in a folio nobody sees, and one of them is kept. Writeback is never in
 *           progress between steps (no SWP_STABLE_WRITES case), and swap is never "full" (vm_swap_full(): the
 *           slot bound is a search bound, not the swap size).
 */
import type { Folio, Kernel, Page, SwapSlot } from '../include/mm_types.js';
import { free_folio } from './page_alloc.js';

/** PG_swapcache and folio->swap: the swap slot whose swapcache folio `slot` is, or -1. */
export function folio_swap_slot(k: Kernel, slot: number): number {
  const swap = k.swap;
  for (let i = 0; i < swap.length; i++) {
    const s = swap[i] as SwapSlot;
    if (s.cache && s.folio === slot) return i;
  }
  return -1;
}

/** folio_test_swapcache(). */
export function folio_test_swapcache(k: Kernel, slot: number): boolean {
  return folio_swap_slot(k, slot) >= 0;
}

/** add_to_swap_cache(): slot `i` (used) gets folio `slot` in the swapcache, which takes a reference. */
export function add_to_swap_cache(k: Kernel, i: number, slot: number): void {
  const s = k.swap[i] as SwapSlot;
  s.cache = true;
  s.folio = slot;
  (k.folio[slot] as Folio)._refcount += 1;
}

/**
 * __delete_from_swap_cache() + put_swap_folio(): the folio leaves the swapcache and drops its reference
 * (the last one frees it); the slot is freed too unless swap entries still name it.
 */
export function delete_from_swap_cache(k: Kernel, i: number): void {
  const s = k.swap[i] as SwapSlot;
  const slot = s.folio;
  s.cache = false;
  s.folio = 0;
  if (s.count === 0) {
    s.used = false;
    s.data = 0;
  }
  const folio = k.folio[slot] as Folio;
  folio._refcount -= 1;
  if (folio._refcount === 0) free_folio(k, slot);
}

/**
 * folio_free_swap(): take folio `slot` out of the swapcache if it is there and no swap entry names its slot
 * any more (!folio_swapped()). Return: whether it left the swapcache.
 */
export function folio_free_swap(k: Kernel, slot: number): boolean {
  const i = folio_swap_slot(k, slot);
  if (i < 0 || (k.swap[i] as SwapSlot).count > 0) return false;
  delete_from_swap_cache(k, i);
  return true;
}

/**
 * What frees a swapcache folio once only the swapcache holds it: free_swap_cache() when its last mapping is
 * zapped, __try_to_reclaim_swap() when its last swap entry is, and reclaim (__remove_mapping()) otherwise
 * (see Deviates above). Called with the folio's references just dropped; a no-op unless `_refcount` is 1.
 */
export function swapcache_put_unused(k: Kernel, slot: number): void {
  const folio = k.folio[slot] as Folio;
  // A swapcache folio is small: its one page's mapcount is the folio's (include/mm.ts imports this file).
  if (folio._refcount !== 1 || (folio.pages[0] as Page)._mapcount !== 0) return;
  const i = folio_swap_slot(k, slot);
  if (i >= 0) delete_from_swap_cache(k, i);
}
