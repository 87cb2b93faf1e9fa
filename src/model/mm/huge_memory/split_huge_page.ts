/**
 * split_huge_page - split a large folio into order-0 folios (the step `split_folio(m,a)`)
 *
 * Models:   mm/huge_memory.c split_huge_page() -> __folio_split() (kernel-mm.md §2.10): refused while the
 *           folio may be pinned (can_split_folio(): every reference must be a mapping); PMD mappings are
 *           split first; each mapped page becomes a small folio that keeps its mappings, its content and
 *           its PG_anon_exclusive; unmapped pages are freed and their stale AE bits go with them.
 * Context:  one step with the folio locked and every mapping frozen (migration entries), so nothing can
 *           observe the half-split folio.
 * Return:   0; 'EFAULT' if nothing is mapped at the address; 'EINVAL' if the folio is small; 'EAGAIN' if it
 *           may be pinned; 'ENOMEM' if there are not enough free folio slots for the new folios.
 * Deviates: the migration entries of the real split are not modelled (one step); with the tuple counter,
 *           each new folio counts one tuple per PTE re-added by remove_migration_ptes().
 */

import { folio_test_large } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Page, Pmd, Pte } from '../../include/mm_types.js';
import { follow_page_folio } from '../gup/follow_page.js';
import { folio_alloc, free_folio, free_slots_at_least } from '../page_alloc.js';
import { __split_huge_pmd } from './__split_huge_pmd.js';

export function split_huge_page(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'EINVAL' | 'EAGAIN' | 'ENOMEM' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  const slot = follow_page_folio(k, mm, addr);
  if (slot < 0) return 'EFAULT';
  const folio = k.folio[slot] as Folio;
  if (!folio_test_large(folio)) return 'EINVAL';
  if (folio._pincount > 0) return 'EAGAIN';
  let mappedTail = 0;
  for (let j = 1; j < folio.nr_pages; j++) {
    if ((folio.pages[j] as Page)._mapcount > 0 || folio._entire_mapcount > 0) mappedTail += 1;
  }
  if (!free_slots_at_least(k, mappedTail)) return 'ENOMEM';

  // unmap_folio(): PMD mappings are split (TTU_SPLIT_HUGE_PMD) so every page is PTE-mapped.
  const pt = k.cfg.pt;
  for (let n = 0; n < k.mm.length; n++) {
    const other = k.mm[n] as Mm;
    for (let t = 0; t < other.pmd.length; t++) {
      const pmd = other.pmd[t] as Pmd;
      if (pmd.huge && pmd.folio === slot) __split_huge_pmd(k, n, t * pt);
    }
  }
  // Each page j > 0 that is mapped moves to a folio of its own; page 0 stays in this slot.
  const nr = folio.nr_pages;
  for (let j = nr - 1; j >= 0; j--) {
    const page = folio.pages[j] as Page;
    const maps = page._mapcount;
    if (j === 0) break;
    if (maps > 0) {
      const to = folio_alloc(k, 1);
      const small = k.folio[to] as Folio;
      const head = small.pages[0] as Page;
      small._refcount = maps;
      head._mapcount = maps;
      head.anon_exclusive = page.anon_exclusive;
      head.data = page.data;
      if (k.cfg.tuple) small._tuple_mapcount = maps;
      remap(k, slot, j, to);
    }
    page._mapcount = 0;
    page.anon_exclusive = false;
    page.data = 0;
  }
  const head = folio.pages[0] as Page;
  folio.nr_pages = 1;
  folio._refcount = head._mapcount;
  if (k.cfg.tuple) folio._tuple_mapcount = head._mapcount;
  if (folio._refcount === 0) free_folio(k, slot);
  return 0;
}

/** remove_migration_ptes() for one page: every PTE that mapped (slot, page) now maps (to, 0). */
function remap(k: Kernel, slot: number, page: number, to: number): void {
  for (const mm of k.mm as Mm[]) {
    for (const pte of mm.pte as Pte[]) {
      if (pte.present && pte.folio === slot && pte.page === page) {
        pte.folio = to;
        pte.page = 0;
      }
    }
  }
}
