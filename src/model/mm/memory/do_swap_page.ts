/**
 * do_swap_page - fault on a swap entry: find the page in the swapcache or read it there, and map it
 *
 * Models:   mm/memory.c do_swap_page() (docs/kernel-rules.md §2.13): swap_cache_get_folio() finds the folio
 *           another mm's swap-in (or a swap-out nothing freed) left in the swapcache; otherwise
 *           swapin_readahead() -> read_swap_cache_async() reads the slot into a new folio in the swapcache.
 *           5.19+: the page is mapped exclusive (AE, writable if VM_WRITE, even on a read fault) when the
 *           swap PTE carried the exclusive marker, or when, after swap_free_nr() and, for a write fault
 *           that would be the only user, folio_free_swap() (should_try_to_free_swap()), our lookup holds
 *           the only reference (folio_ref_count() == 1); otherwise read-only and not exclusive, and a write
 *           then goes through do_wp_page(). Two mms that share a swap entry thus map one folio, as on Linux
 *           6.18 (`foliocheck kernel`, docs/kernel-conformance.md gap 6).
 *           <= 5.17: a write fault reuses the page when reuse_swap_page() finds its mapcount plus swap count
 *           at most 1 (and takes it out of the swapcache); a read fault maps it read-only.
 * Context:  one step under the PT lock and the folio lock.
 * Return:   0; 'EINVAL' if the PTE is not a swap entry; 'ENOMEM' if no folio slot is free.
 * Deviates: the swap device is an asynchronous one (a swap file): the SWP_SYNCHRONOUS_IO path (zram), on
 *           which a swap count of 1 reads into a folio that bypasses the swapcache, is not modelled; nor is
 *           swap readahead of neighbouring entries. 5.18 (refcount rule, no AE) is folded into 5.19 (eras.ts).
 */
import { SWAPIN_EXCLUSIVE, SWAPIN_SHARED, SWAPIN_SWAPCACHE, taken } from '../../coverage.js';
import { hasAnonExclusive } from '../../eras.js';
import { folio_mapcount } from '../../include/mm.js';
import type { Folio, Kernel, Page, Pte, SwapSlot } from '../../include/mm_types.js';
import { ClearPageAnonExclusive } from '../../include/page-flags.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap } from '../rmap/folio_add_new_anon_rmap.js';
import { folio_add_anon_rmap_ptes } from '../rmap/folio_pmd_rmap.js';
import { folio_free_swap } from '../swap_state.js';
import { swap_free } from '../swapfile/swap_slots.js';
import { vma_writable } from '../vma.js';

export function do_swap_page(
  k: Kernel,
  m: number,
  addr: number,
  fault: 'read' | 'write' = 'read',
): 0 | 'EINVAL' | 'ENOMEM' {
  const mm = k.mm[m];
  const pte = mm?.pte[addr] as Pte | undefined;
  if (mm === undefined || pte === undefined || !pte.swp) return 'EINVAL';
  const swap = pte.swap;
  const entry = k.swap[swap] as SwapSlot;
  // A folio read in now is not anon yet (folio_add_new_anon_rmap() below); a swapcache folio is.
  const fresh = !entry.cache;
  if (fresh) {
    const slot = folio_alloc(k, 1);
    if (slot === NO_SLOT) return 'ENOMEM';
    ((k.folio[slot] as Folio).pages[0] as Page).data = entry.data;
    // add_to_swap_cache(): the allocation's reference becomes the swapcache's.
    entry.cache = true;
    entry.folio = slot;
  } else taken(SWAPIN_SWAPCACHE);
  const slot = entry.folio;
  const folio = k.folio[slot] as Folio;
  const page = folio.pages[0] as Page;
  // The lookup's reference, which becomes the mapping's (folio_ref_add(nr - 1) for nr = 1).
  folio._refcount += 1;
  const write = fault === 'write';
  let exclusive: boolean;
  if (hasAnonExclusive(k.cfg)) {
    exclusive = pte.swp_exclusive;
    swap_free(k, swap);
    // should_try_to_free_swap(): a write fault, and only our lookup and the swapcache hold the folio.
    if (write && folio._refcount === 2) folio_free_swap(k, slot);
    if (folio._refcount === 1) exclusive = true;
  } else {
    // reuse_swap_page() (<= 5.17), on write faults only: mappings plus swap entries at most 1.
    exclusive = write && folio_mapcount(folio) + entry.count <= 1;
    swap_free(k, swap);
    if (exclusive) folio_free_swap(k, slot);
  }
  taken(exclusive ? SWAPIN_EXCLUSIVE : SWAPIN_SHARED);
  pte.swp = false;
  pte.swp_exclusive = false;
  pte.swap = 0;
  pte.present = true;
  pte.folio = slot;
  pte.page = 0;
  pte.write = exclusive && vma_writable(mm, addr);
  if (fresh) {
    folio_add_new_anon_rmap(k, folio, 1, m, addr);
    // RMAP_EXCLUSIVE only when exclusive; otherwise the page is mapped shared (no AE).
    if (!exclusive) ClearPageAnonExclusive(k, folio, page);
  } else {
    folio_add_anon_rmap_ptes(k, folio, 0, 1, exclusive, m, addr);
  }
  return 0;
}
