/**
 * A writable PTE maps a page whose PG_anon_exclusive is set (docs/kernel-rules.md §5 I1; bench-core `cow`): a write
 * through a shared page would be seen by every other mm that maps it. wp_page_reuse() and do_swap_page()
 * assert it.
 */
import { hasAnonExclusive } from '../eras.js';
import type { Folio, Kernel, Page } from '../include/mm_types.js';
import { PageAnonExclusive } from '../include/page-flags.js';
import { defineInvariant, hex } from './defineInvariant.js';

function exclusive(k: Kernel, folio: number, page: number): boolean {
  const f = k.folio[folio] as Folio | undefined;
  const p = f?.pages[page] as Page | undefined;
  return f !== undefined && p !== undefined && PageAnonExclusive(k, f, p);
}

export default defineInvariant({
  name: 'writablePteIsExclusive',
  property: 'writable',
  description:
    'A writable PTE maps an anon page whose PG_anon_exclusive is set: no writable shared anon page (I1; bench-core cow).',
  appliesTo: hasAnonExclusive,
  holds: (k) => {
    for (const mm of k.mm) {
      for (const pte of mm.pte) if (pte.present && pte.write && !exclusive(k, pte.folio, pte.page)) return false;
      for (const pmd of mm.pmd) if (pmd.huge && pmd.write && !exclusive(k, pmd.folio, 0)) return false;
    }
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.mm.forEach((mm, m) => {
      mm.pte.forEach((pte, a) => {
        if (pte.present && pte.write && !exclusive(k, pte.folio, pte.page)) {
          out.push(`mm${m} PTE ${hex(a)} is writable but folio ${pte.folio} page ${pte.page} is not AnonExclusive`);
        }
      });
      mm.pmd.forEach((pmd, t) => {
        if (pmd.huge && pmd.write && !exclusive(k, pmd.folio, 0)) {
          out.push(`mm${m} huge PMD ${t} is writable but the head of folio ${pmd.folio} is not AnonExclusive`);
        }
      });
    });
    return out;
  },
});
