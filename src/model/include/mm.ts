/**
 * Folio reference and mapcount accessors, after include/linux/mm.h.
 */
import { free_folio } from '../mm/page_alloc.js';
import { swapcache_put_unused } from '../mm/swap_state.js';
import type { Folio, Kernel, Page } from './mm_types.js';

export function folio_test_large(folio: Folio): boolean {
  return folio.nr_pages > 1;
}

export function folio_nr_pages(folio: Folio): number {
  return folio.nr_pages;
}

export function folio_page(folio: Folio, idx: number): Page {
  return folio.pages[idx] as Page;
}

export function folio_ref_count(folio: Folio): number {
  return folio._refcount;
}

export function folio_ref_add(folio: Folio, nr: number): void {
  folio._refcount += nr;
}

/** folio_get(): take one reference. */
export function folio_get(folio: Folio): void {
  folio._refcount += 1;
}

/**
 * folio_put_refs(): drop `nr` references; the last one frees the folio (mm/swap.c __folio_put()).
 */
export function folio_put_refs(k: Kernel, slot: number, nr: number): void {
  const folio = k.folio[slot] as Folio;
  folio._refcount -= nr;
  if (folio._refcount === 0) free_folio(k, slot);
  // Only the swapcache left holding it: it goes too (mm/swap_state.ts).
  else if (folio._refcount === 1 && k.cfg.swap > 0) swapcache_put_unused(k, slot);
}

export function folio_put(k: Kernel, slot: number): void {
  folio_put_refs(k, slot, 1);
}

/**
 * folio_maybe_dma_pinned(): may the folio be pinned?
 * Deviates: exact (docs/kernel-rules.md §6 "Pins on small folios"): the kernel reads refcount >= 1024 on small
 * folios and has harmless false positives; the model keeps `_pincount` for every folio.
 */
export function folio_maybe_dma_pinned(folio: Folio): boolean {
  return folio._pincount > 0;
}

/**
 * folio_needs_cow_for_dma(): fork must copy rather than share a maybe-pinned folio.
 * Deviates: MMF_HAS_PINNED is taken as set on every mm (docs/kernel-rules.md §6, bench-core), so only the folio
 * test remains.
 */
export function folio_needs_cow_for_dma(folio: Folio): boolean {
  return folio_maybe_dma_pinned(folio);
}

/** folio_mapcount(): all present mappings of the folio: its huge PMDs and its pages' PTEs. */
export function folio_mapcount(folio: Folio): number {
  let n = folio._entire_mapcount;
  for (let j = 0; j < folio.nr_pages; j++) n += (folio.pages[j] as Page)._mapcount;
  return n;
}

/**
 * page_trans_huge_mapcount(): what reuse_swap_page() (<= 5.17) counted for a page of a large folio: the
 * largest PTE mapcount of any of its pages plus the PMD mappings. It sees mappings only, never references.
 */
export function page_trans_huge_mapcount(folio: Folio): number {
  let most = 0;
  for (let j = 0; j < folio.nr_pages; j++) most = Math.max(most, (folio.pages[j] as Page)._mapcount);
  return folio._entire_mapcount + most;
}
