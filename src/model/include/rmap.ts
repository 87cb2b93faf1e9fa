/**
 * Anon rmap helpers that live in include/linux/rmap.h.
 */

import { folio_tuples_add } from '../mapcount/folio_tuples.js';
import { folio_needs_cow_for_dma } from './mm.js';
import type { Folio, Kernel, Page } from './mm_types.js';
import { ClearPageAnonExclusive, PageAnonExclusive } from './page-flags.js';

/**
 * folio_try_dup_anon_rmap_ptes - share PTE mappings of an anon folio with the fork child
 *
 * Models:   include/linux/rmap.h __folio_try_dup_anon_rmap(), RMAP_LEVEL_PTE, v6.9 (5.19+ rules).
 * Context:  one atomic step; the kernel holds the source PT lock and mm->write_protect_seq.
 * Return:   0, or 'EBUSY' when some page of the batch is AnonExclusive and the folio may be pinned: nothing
 *           changed, and the caller must give the child a copy instead (copy_present_page()).
 */
export function folio_try_dup_anon_rmap_ptes(k: Kernel, folio: Folio, first: number, nr: number): 0 | 'EBUSY' {
  if (folio_needs_cow_for_dma(folio)) {
    for (let j = first; j < first + nr; j++) {
      if (PageAnonExclusive(folio.pages[j] as Page)) return 'EBUSY';
    }
  }
  for (let j = first; j < first + nr; j++) {
    const page = folio.pages[j] as Page;
    // Shared with the child from now on: neither side may reuse it without the COW checks.
    ClearPageAnonExclusive(page);
    page._mapcount += 1;
  }
  folio_tuples_add(k, folio);
  return 0;
}
