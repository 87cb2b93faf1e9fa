/**
 * total-mapped-pages - one counter of mapped pages: a PTE counts 1, a PMD counts every page it maps.
 *
 * Models:   the April 2026 RFC "mm/rmap: support arbitrary folio mappings" (docs/kernel-rules.md §3.5), which
 *           turns the entire mapcount into a total of mapped pages so that the average per-page mapcount
 *           is exact. Not merged.
 */
import type { Folio } from '../state/schema.js';
import { defineScheme, type SchemeWord } from './scheme.js';

const total: SchemeWord = { name: '_total_mapped_pages', min: () => 0, max: (cfg) => 2 * cfg.mms * cfg.folioPages };

export default defineScheme({
  name: 'total-mapped-pages',
  summary: 'one count of mapped pages, a PMD counting all of its pages (RFC, April 2026)',
  invariant: 'totalMappedPagesMatchesPageTables',
  smallFolios: false,
  words: [total],
  add(_k, folio, o, c) {
    folio.mc[o] = (folio.mc[o] as number) + (c.level === 'pmd' ? folio.nr_pages : c.nr);
  },
  remove(_k, folio, o, c) {
    folio.mc[o] = (folio.mc[o] as number) - (c.level === 'pmd' ? folio.nr_pages : c.nr);
  },
  // The RFC's folio_mapcount() is the total of mapped pages (its average per page is this over nr_pages).
  folio_mapcount: (folio, o) => folio.mc[o] as number,
  counts: 'pages',
  // The RFC's estimate: on average more than one mapping per page means shared.
  folio_maybe_mapped_shared: (folio, o) => (folio.mc[o] as number) > folio.nr_pages,
  folio_partially_mapped: (folio, o) => (folio.mc[o] as number) > 0 && (folio.mc[o] as number) < folio.nr_pages,
  holds: (k, t, slot, o) => (k.folio[slot] as Folio).mc[o] === expected(k.folio[slot] as Folio, t, slot),
  explain: (k, t, slot, o) => [
    `folio ${slot}: _total_mapped_pages ${(k.folio[slot] as Folio).mc[o]}, but the page tables map ` +
      `${expected(k.folio[slot] as Folio, t, slot)} pages of it`,
  ],
});

/** Σ ptemaps(page) + pmdmaps × nr_pages, from the recount. */
function expected(folio: Folio, t: { maps(s: number, p: number): number; pmdmaps: Int32Array }, slot: number): number {
  let n = (t.pmdmaps[slot] as number) * folio.nr_pages;
  for (let p = 0; p < folio.nr_pages; p++) n += t.maps(slot, p);
  return n;
}
