/**
 * cold(m,a,n): MADV_COLD of an aligned range: folios this mm alone maps are deactivated, and a large folio
 * the range covers in part is split first; folios that may be mapped shared are left alone.
 */
import { madvise_cold } from '../mm/madvise/madvise_pageout.js';
import { defineStep, hex, perRange } from './defineStep.js';

export default defineStep({
  name: 'cold',
  params: ['mm', 'addr', 'nr'],
  summary:
    'MADV_COLD (`madvise_cold_or_pageout_pte_range()`): folios mapped by this mm alone are deactivated ' +
    '(split first when the range covers part of one); folios maybe mapped shared are left alone. No LRU ' +
    'is modelled: its splits are what it changes',
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'cold', mm, addr, nr }]),
  apply: (k, a) => madvise_cold(k, a.mm, a.addr, a.nr),
  format: (a) => `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_COLD)`,
  whyNot: {
    EFAULT: 'the mm does not exist or the range has a hole',
    ENOMEM: 'a split finds no free folio slot (the bounds)',
  },
});
