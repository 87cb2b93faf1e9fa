/**
 * A large folio that is mapped in part is on the deferred-split queue (PG_partially_mapped), so that the
 * shrinker can split it and free its unmapped pages. A folio that is never queued keeps those pages for as
 * long as any of it is mapped: memory that can never be reclaimed.
 *
 * Kernel:   mm/rmap.c __folio_remove_rmap() -> deferred_split_folio(); mm/huge_memory.c
 *           deferred_split_scan(). Judged only while a scheme decides (`--decide-with`, decide.ts): the
 *           flag is encoded then. The ground truth is the page tables: some page of the folio is mapped
 *           by a PTE, some by none, and no PMD maps it whole.
 */
import type { Folio } from '../include/mm_types.js';
import type { Truth } from '../recount/truth.js';
import { defineInvariant } from './defineInvariant.js';

function partlyMapped(t: Truth, s: number, folio: Folio): boolean {
  if ((t.pmdmaps[s] as number) > 0 || folio.nr_pages <= 1) return false;
  let mapped = 0;
  for (let j = 0; j < folio.nr_pages; j++) if (t.maps(s, j) > 0) mapped += 1;
  return mapped > 0 && mapped < folio.nr_pages;
}

export default defineInvariant({
  name: 'partiallyMappedIsQueued',
  property: 'split',
  description:
    'A large folio mapped in part (some pages mapped, some not, no PMD) was queued for deferred split ' +
    '(__folio_remove_rmap() -> deferred_split_folio()); otherwise its unmapped pages are never reclaimed.',
  appliesTo: (cfg) => cfg.decider !== undefined,
  holds: (k, t) => {
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      const folio = k.folio[s] as Folio;
      if (folio.partially_mapped === 0 && partlyMapped(t, s, folio)) return false;
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      const folio = k.folio[s] as Folio;
      if (folio.partially_mapped !== 0 || !partlyMapped(t, s, folio)) continue;
      const unmapped: number[] = [];
      for (let j = 0; j < folio.nr_pages; j++) if (t.maps(s, j) === 0) unmapped.push(j);
      out.push(
        `folio ${s}: pages ${unmapped.join(',')} of ${folio.nr_pages} are unmapped, but the folio was never queued for deferred split`,
      );
    }
    return out;
  },
});
