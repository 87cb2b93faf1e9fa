/**
 * folio_remove_rmap_ptes - remove `nr` PTE mappings of consecutive pages of one folio
 *
 * Models:   mm/rmap.c folio_remove_rmap_ptes() -> __folio_remove_rmap(), RMAP_LEVEL_PTE; v6.9 batching.
 * Context:  under the PT lock; the PTEs of mm `m` at `addr`.. are already cleared. The references are
 *           dropped by the caller after the TLB flush (docs/kernel-rules.md §1.5, §2.6).
 * Deviates: the deferred-split queue is a flag, kept only while a scheme decides (decide.ts); AE bits are
 *           left as they are and may go stale, as in the kernel.
 */
import { VM_WARN_ON_FOLIO } from '../../debug.js';
import { deferred_split_decision } from '../../decide.js';
import type { Folio, Kernel, Page } from '../../include/mm_types.js';
import { mapcountRemove } from '../../mapcount/index.js';

export function folio_remove_rmap_ptes(
  k: Kernel,
  folio: Folio,
  first: number,
  nr: number,
  m: number,
  addr: number,
): void {
  for (let j = first; j < first + nr; j++) {
    const page = folio.pages[j] as Page;
    page._mapcount -= 1;
    // Stryker disable next-line StringLiteral: the warning's words, not a rule (docs/mutation-testing.md)
    VM_WARN_ON_FOLIO(page._mapcount < 0, folio, 'folio_remove_rmap_ptes', `page ${j} mapcount underflow`);
  }
  mapcountRemove(k, folio, m, addr, first, nr, 'pte');
  deferred_split_decision(k, folio);
}

/** folio_remove_rmap_pte(): the single-PTE form. */
export function folio_remove_rmap_pte(k: Kernel, folio: Folio, page: number, m: number, addr: number): void {
  folio_remove_rmap_ptes(k, folio, page, 1, m, addr);
}
