/**
 * split_huge_page - split a large folio into order-0 folios (the step `split_folio(m,a)`)
 *
 * Models:   mm/huge_memory.c split_huge_page() -> __folio_split() (docs/kernel-rules.md §2.10): refused while the
 *           folio may be pinned (can_split_folio(): every reference must be a mapping); PMD mappings are
 *           split first; each mapped page becomes a small folio that keeps its mappings, its content and
 *           its PG_anon_exclusive; unmapped pages are freed and their stale AE bits go with them; since 6.12
 *           (era 6.15 here) a zero-filled page is mapped as the shared zero page instead, and freed.
 * Context:  one step with the folio locked and every mapping frozen (migration entries), so nothing can
 *           observe the half-split folio.
 * Return:   0; 'EFAULT' if nothing is mapped at the address; 'EINVAL' if the folio is small; 'EAGAIN' if it
 *           may be pinned; 'ENOMEM' if there are not enough free folio slots for the new folios.
 * Deviates: the migration entries of the real split are not kept across steps: unmap_folio() and
 *           remap_page() happen in one step, but through the same rmap calls (every mapping leaves the old
 *           folio's rmap and joins its new folio's, AE carried as the migration entry kind carries it), so
 *           every mapcount scheme sees what the kernel's would.
 */

import { SPLIT_FOLIO, SPLIT_FOLIO_REFUSED, taken } from '../../coverage.js';
import { splitMapsZeroFilledToZeroPage } from '../../eras.js';
import { folio_put, folio_test_large } from '../../include/mm.js';
import type { Folio, Kernel, Mm, Page, Pmd, Pte } from '../../include/mm_types.js';
import { PageAnonExclusive } from '../../include/page-flags.js';
import { follow_page_folio } from '../gup/follow_page.js';
import { folio_get_refs } from '../gup/pin_table.js';
import { folio_alloc, free_folio, free_slots_at_least } from '../page_alloc.js';
import { folio_add_anon_rmap_ptes } from '../rmap/folio_pmd_rmap.js';
import { folio_remove_rmap_pte } from '../rmap/folio_remove_rmap_ptes.js';
import { __split_huge_pmd } from './__split_huge_pmd.js';

/**
 * Who wants to know that page `page` of folio `from` is now page 0 of folio `to` (the kernel keeps the
 * PFN): `foliocheck kernel`'s reuse-versus-copy comparison (src/kernel/replay.ts). Unset in searches.
 */
export const splitRenames: { log: ((from: number, page: number, to: number) => void) | undefined } = {
  log: undefined,
};

export function split_huge_page(k: Kernel, m: number, addr: number): 0 | 'EFAULT' | 'EINVAL' | 'EAGAIN' | 'ENOMEM' {
  const mm = k.mm[m];
  if (mm === undefined || !mm.live) return 'EFAULT';
  const slot = follow_page_folio(k, mm, addr);
  if (slot < 0) return 'EFAULT';
  const folio = k.folio[slot] as Folio;
  if (!folio_test_large(folio)) return 'EINVAL';
  // can_split_folio(): every reference must be a mapping; a pin or a FOLL_GET reference is not.
  if (folio._pincount > 0 || folio_get_refs(k.pin, slot) > 0) taken(SPLIT_FOLIO_REFUSED);
  if (folio._pincount > 0 || folio_get_refs(k.pin, slot) > 0) return 'EAGAIN';
  let mappedTail = 0;
  for (let j = 1; j < folio.nr_pages; j++) {
    if ((folio.pages[j] as Page)._mapcount > 0 || folio._entire_mapcount > 0) mappedTail += 1;
  }
  if (!free_slots_at_least(k, mappedTail)) return 'ENOMEM';
  taken(SPLIT_FOLIO);

  // unmap_folio(): PMD mappings are split (TTU_SPLIT_HUGE_PMD) so every page is PTE-mapped.
  const pt = k.cfg.pt;
  for (let n = 0; n < k.mm.length; n++) {
    const other = k.mm[n] as Mm;
    for (let t = 0; t < other.pmd.length; t++) {
      const pmd = other.pmd[t] as Pmd;
      if (pmd.huge && pmd.folio === slot) __split_huge_pmd(k, n, t * pt);
    }
  }
  // try_to_migrate(): every PTE becomes a migration entry, exclusive iff its page was AE, and leaves the
  // folio's rmap; its reference goes with it. Entries are (mm, address, page, exclusive) in a reused buffer:
  // the search runs this on its hot path and allocates nothing per transition.
  const nr = folio.nr_pages;
  ensureScratch(k.cfg.mms * k.cfg.va, nr);
  const entries = scratchEntries;
  const home = scratchHome;
  let count = 0;
  home.fill(-1, 0, nr);
  for (let n = 0; n < k.mm.length; n++) {
    const other = k.mm[n] as Mm;
    for (let a = 0; a < other.pte.length; a++) {
      const pte = other.pte[a] as Pte;
      if (!pte.present || pte.folio !== slot) continue;
      const e = 4 * count++;
      entries[e] = n;
      entries[e + 1] = a;
      entries[e + 2] = pte.page;
      entries[e + 3] = PageAnonExclusive(k, folio, folio.pages[pte.page] as Page) ? 1 : 0;
      home[pte.page] = slot;
      pte.present = false;
      folio_remove_rmap_pte(k, folio, pte.page, n, a);
      folio._refcount -= 1;
    }
  }
  // __split_unmapped_folio(): each page j > 0 that was mapped becomes a folio of its own (allocated from the
  // last page down, as before); page 0 stays in this slot; unmapped pages go, stale AE bits with them.
  for (let j = nr - 1; j >= 1; j--) {
    const page = folio.pages[j] as Page;
    if (home[j] !== -1) {
      const to = folio_alloc(k, 1);
      ((k.folio[to] as Folio).pages[0] as Page).data = page.data;
      home[j] = to;
      splitRenames.log?.(slot, j, to);
    }
    page.anon_exclusive = false;
    page.data = 0;
  }
  folio.nr_pages = 1;
  folio.partially_mapped = 0; // off the deferred-split queue: a small folio now
  (folio.pages[0] as Page).anon_exclusive = false;
  // remove_migration_ptes(): each entry maps its page again, in its new folio, exclusive as the entry says;
  // since 6.12 a zero-filled page goes to the shared zero page instead (try_to_map_unused_to_zeropage()).
  // Content is known only with data tracking, and the zero page must be representable.
  const toZero = k.cfg.data && k.cfg.specialPtes && splitMapsZeroFilledToZeroPage(k.cfg);
  for (let e = 0; e < 4 * count; e += 4) {
    const m = entries[e] as number;
    const a = entries[e + 1] as number;
    const to = home[entries[e + 2] as number] as number;
    const small = k.folio[to] as Folio;
    const pte = (k.mm[m] as Mm).pte[a] as Pte;
    if (toZero && (small.pages[0] as Page).data === 0) {
      pte.zero = true;
      pte.write = false;
      pte.folio = 0;
      pte.page = 0;
      continue;
    }
    pte.present = true;
    pte.folio = to;
    pte.page = 0;
    small._refcount += 1;
    folio_add_anon_rmap_ptes(k, small, 0, 1, entries[e + 3] === 1, m, a);
  }
  // The new folios' allocation references were the freeze's; drop them now that the mappings hold theirs.
  for (let j = 1; j < nr; j++) {
    const to = home[j] as number;
    if (to !== -1) folio_put(k, to);
  }
  if (folio._refcount === 0) free_folio(k, slot);
  return 0;
}

let scratchEntries = new Int32Array(0);
let scratchHome = new Int32Array(0);

/** Grows the reused buffers to hold `ptes` migration entries and `pages` pages' new homes. */
function ensureScratch(ptes: number, pages: number): void {
  if (scratchEntries.length < 4 * ptes) scratchEntries = new Int32Array(4 * ptes);
  if (scratchHome.length < pages) scratchHome = new Int32Array(pages);
}
