/**
 * tuple-naive - one mapcount per folio counting (VMA, page table) pairs, with one update per rmap call.
 *
 * Models:   the design floated on linux-mm in January 2023 (docs/kernel-rules.md §3.2): a folio's single mapcount
 *           counts the distinct (VMA, page table) pairs that map any of its pages. Never merged.
 * Rule:     "naive" on purpose: every rmap call that adds mappings in one page table counts +1, every call
 *           that removes some counts -1, without scanning for PTEs of the folio that remain there. This is
 *           bench-core's `core-tuple`; the thread's own objection (partial unmap) is the shortest way it
 *           breaks ("map three pages, unmap two": one tuple, two decrements).
 */
import { defineScheme } from './scheme.js';
import { TUPLE_COUNT, tuple_count_add, tuple_count_explain, tuple_count_holds } from './tuple_walk.js';

export default defineScheme({
  name: 'tuple-naive',
  summary: 'one count per folio of (VMA, page table) pairs, +1/-1 per rmap call (linux-mm, January 2023)',
  invariant: 'tupleCountMatchesPageTables',
  smallFolios: true,
  words: [TUPLE_COUNT],
  add: (k, folio, o) => tuple_count_add(k, folio, o, 1),
  remove: (k, folio, o) => tuple_count_add(k, folio, o, -1),
  folio_mapcount: (folio, o) => folio.mc[o] as number,
  counts: 'tuples',
  // The proposal's own answer: one pair means one VMA of one mm; two or more may be two mms (Matthew
  // Wilcox's follow-up: "if the mapcount is 1, it's definitely only mapped by us").
  folio_maybe_mapped_shared: (folio, o) => (folio.mc[o] as number) > 1,
  holds: tuple_count_holds,
  explain: tuple_count_explain,
});
