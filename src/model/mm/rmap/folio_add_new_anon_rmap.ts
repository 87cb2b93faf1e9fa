/**
 * folio_add_new_anon_rmap - add the first mappings of a freshly allocated anonymous folio
 *
 * Models:   mm/rmap.c folio_add_new_anon_rmap(), PTE level, with RMAP_EXCLUSIVE; v6.9 (5.19+ for the AE bit).
 * Context:  under the PT lock, after the caller installed `nr` PTEs of mm `m` at `addr`.. mapping pages
 *           0..nr-1.
 * Return:   nothing; every mapped page becomes AnonExclusive with mapcount 1 (docs/kernel-rules.md §2.1 step 4),
 *           and every selected mapcount scheme counts the new mappings (folio_set_large_mapcount() and
 *           friends).
 */
import type { Folio, Kernel, Page } from '../../include/mm_types.js';
import { SetPageAnonExclusive } from '../../include/page-flags.js';
import { mapcountAdd } from '../../mapcount/index.js';

export function folio_add_new_anon_rmap(k: Kernel, folio: Folio, nr: number, m: number, addr: number): void {
  for (let j = 0; j < nr; j++) {
    const page = folio.pages[j] as Page;
    page._mapcount = 1;
    SetPageAnonExclusive(k, folio, page);
  }
  mapcountAdd(k, folio, m, addr, 0, nr, 'pte');
}
