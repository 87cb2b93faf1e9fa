/**
 * tuple-naive - one mapcount per folio counting (VMA, page table) pairs, with one update per rmap call.
 *
 * Models:   the design floated on linux-mm in January 2023 (kernel-mm.md §3.2): a folio's single mapcount
 *           counts the distinct (VMA, page table) pairs that map any of its pages. Never merged.
 * Rule:     "naive" on purpose: every rmap call that adds mappings in one page table counts +1, every call
 *           that removes some counts -1, without scanning for PTEs of the folio that remain there. This is
 *           bench-core's `core-tuple`; the thread's own objection (partial unmap) is the shortest way it
 *           breaks ("map three pages, unmap two": one tuple, two decrements).
 */
import type { Folio, Kernel } from '../include/mm_types.js';
import { clampWord, defineScheme, type SchemeWord } from './scheme.js';

const count: SchemeWord = { name: '_tuple_mapcount', min: () => -16, max: () => 15 };

export default defineScheme({
  name: 'tuple-naive',
  summary: 'one count per folio of (VMA, page table) pairs, +1/-1 per rmap call (linux-mm, January 2023)',
  invariant: 'tupleCountMatchesPageTables',
  needsTuples: true,
  smallFolios: true,
  words: [count],
  add(k: Kernel, folio: Folio, o: number): void {
    folio.mc[o] = clampWord(k.cfg, count, (folio.mc[o] as number) + 1);
  },
  remove(k: Kernel, folio: Folio, o: number): void {
    folio.mc[o] = clampWord(k.cfg, count, (folio.mc[o] as number) - 1);
  },
  folio_mapcount: (folio, o) => folio.mc[o] as number,
  holds: (k, t, slot, o) => (k.folio[slot] as Folio).mc[o] === t.tuples[slot],
  explain: (k, t, slot, o) => [
    `folio ${slot}: _tuple_mapcount ${(k.folio[slot] as Folio).mc[o]}, but ${t.tuples[slot]} (VMA, page table) pairs map it`,
  ],
});
