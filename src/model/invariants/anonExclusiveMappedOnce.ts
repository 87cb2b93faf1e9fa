/**
 * A page marked PG_anon_exclusive is mapped by at most one PTE (docs/kernel-rules.md §5 I2/I3; bench-core
 * `anon-exclusive`): __folio_add_anon_rmap() warns when an exclusive page gains a second mapping.
 */
import { hasAnonExclusive } from '../eras.js';
import type { Folio, Kernel, Page } from '../include/mm_types.js';
import { PageAnonExclusive } from '../include/page-flags.js';
import type { Truth } from '../recount/truth.js';
import { defineInvariant } from './defineInvariant.js';

export default defineInvariant({
  name: 'anonExclusiveMappedOnce',
  property: 'ae',
  description:
    'A PageAnonExclusive page is mapped by at most one PTE, so it is never shared (I2, I3; bench-core anon-exclusive).',
  appliesTo: hasAnonExclusive,
  holds: (k, t) => {
    for (let u = 0; u < t.nrUsed; u++) {
      const s = t.used[u] as number;
      const pages = (k.folio[s] as Folio).pages;
      for (let j = 0; j < pages.length; j++) if (!holdsFor(k, t, s, j)) return false;
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (!folio.used) return;
      folio.pages.forEach((_, j) => {
        if (holdsFor(k, t, s, j)) return;
        if (j >= folio.nr_pages)
          out.push(`folio ${s} page ${j} is AnonExclusive, past the end of the folio (nr_pages ${folio.nr_pages})`);
        else out.push(`folio ${s} page ${j} is AnonExclusive but mapped ${t.allMaps(s, j)} times`);
      });
    });
    return out;
  },
});

/** Page `j` of folio `s`: not marked beyond the folio's end, and mapped at most once if it reads exclusive. */
function holdsFor(k: Kernel, t: Truth, s: number, j: number): boolean {
  const folio = k.folio[s] as Folio;
  const page = folio.pages[j] as Page;
  if (j >= folio.nr_pages) return !page.anon_exclusive;
  return !PageAnonExclusive(k, folio, page) || t.allMaps(s, j) <= 1;
}
