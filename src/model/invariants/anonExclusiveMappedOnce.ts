/**
 * A page marked PG_anon_exclusive is mapped by at most one PTE (kernel-mm.md §5 I2/I3; bench-core
 * `anon-exclusive`): __folio_add_anon_rmap() warns when an exclusive page gains a second mapping.
 */
import { defineInvariant } from './defineInvariant.js';

export default defineInvariant({
  name: 'anonExclusiveMappedOnce',
  description:
    'A PageAnonExclusive page is mapped by at most one PTE, so it is never shared (I2, I3; bench-core anon-exclusive).',
  holds: (k, t) => {
    for (let s = 0; s < k.folio.length; s++) {
      const folio = k.folio[s];
      if (folio === undefined || !folio.used) continue;
      for (let j = 0; j < folio.pages.length; j++) {
        if (!folio.pages[j]?.anon_exclusive) continue;
        if (j >= folio.nr_pages || t.maps(s, j) > 1) return false;
      }
    }
    return true;
  },
  explain: (k, t) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (!folio.used) return;
      folio.pages.forEach((page, j) => {
        if (page.anon_exclusive && (j >= folio.nr_pages || t.maps(s, j) > 1)) {
          out.push(`folio ${s} page ${j} is AnonExclusive but mapped by ${t.maps(s, j)} PTEs`);
        }
      });
    });
    return out;
  },
});
