/**
 * shrink_folio_list - swap out the folios mapped in a range (the step `reclaim(m,a,n)`; MADV_PAGEOUT's
 *                     `pageout(m,a,n)` calls it for the folios it isolated: madvise/madvise_pageout.ts)
 *
 * Models:   mm/vmscan.c shrink_folio_list() -> try_to_unmap() -> mm/rmap.c try_to_unmap_one()
 *           (docs/kernel-rules.md §2.12), reached from madvise_pageout(): every mapping of each folio, in every mm,
 *           becomes a swap entry carrying the exclusive marker iff the page was PG_anon_exclusive; the
 *           page's AE bit is cleared (folio_try_share_anon_rmap_pte()), its rmap removed and its reference
 *           dropped; the folio is added to the swapcache first (add_to_swap(), unless it is still there
 *           since its swap-in), the content goes to the swap slot, and the folio leaves the swapcache and is
 *           freed when nothing else holds it (__remove_mapping(); writeback is taken as done at once: see
 *           ../swap_state.ts for why keeping it there would change nothing visible).
 * Context:  one step (the folio is locked and isolated throughout).
 * Return:   0; 'EFAULT' if the mm does not exist; 'ENOENT' if no folio in the range could be swapped out;
 *           with `strict` (MADV_PAGEOUT), 'ENOMEM' as soon as a folio finds no free swap or folio slot: the
 *           model's bounds, not the kernel's swap, ran out, so the step is not enabled rather than done in
 *           part (found by `foliocheck kernel --random`: `pin(0,0,rw); fork(0); pageout(1,0,4)` with 3 slots).
 * Deviates: a maybe-pinned folio is skipped as a whole (since 5.8 reclaim skips them before the swapcache,
 *           and 5.19's folio_try_share_anon_rmap_pte() refuses them; a pinned page is exclusive, so the
 *           mixture an abort can leave never arises); a large folio is split first (split_huge_page(),
 *           which a pin or a FOLL_GET reference also refuses) instead of being swapped whole; folios shared
 *           with other mms are not skipped (MADV_PAGEOUT does skip them, before it gets here; reclaim does
 *           not).
 */

import { countFigure, countingFigures, mappingsOf } from '../../consequences.js';
import { RECLAIM_SKIP_PINNED, RECLAIM_SWAP_OUT, taken } from '../../coverage.js';
import { decided_folio_mapped } from '../../decide.js';
import { reclaimSkipsPinned } from '../../eras.js';
import type { Folio, Kernel, Mm, Page, Pte, SwapSlot } from '../../include/mm_types.js';
import { ClearPageAnonExclusive, PageAnonExclusive } from '../../include/page-flags.js';
import { follow_page_folio } from '../gup/follow_page.js';
import { split_huge_page } from '../huge_memory/split_huge_page.js';
import { folio_remove_rmap_pte } from '../rmap/folio_remove_rmap_ptes.js';
import { add_to_swap_cache, delete_from_swap_cache, folio_swap_slot } from '../swap_state.js';
import { swap_duplicate, swap_slot_alloc } from '../swapfile/swap_slots.js';

export function shrink_folio_list(
  k: Kernel,
  m: number,
  addr: number,
  nr: number,
  strict = false,
): 0 | 'EFAULT' | 'ENOENT' | 'ENOMEM' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  let done = 0;
  for (let a = addr; a < addr + nr; a++) {
    let slot = follow_page_folio(k, mm, a);
    if (slot < 0) continue;
    let folio = k.folio[slot] as Folio;
    // feb889fb40fa (5.8): reclaim leaves maybe-pinned folios alone; 5.7 swaps them out from under the pin.
    if (reclaimSkipsPinned(k.cfg) && folio._pincount > 0) taken(RECLAIM_SKIP_PINNED);
    if (reclaimSkipsPinned(k.cfg) && folio._pincount > 0) continue;
    if (folio.nr_pages > 1) {
      const ret = split_huge_page(k, m, a);
      if (strict && ret === 'ENOMEM') return ret;
      if (ret !== 0) continue;
      slot = follow_page_folio(k, mm, a);
      // A zero-filled page may now map the zero page (split_huge_page(), 6.12+): nothing to swap.
      if (slot < 0) continue;
      folio = k.folio[slot] as Folio;
    }
    const ret = pageout_small_folio(k, slot);
    if (strict && ret === 'ENOMEM') return ret;
    if (ret === 0) done += 1;
  }
  return done > 0 ? 0 : 'ENOENT';
}

/** add_to_swap() + try_to_unmap() + pageout() + __remove_mapping() for one small folio. */
function pageout_small_folio(k: Kernel, slot: number): 0 | 'ENOMEM' | 'EBUSY' {
  const folio = k.folio[slot] as Folio;
  const page = folio.pages[0] as Page;
  // Decision point reclaim-mapped (decide.ts): `if (folio_mapped(folio)) try_to_unmap()`. A deciding scheme
  // that says "unmapped" skips the unmap; pageout() would then write the page, and __remove_mapping()'s
  // refcount freeze fails on the mappings' references, so the folio stays mapped. Deviates: add_to_swap()
  // comes first in the kernel, so the folio would also be left in the swapcache; the model leaves it out.
  if (decided_folio_mapped(k, folio) === false) {
    if (folio._refcount > 0) {
      if (countingFigures() && mappingsOf(k, slot, -1).maps > 0) countFigure('reclaim-kept-mapped');
      return 'EBUSY';
    }
  }
  // A folio still in the swapcache since its swap-in keeps its entry: add_to_swap() is skipped.
  let swap = folio_swap_slot(k, slot);
  if (swap < 0) {
    swap = swap_slot_alloc(k, page.data);
    if (swap < 0) return 'ENOMEM';
    add_to_swap_cache(k, swap, slot);
  }
  taken(RECLAIM_SWAP_OUT);
  for (let n = 0; n < k.mm.length; n++) {
    const mm = k.mm[n] as Mm;
    for (let a = 0; a < mm.pte.length; a++) {
      const pte = mm.pte[a] as Pte;
      if (!pte.present || pte.folio !== slot) continue;
      const exclusive = PageAnonExclusive(k, folio, page);
      // folio_try_share_anon_rmap_pte(): the page is no longer exclusive to anyone while swapped.
      ClearPageAnonExclusive(k, folio, page);
      pte.present = false;
      pte.write = false;
      pte.folio = 0;
      pte.page = 0;
      pte.swp = true;
      pte.swp_exclusive = exclusive;
      pte.swap = swap;
      swap_duplicate(k, swap);
      folio_remove_rmap_pte(k, folio, 0, n, a);
      folio._refcount -= 1;
    }
  }
  // `if (folio_mapped(folio)) goto activate_locked`: a deciding scheme still counting mappings keeps the
  // folio in the swapcache, unmapped; reclaim never frees it, and when the last swap entry goes it is freed
  // with that scheme's count above zero (bad_page()).
  if (decided_folio_mapped(k, folio) === true) return 0;
  // pageout(): the content goes to the slot (a clean swapcache folio's is there already).
  (k.swap[swap] as SwapSlot).data = page.data;
  // __remove_mapping(): the folio is freed when the swapcache holds the only reference left. A FOLL_GET
  // reference (or a pin, before 5.8) keeps it in the swapcache, and its next swap-in maps it again.
  if (folio._refcount === 1) delete_from_swap_cache(k, swap);
  return 0;
}
