/**
 * A page marked PG_anon_exclusive is mapped by at most one PTE (kernel-mm.md §5 I2/I3; bench-core
 * `anon-exclusive`): __folio_add_anon_rmap() warns when an exclusive page gains a second mapping.
 */
import type { Folio, Page } from '../include/mm_types.js';
import { defineInvariant } from './defineInvariant.js';

export default defineInvariant({
  name: 'anonExclusiveMappedOnce',
  description:
    'A PageAnonExclusive page is mapped by at most one PTE, so it is never shared (I2, I3; bench-core anon-exclusive).',
  holds: (k, t) => {
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      const folio = k.folio[s] as Folio;
      const pages = folio.pages;
      for (let j = 0; j < pages.length; j++) {
        if (!(pages[j] as Page).anon_exclusive) continue;
        if (j >= folio.nr_pages || t.allMaps(s, j) > 1) return false;
      }
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (!folio.used) return;
      folio.pages.forEach((page, j) => {
        if (page.anon_exclusive && (j >= folio.nr_pages || t.allMaps(s, j) > 1)) {
          out.push(`folio ${s} page ${j} is AnonExclusive but mapped ${t.allMaps(s, j)} times`);
        }
      });
    });
    return out;
  },
});
