/**
 * page-mapcount - per-page mapcounts, the entire mapcount and _nr_pages_mapped (6.2-6.9; later under
 * CONFIG_PAGE_MAPCOUNT).
 *
 * Models:   mm/rmap.c __folio_add_rmap() / __folio_remove_rmap() (docs/kernel-rules.md §3.1). The per-page
 *           `_mapcount` and the folio's `_entire_mapcount` are the model's own state (every modelled era has
 *           them, and bench-core counts them), updated by the rmap functions before this hook runs; the
 *           scheme adds `_nr_pages_mapped` and checks all three.
 * Rule:     `_nr_pages_mapped` counts the pages whose mapcount went 0 -> 1, plus ENTIRELY_MAPPED while the
 *           entire mapcount is >= 1. Deviates: ENTIRELY_MAPPED is 0x80 here instead of 0x800000, so that
 *           the field fits a byte of the state encoding; folios of more than 127 pages are not modelled.
 */
import type { Folio, Page } from '../state/schema.js';
import { defineScheme, type SchemeWord } from './scheme.js';

export const ENTIRELY_MAPPED = 0x80;

const nrPagesMapped: SchemeWord = { name: '_nr_pages_mapped', min: () => 0, max: () => 0xff };

function expected(k: { folio: Folio[] }, t: { maps(s: number, p: number): number; pmdmaps: Int32Array }, slot: number) {
  const folio = k.folio[slot] as Folio;
  let n = (t.pmdmaps[slot] as number) > 0 ? ENTIRELY_MAPPED : 0;
  for (let p = 0; p < folio.nr_pages; p++) if (t.maps(slot, p) > 0) n += 1;
  return n;
}

export default defineScheme({
  name: 'page-mapcount',
  summary: 'per-page _mapcount, _entire_mapcount and _nr_pages_mapped (6.2-6.9, CONFIG_PAGE_MAPCOUNT)',
  invariant: 'pageMapcountMatchesPageTables',
  smallFolios: false,
  words: [nrPagesMapped],
  add(_k, folio, o, c) {
    if (c.level === 'pmd') {
      if (folio._entire_mapcount === 1) folio.mc[o] = (folio.mc[o] as number) + ENTIRELY_MAPPED;
      return;
    }
    let n = 0;
    for (let j = c.first; j < c.first + c.nr; j++) if ((folio.pages[j] as Page)._mapcount === 1) n += 1;
    folio.mc[o] = (folio.mc[o] as number) + n;
  },
  remove(_k, folio, o, c) {
    if (c.level === 'pmd') {
      if (folio._entire_mapcount === 0) folio.mc[o] = (folio.mc[o] as number) - ENTIRELY_MAPPED;
      return;
    }
    let n = 0;
    for (let j = c.first; j < c.first + c.nr; j++) if ((folio.pages[j] as Page)._mapcount === 0) n += 1;
    folio.mc[o] = (folio.mc[o] as number) - n;
  },
  // folio_mapcount() of 6.3-6.9: the entire mapcount plus every page's own, summed.
  folio_mapcount(folio) {
    let n = folio._entire_mapcount;
    for (let p = 0; p < folio.nr_pages; p++) n += (folio.pages[p] as Page)._mapcount;
    return n;
  },
  counts: 'mappings',
  // folio_likely_mapped_shared() (6.7-6.14): mapped once is exclusive; a PMD or more mappings than pages is
  // shared; otherwise guess from the first page's mapcount.
  folio_maybe_mapped_shared(folio) {
    let n = folio._entire_mapcount;
    for (let p = 0; p < folio.nr_pages; p++) n += (folio.pages[p] as Page)._mapcount;
    if (n <= 1) return false;
    if (folio._entire_mapcount > 0 || n > folio.nr_pages) return true;
    return (folio.pages[0] as Page)._mapcount > 1;
  },
  // __folio_remove_rmap() with CONFIG_PAGE_MAPCOUNT: some pages still mapped, not all, no PMD.
  folio_partially_mapped(folio, o) {
    const n = folio.mc[o] as number;
    return n > 0 && n < folio.nr_pages;
  },
  holds(k, t, slot, o) {
    const folio = k.folio[slot] as Folio;
    if (folio._entire_mapcount !== t.pmdmaps[slot]) return false;
    for (let p = 0; p < folio.nr_pages; p++) if ((folio.pages[p] as Page)._mapcount !== t.maps(slot, p)) return false;
    return folio.mc[o] === expected(k, t, slot);
  },
  explain(k, t, slot, o) {
    const folio = k.folio[slot] as Folio;
    const out: string[] = [];
    if (folio._entire_mapcount !== t.pmdmaps[slot]) {
      out.push(`folio ${slot}: _entire_mapcount ${folio._entire_mapcount}, but ${t.pmdmaps[slot]} huge PMDs map it`);
    }
    for (let p = 0; p < folio.nr_pages; p++) {
      const mc = (folio.pages[p] as Page)._mapcount;
      if (mc !== t.maps(slot, p))
        out.push(`folio ${slot} page ${p}: _mapcount ${mc}, but ${t.maps(slot, p)} PTEs map it`);
    }
    if (folio.mc[o] !== expected(k, t, slot)) {
      out.push(
        `folio ${slot}: _nr_pages_mapped 0x${(folio.mc[o] as number).toString(16)}, but the page tables say 0x${expected(k, t, slot).toString(16)}`,
      );
    }
    return out;
  },
});
