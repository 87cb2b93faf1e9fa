/**
 * do_swap_page - fault on a swap entry: read the page back and map it
 *
 * Models:   mm/memory.c do_swap_page() (docs/kernel-rules.md §2.13, 5.19+): the page is mapped exclusive (AE set,
 *           writable if VM_WRITE, even on a read fault) when the swap PTE carried the exclusive marker or
 *           nobody else can hold the page (swap count 1: the SWP_SYNCHRONOUS_IO path that bypasses the
 *           swapcache); otherwise read-only and not exclusive, and a write then goes through do_wp_page().
 * Context:  one step under the PT lock.
 * Return:   0; 'EINVAL' if the PTE is not a swap entry; 'ENOMEM' if no folio slot is free.
 * Deviates: no swapcache (swap_slots.ts): each swap-in reads the slot into a fresh order-0 folio, so two
 *           mms that shared a swap entry get two folios with the same content instead of one shared folio.
 *           The same rule serves every era: before 5.19 there is no marker, and the fresh folio of a swap
 *           count of 1 is what reuse_swap_page() (<= 5.17) or the refcount (5.18) also found exclusive;
 *           the mapcount-based instance of §4 B5 needs the swapcache and is not reproduced.
 */

import { SWAPIN_EXCLUSIVE, SWAPIN_SHARED, taken } from '../../coverage.js';
import type { Folio, Kernel, Page, Pte, SwapSlot } from '../../include/mm_types.js';
import { ClearPageAnonExclusive } from '../../include/page-flags.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap } from '../rmap/folio_add_new_anon_rmap.js';
import { swap_free } from '../swapfile/swap_slots.js';
import { vma_writable } from '../vma.js';

export function do_swap_page(k: Kernel, m: number, addr: number): 0 | 'EINVAL' | 'ENOMEM' {
  const mm = k.mm[m];
  const pte = mm?.pte[addr] as Pte | undefined;
  if (mm === undefined || pte === undefined || !pte.swp) return 'EINVAL';
  const swap = pte.swap;
  const entry = k.swap[swap] as SwapSlot;
  const slot = folio_alloc(k, 1);
  if (slot === NO_SLOT) return 'ENOMEM';
  const folio = k.folio[slot] as Folio;
  const page = folio.pages[0] as Page;
  page.data = entry.data;
  const exclusive = pte.swp_exclusive || entry.count === 1;
  taken(exclusive ? SWAPIN_EXCLUSIVE : SWAPIN_SHARED);
  pte.swp = false;
  pte.swp_exclusive = false;
  pte.swap = 0;
  pte.present = true;
  pte.folio = slot;
  pte.page = 0;
  pte.write = exclusive && vma_writable(mm, addr);
  folio_add_new_anon_rmap(k, folio, 1, m, addr);
  // RMAP_EXCLUSIVE only when exclusive; otherwise the page is mapped shared (no AE).
  if (!exclusive) ClearPageAnonExclusive(k, folio, page);
  swap_free(k, swap);
  return 0;
}
