/**
 * do_wp_page - write or unshare fault on a present, write-protected PTE: reuse the page or copy it
 *
 * Models:   mm/memory.c do_wp_page(), wp_can_reuse_anon_folio(), __wp_can_reuse_large_anon_folio(),
 *           wp_page_reuse(), wp_page_copy(); docs/kernel-rules.md §2.2 in every era (eras.ts): <= 5.8 reuse by
 *           mapcount (reuse_swap_page()), 5.9 by refcount 1, 5.19 an AE page or a small folio at refcount
 *           1 (large folios never, as since ~6.5), 6.15 also a large folio the MM-ID says one mm maps; and
 *           the FAULT_FLAG_UNSHARE variant of §2.4 (5.19+).
 * Context:  one step under the PT lock.
 * Return:   0; 'EINVAL' if the PTE is not present or already writable (handle_pte_fault() would not come
 *           here); 'ENOMEM' if a copy is needed and no folio slot is free.
 * Deviates: no LRU batches and no trylock failure, so a small folio is reused exactly when its refcount is
 *           1 once its swapcache reference, if any, could be released (docs/kernel-rules.md §6: these only
 *           ever turn a reuse into a copy). 5.9-5.17 copy every swapcache page (refcount 2 at least), as 5.9
 *           did; 5.10's folio_free_swap() in do_wp_page() is not modelled there.
 */

import { countCowCopy } from '../../consequences.js';
import { taken, WP_COPY, WP_REUSE, WP_REUSE_LARGE, WP_UNSHARE, WP_UNSHARE_COPY } from '../../coverage.js';
import { VM_WARN_ON_FOLIO } from '../../debug.js';
import { decided_folio_mapcount, decided_folio_maybe_mapped_shared } from '../../decide.js';
import { hasAnonExclusive, reusesByMapcount, reusesByRefcount, reusesLargeByMmId } from '../../eras.js';
import {
  folio_mapcount,
  folio_put,
  folio_ref_count,
  folio_test_large,
  page_trans_huge_mapcount,
} from '../../include/mm.js';
import type { Folio, Kernel, Page, Pte, SwapSlot } from '../../include/mm_types.js';
import { PageAnonExclusive, SetPageAnonExclusive } from '../../include/page-flags.js';
import { kernelMmId } from '../../mapcount/index.js';
import { folio_alloc, NO_SLOT } from '../page_alloc.js';
import { folio_add_new_anon_rmap } from '../rmap/folio_add_new_anon_rmap.js';
import { folio_remove_rmap_pte } from '../rmap/folio_remove_rmap_ptes.js';
import { delete_from_swap_cache, folio_free_swap, folio_swap_slot, folio_test_swapcache } from '../swap_state.js';
import { anon_vma_prepare, vma_writable } from '../vma.js';

/** The last reuse decision said no because the folio may be mapped shared (for consequences.ts only). */
let declinedAsShared = false;

/** FAULT_FLAG_WRITE or FAULT_FLAG_UNSHARE (never both: sanitize_fault_flags()). */
export type WpFault = 'write' | 'unshare';

export function do_wp_page(k: Kernel, m: number, addr: number, fault: WpFault): 0 | 'EINVAL' | 'ENOMEM' {
  const mm = k.mm[m];
  const pte = mm?.pte[addr];
  if (mm === undefined || pte === undefined || !(pte.present || pte.zero) || pte.write) return 'EINVAL';
  // A write fault in a VMA without VM_WRITE is a SIGSEGV (FOLL_FORCE is not modelled).
  if (fault === 'write' && !vma_writable(mm, addr)) return 'EINVAL';
  // The zero page is never reused: write and unshare both copy it into a zeroed page (§2.3).
  if (pte.zero) return wp_page_copy(k, m, addr, pte, fault);
  const folio = k.folio[pte.folio] as Folio;
  const page = folio.pages[pte.page] as Page;
  declinedAsShared = false;

  // Since 5.19 an exclusive page is reused without looking at any counter (6c287605fd56).
  if (PageAnonExclusive(k, folio, page) || wp_can_reuse_anon_folio(k, folio, pte.folio)) {
    SetPageAnonExclusive(k, folio, page);
    taken(fault === 'unshare' ? WP_UNSHARE : WP_REUSE);
    // Unshare only needs the page exclusive; the PTE stays read-only (docs/kernel-rules.md §2.4).
    if (fault === 'unshare') return 0;
    wp_page_reuse(k, folio, page, pte);
    return 0;
  }
  return wp_page_copy(k, m, addr, pte, fault);
}

/**
 * wp_can_reuse_anon_folio - may a non-exclusive page be reused? Only when nobody else can hold it; what
 * "nobody else" means is the era's (eras.ts).
 */
function wp_can_reuse_anon_folio(k: Kernel, folio: Folio, slot: number): boolean {
  // <= 5.8: reuse_swap_page() counts mappings and the swap entries of a swapcache page, and ignores every
  // other reference: a GUP reference held by a process that unmapped the page is invisible
  // (CVE-2020-29374, §4 B2). A total of 1 also takes the page out of the swapcache.
  if (reusesByMapcount(k.cfg)) return reuse_swap_page(k, folio, slot);
  // 5.9-5.18: the refcount is the truth, small and large alike (09854ba94c6a).
  if (reusesByRefcount(k.cfg)) return folio_ref_count(folio) === 1;
  if (folio_test_large(folio)) {
    // 5.19-6.14 (~6.5 on): never ("give back a large folio a bit sooner"); 6.15: MM-ID.
    return reusesLargeByMmId(k.cfg) && __wp_can_reuse_large_anon_folio(k, folio);
  }
  // A small folio whose only reference is this mapping (no other mapping, no GUP reference, no pin), once
  // folio_free_swap() released the swapcache's, which it can only when no swap entry names the page.
  if (k.cfg.swap > 0) {
    if (folio_ref_count(folio) > 1 + (folio_test_swapcache(k, slot) ? 1 : 0)) return false;
    folio_free_swap(k, slot);
  }
  return folio_ref_count(folio) === 1;
}

/** reuse_swap_page() (<= 5.17): page_trans_huge_map_swapcount() <= 1; at exactly 1 it leaves the swapcache. */
function reuse_swap_page(k: Kernel, folio: Folio, slot: number): boolean {
  // Decision point cow-reuse-mapcount (decide.ts): a deciding scheme that counts mappings answers instead.
  const mapcount = decided_folio_mapcount(k, folio) ?? page_trans_huge_mapcount(folio);
  if (k.cfg.swap === 0) return mapcount <= 1;
  const i = folio_swap_slot(k, slot);
  const count = mapcount + (i < 0 ? 0 : (k.swap[i] as SwapSlot).count);
  if (count === 1 && i >= 0) delete_from_swap_cache(k, i);
  return count <= 1;
}

/**
 * __wp_can_reuse_large_anon_folio (6.15, 1da190f4d0a6): mapped more than once, by one mm only (MM-ID shared
 * bit clear), and every reference is a mapping. An anon page is mapped at most once per mm, so the other
 * mappings are this mm's own pages of the folio.
 */
function __wp_can_reuse_large_anon_folio(k: Kernel, folio: Folio): boolean {
  const { scheme, o } = kernelMmId(k.cfg);
  // Decision point cow-reuse-large (decide.ts): each query from the deciding scheme where it can answer.
  const mapcount = decided_folio_mapcount(k, folio) ?? scheme.folio_mapcount(folio, o);
  if (mapcount <= 1) return false; // copy the one page and let the large folio go
  const shared = decided_folio_maybe_mapped_shared(k, folio) ?? scheme.folio_maybe_mapped_shared?.(folio, o) !== false;
  if (shared) {
    // The copy that follows is this answer's: consequences.ts counts it if this mm alone mapped the folio.
    declinedAsShared = true;
    return false;
  }
  if (mapcount === folio_ref_count(folio)) taken(WP_REUSE_LARGE);
  return mapcount === folio_ref_count(folio);
}

/** wp_page_reuse - make the PTE writable again; from 5.19 only legal on an exclusive page (VM_BUG_ON). */
function wp_page_reuse(k: Kernel, folio: Folio, page: Page, pte: Pte): void {
  VM_WARN_ON_FOLIO(
    hasAnonExclusive(k.cfg) && !PageAnonExclusive(k, folio, page),
    folio,
    // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
    'wp_page_reuse',
    // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
    'reusing a page that is not exclusive',
  );
  pte.write = true; // the caller checked VM_WRITE
}

/**
 * wp_page_copy - map a fresh order-0 copy: writable for a write fault, read-only for unshare.
 * The new PTE is installed before the old page's rmap and reference are dropped (docs/kernel-rules.md §2.2).
 */
function wp_page_copy(k: Kernel, m: number, addr: number, pte: Pte, fault: WpFault): 0 | 'ENOMEM' {
  const fromZero = pte.zero;
  const oldSlot = pte.folio;
  const oldPage = pte.page;
  // COW never allocates a large folio, even when the old folio was large.
  const slot = folio_alloc(k, 1);
  if (slot === NO_SLOT) return 'ENOMEM';
  taken(fault === 'unshare' ? WP_UNSHARE_COPY : WP_COPY);
  if (!fromZero) countCowCopy(k, oldSlot, m, declinedAsShared);
  // __wp_page_copy_user(): the copy starts with the old page's content (zeroes for the zero page).
  const content = fromZero ? 0 : ((k.folio[oldSlot] as Folio).pages[oldPage] as Page).data;
  ((k.folio[slot] as Folio).pages[0] as Page).data = content;
  pte.zero = false;
  pte.present = true;
  pte.folio = slot;
  pte.page = 0;
  pte.write = fault === 'write';
  // vmf_anon_prepare(): a COW of the zero page may be the VMA's first anonymous folio.
  if (k.cfg.tracksVmas) anon_vma_prepare(k, m, addr);
  folio_add_new_anon_rmap(k, k.folio[slot] as Folio, 1, m, addr);
  if (fromZero) return 0; // the zero page has no rmap and no reference to drop
  folio_remove_rmap_pte(k, k.folio[oldSlot] as Folio, oldPage, m, addr);
  // free_swap_cache(): the old folio leaves the swapcache once unmapped, if no swap entry names it.
  if (k.cfg.swap > 0 && folio_mapcount(k.folio[oldSlot] as Folio) === 0) folio_free_swap(k, oldSlot);
  folio_put(k, oldSlot);
  return 0;
}
