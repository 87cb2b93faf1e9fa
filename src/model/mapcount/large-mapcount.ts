/**
 * large-mapcount - one counter of every mapping of a large folio (_large_mapcount, 6.10+).
 *
 * Models:   "mm: mapcount for large folios + page_mapcount() cleanups" (David Hildenbrand, 6.10);
 *           folio_add_return_large_mapcount() / folio_sub_return_large_mapcount() without the MM-ID part
 *           (include/linux/rmap.h); docs/kernel-rules.md §3.3.
 * Rule:     +nr for nr PTEs, +1 for a PMD, and the mirror on removal; the logical value is maps(folio), a
 *           page mapped by a PMD and by a PTE counting twice. Small folios use their _mapcount instead.
 */
import type { Folio } from '../state/schema.js';
import { defineScheme, type SchemeWord } from './scheme.js';

const large: SchemeWord = {
  name: '_large_mapcount',
  min: () => 0,
  max: (cfg) => cfg.mms * (cfg.folioPages + 1),
};

export default defineScheme({
  name: 'large-mapcount',
  summary: 'one count of all PTE and PMD mappings of a large folio (_large_mapcount, 6.10)',
  invariant: 'largeMapcountMatchesPageTables',
  smallFolios: false,
  words: [large],
  add(_k, folio, o, c) {
    folio.mc[o] = (folio.mc[o] as number) + (c.level === 'pmd' ? 1 : c.nr);
  },
  remove(_k, folio, o, c) {
    folio.mc[o] = (folio.mc[o] as number) - (c.level === 'pmd' ? 1 : c.nr);
  },
  folio_mapcount: (folio, o) => folio.mc[o] as number,
  counts: 'mappings',
  // With one count and no owner, "shared" can only be estimated: more mappings than pages must be two
  // mms; fewer may still be (two mms mapping a page each). The estimate MM-ID was written to replace.
  folio_maybe_mapped_shared: (folio, o) => (folio.mc[o] as number) > folio.nr_pages,
  // The CONFIG_NO_PAGE_MAPCOUNT test of __folio_remove_rmap(): fewer mappings than pages, no PMD.
  folio_partially_mapped: (folio, o) =>
    (folio.mc[o] as number) > 0 && (folio.mc[o] as number) < folio.nr_pages && folio._entire_mapcount === 0,
  holds: (k, t, slot, o) => (k.folio[slot] as Folio).mc[o] === t.folioMaps(slot),
  explain: (k, t, slot, o) => [
    `folio ${slot}: _large_mapcount ${(k.folio[slot] as Folio).mc[o]}, but ${t.folioMaps(slot)} PTEs and PMDs map it`,
  ],
});
