/**
 * The "one mapcount per folio" counter equals its definition (kernel-mm.md §3.2; bench-core `tuples`): the
 * number of distinct (mm, page table) pairs holding at least one PTE that maps a page of the folio.
 */
import { defineInvariant } from './defineInvariant.js';

export default defineInvariant({
  name: 'tupleCountMatchesPageTables',
  description:
    "A folio's _tuple_mapcount equals the (mm, page table) pairs that map any of its pages (§3.2; bench-core tuples).",
  appliesTo: (cfg) => cfg.tuple,
  holds: (k, t) => {
    for (let s = 0; s < k.folio.length; s++) {
      const folio = k.folio[s];
      if (folio?.used && folio._tuple_mapcount !== t.tuples[s]) return false;
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (folio.used && folio._tuple_mapcount !== t.tuples[s]) {
        out.push(
          `folio ${s}: _tuple_mapcount ${folio._tuple_mapcount}, but ${t.tuples[s]} (mm, page table) pairs map it`,
        );
      }
    });
    return out;
  },
});
