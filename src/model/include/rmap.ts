/**
 * Anon rmap helpers that live in include/linux/rmap.h.
 */

import { forkCopiesPinned, hasAnonExclusive } from '../eras.js';
import { mapcountAdd } from '../mapcount/index.js';
import { folio_needs_cow_for_dma } from './mm.js';
import type { Folio, Kernel, Page } from './mm_types.js';
import { ClearPageAnonExclusive, PageAnonExclusive } from './page-flags.js';

/**
 * folio_try_dup_anon_rmap_ptes - share PTE mappings of an anon folio with the fork child `m` at `addr`..
 *
 * Models:   include/linux/rmap.h __folio_try_dup_anon_rmap(), RMAP_LEVEL_PTE, v6.9 (5.19+ rules); for the
 *           5.9 era copy_present_pte()'s page_maybe_dma_pinned() test, and for 5.7/5.8 page_dup_rmap().
 * Context:  one atomic step; the kernel holds the source PT lock and mm->write_protect_seq.
 * Return:   0, or 'EBUSY' when the folio may be pinned and (from 5.19) some page of the batch is
 *           AnonExclusive: nothing changed, and the caller must give the child a copy instead
 *           (copy_present_page()).
 */
export function folio_try_dup_anon_rmap_ptes(
  k: Kernel,
  folio: Folio,
  first: number,
  nr: number,
  m: number,
  addr: number,
): 0 | 'EBUSY' {
  if (forkCopiesPinned(k.cfg) && folio_needs_cow_for_dma(folio)) {
    // 5.9-5.18 copy every maybe-pinned page; 5.19+ only the exclusive ones (a shared page is pinned R/O
    // only after an unshare, so it cannot be the pinned one).
    if (!hasAnonExclusive(k.cfg)) return 'EBUSY';
    for (let j = first; j < first + nr; j++) {
      if (PageAnonExclusive(k, folio, folio.pages[j] as Page)) return 'EBUSY';
    }
  }
  for (let j = first; j < first + nr; j++) {
    const page = folio.pages[j] as Page;
    // Shared with the child from now on: neither side may reuse it without the COW checks.
    ClearPageAnonExclusive(k, folio, page);
    page._mapcount += 1;
  }
  mapcountAdd(k, folio, m, addr, first, nr, 'pte');
  return 0;
}
