/**
 * Every present PTE maps a page of an allocated folio (bench-core `ptes-valid`): no PTE points at freed
 * memory (kernel: a use-after-free; print_bad_pte() / bad_page()).
 */
import type { Kernel } from '../include/mm_types.js';
import { defineInvariant, hex } from './defineInvariant.js';

function* bad(k: Kernel): Generator<string> {
  for (let m = 0; m < k.mm.length; m++) {
    const mm = k.mm[m];
    if (mm === undefined) continue;
    for (let a = 0; a < mm.pte.length; a++) {
      const pte = mm.pte[a];
      if (pte === undefined || !pte.present) continue;
      const folio = k.folio[pte.folio];
      if (folio === undefined || !folio.used || pte.page >= folio.nr_pages) {
        yield `mm${m} PTE ${hex(a)} maps folio ${pte.folio} page ${pte.page}, which is not allocated`;
      }
    }
  }
}

export default defineInvariant({
  name: 'ptesMapAllocatedPages',
  description: 'Every present PTE maps a page of an allocated folio (bench-core ptes-valid).',
  holds: (k) => {
    for (const mm of k.mm) {
      for (const pte of mm.pte) {
        if (!pte.present) continue;
        const folio = k.folio[pte.folio];
        if (folio === undefined || !folio.used || pte.page >= folio.nr_pages) return false;
      }
    }
    return true;
  },
  explain: (k) => [...bad(k)],
});
