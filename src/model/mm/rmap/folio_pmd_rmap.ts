/**
 * PMD-level anon rmap: the calls that add, share and remove the one mapping of a whole PMD-sized folio
 *
 * Models:   mm/rmap.c folio_add_new_anon_rmap() and __folio_remove_rmap() at RMAP_LEVEL_PMD,
 *           include/linux/rmap.h __folio_try_dup_anon_rmap() at RMAP_LEVEL_PMD, and
 *           folio_add_anon_rmap_ptes() as __split_huge_pmd_locked() calls it (docs/kernel-rules.md §2.1 step 5,
 *           §2.7, §2.9); 5.19+ AE rules, 6.9 naming.
 * Context:  under the PMD lock.
 * Rule:     a PMD mapping counts in `_entire_mapcount`, not in the pages' `_mapcount`; only the head page's
 *           PG_anon_exclusive means anything while the folio is PMD-mapped.
 */

import { deferred_split_decision } from '../../decide.js';
import { forkCopiesPinned, hasAnonExclusive } from '../../eras.js';
import { folio_needs_cow_for_dma } from '../../include/mm.js';
import type { Folio, Kernel, Page } from '../../include/mm_types.js';
import { ClearPageAnonExclusive, PageAnonExclusive, SetPageAnonExclusive } from '../../include/page-flags.js';
import { mapcountAdd, mapcountRemove } from '../../mapcount/index.js';

/**
 * folio_add_new_anon_rmap(RMAP_LEVEL_PMD, RMAP_EXCLUSIVE): entire mapcount 1, AE on the head only; the PMD
 * is mm `m`'s at `addr`.
 */
export function folio_add_new_anon_rmap_pmd(k: Kernel, folio: Folio, m: number, addr: number): void {
  folio._entire_mapcount = 1;
  SetPageAnonExclusive(k, folio, folio.pages[0] as Page);
  mapcountAdd(k, folio, m, addr, 0, 1, 'pmd');
}

/** folio_remove_rmap_pmd(): mm `m`'s PMD mapping at `addr` is gone (the caller drops its reference). */
export function folio_remove_rmap_pmd(k: Kernel, folio: Folio, m: number, addr: number): void {
  folio._entire_mapcount -= 1;
  mapcountRemove(k, folio, m, addr, 0, 1, 'pmd');
  deferred_split_decision(k, folio);
}

/**
 * folio_try_dup_anon_rmap_pmd(): share the PMD mapping with the fork child, or 'EBUSY' if the head is
 * exclusive and the folio may be pinned (the caller then splits the parent's PMD and copies page by page).
 */
export function folio_try_dup_anon_rmap_pmd(k: Kernel, folio: Folio, m: number, addr: number): 0 | 'EBUSY' {
  const head = folio.pages[0] as Page;
  if (forkCopiesPinned(k.cfg) && folio_needs_cow_for_dma(folio)) {
    // d042035eaf5f (5.9): split a maybe-pinned THP at fork; from 5.19 only an exclusive one.
    if (!hasAnonExclusive(k.cfg) || PageAnonExclusive(k, folio, head)) return 'EBUSY';
  }
  ClearPageAnonExclusive(k, folio, head);
  folio._entire_mapcount += 1;
  mapcountAdd(k, folio, m, addr, 0, 1, 'pmd');
  return 0;
}

/**
 * folio_add_anon_rmap_ptes() as the PMD split calls it: every page gains a PTE mapping; with RMAP_EXCLUSIVE
 * (the head was exclusive) every page becomes exclusive. The PTEs are mm `m`'s at `addr`..
 */
export function folio_add_anon_rmap_ptes(
  k: Kernel,
  folio: Folio,
  first: number,
  nr: number,
  exclusive: boolean,
  m: number,
  addr: number,
): void {
  for (let j = first; j < first + nr; j++) {
    const page = folio.pages[j] as Page;
    page._mapcount += 1;
    if (exclusive) SetPageAnonExclusive(k, folio, page);
  }
  mapcountAdd(k, folio, m, addr, first, nr, 'pte');
}
