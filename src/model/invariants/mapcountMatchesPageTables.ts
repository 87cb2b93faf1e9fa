/**
 * Per-page mapcounts equal the page-table recount (docs/kernel-rules.md §5 I9; bench-core `mapcount`): each page's
 * _mapcount is the number of present PTEs mapping it, over all mms. Pages beyond nr_pages hold zero.
 */
import type { Folio, Page } from '../include/mm_types.js';
import { defineInvariant } from './defineInvariant.js';

export default defineInvariant({
  name: 'mapcountMatchesPageTables',
  property: 'other',
  description:
    "Each page's _mapcount equals the present PTEs mapping it, and _entire_mapcount the huge PMDs mapping " +
    'the folio, over all mms (I9; bench-core mapcount).',
  holds: (k, t) => {
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      const folio = k.folio[s] as Folio;
      if (folio._entire_mapcount !== t.pmdmaps[s]) return false;
      const pages = folio.pages;
      for (let j = 0; j < pages.length; j++) {
        const want = j < folio.nr_pages ? t.maps(s, j) : 0;
        if ((pages[j] as Page)._mapcount !== want) return false;
      }
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (!folio.used) return;
      if (folio._entire_mapcount !== t.pmdmaps[s]) {
        out.push(`folio ${s}: _entire_mapcount ${folio._entire_mapcount}, but ${t.pmdmaps[s]} huge PMDs map it`);
      }
      folio.pages.forEach((page, j) => {
        const want = j < folio.nr_pages ? t.maps(s, j) : 0;
        if (page._mapcount === want) return;
        if (j >= folio.nr_pages) {
          out.push(
            `folio ${s} page ${j}: _mapcount ${page._mapcount}, past the end of the folio (nr_pages ${folio.nr_pages})`,
          );
        } else out.push(`folio ${s} page ${j}: _mapcount ${page._mapcount}, page tables map it ${want} times`);
      });
    });
    return out;
  },
});
