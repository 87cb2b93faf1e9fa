/**
 * tuple-scan - the (VMA, page table) count of the January 2023 proposal, kept exact under rmap calls by
 * scanning the page table.
 *
 * Models:   docs/kernel-rules.md §3.2, the fix the thread itself named for partial unmap: on removal, decrement only
 *           if no other PTE of the folio is left in the same VMA and page table; on addition, increment only
 *           if none was there before. Never merged.
 * Rule:     what this cannot see are the operations that change the pairs without any rmap call: mremap
 *           moving some PTEs to another page table or VMA, and VMA splits (mprotect, MADV_DONTFORK, munmap
 *           boundaries) that turn one pair into two. The matrix shows where.
 */
import type { Folio, Kernel } from '../state/schema.js';
import { defineScheme, type RmapCall } from './scheme.js';
import { TUPLE_COUNT, tuple_count_add, tuple_count_explain, tuple_count_holds, tupleMapsFolio } from './tuple_walk.js';

function slotOf(k: Kernel, folio: Folio): number {
  return k.folio.indexOf(folio);
}

/** Other mappings of the folio in the call's (VMA, page table), besides the ones this call adds or removes. */
function others(k: Kernel, folio: Folio, c: RmapCall): boolean {
  const to = c.level === 'pmd' ? c.addr : c.addr + c.nr;
  return tupleMapsFolio(k, c.m, c.addr, slotOf(k, folio), c.addr, to, c.level === 'pmd');
}

export default defineScheme({
  name: 'tuple-scan',
  summary: 'the (VMA, page table) count, exact under rmap calls by scanning the page table (§3.2 fix)',
  invariant: 'tupleScanMatchesPageTables',
  smallFolios: true,
  words: [TUPLE_COUNT],
  add(k, folio, o, c) {
    if (!others(k, folio, c)) tuple_count_add(k, folio, o, 1);
  },
  remove(k, folio, o, c) {
    if (!others(k, folio, c)) tuple_count_add(k, folio, o, -1);
  },
  folio_mapcount: (folio, o) => folio.mc[o] as number,
  counts: 'tuples',
  // As tuple-naive: one (VMA, page table) pair is one mm.
  folio_maybe_mapped_shared: (folio, o) => (folio.mc[o] as number) > 1,
  holds: tuple_count_holds,
  explain: tuple_count_explain,
});
