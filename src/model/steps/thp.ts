/**
 * thp(m,a): a write fault that maps a PMD-sized folio with one huge PMD, and the store that caused it.
 */
import { do_huge_pmd_anonymous_page } from '../mm/huge_memory/do_huge_pmd_anonymous_page.js';
import { storeFreshValue } from '../mm/memory/access.js';
import { defineStep, hex, NO_FREE_SLOT, need, perAddress } from './defineStep.js';

export default defineStep({
  name: 'thp',
  params: ['mm', 'addr'],
  summary: 'a write fault that maps a PMD-sized folio with one huge PMD (`do_huge_pmd_anonymous_page()`)',
  needs: {
    hugePmds: true,
    bounds: (b) => need(b.pt >= 2, 'pt', 'at least 2 (a PMD-sized folio of one page is a small folio)'),
  },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'thp', mm, addr })),
  apply(k, a) {
    const ret = do_huge_pmd_anonymous_page(k, a.mm, a.addr);
    if (ret === 0) storeFreshValue(k, a.mm, a.addr);
    return ret;
  },
  format: (a) => `do_huge_pmd_anonymous_page(mm${a.mm}, ${hex(a.addr)})  write fault maps a PMD-sized folio`,
  whyNot: {
    EFAULT: 'the mm does not exist or the PMD range is not inside one writable VMA',
    EEXIST: 'the PMD is not none (a PTE table with an entry, or a huge PMD)',
    ENOMEM: NO_FREE_SLOT,
  },
});
