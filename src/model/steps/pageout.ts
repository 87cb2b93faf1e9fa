/**
 * pageout(m,a,n): MADV_PAGEOUT of an aligned range: only folios this mm alone maps are paged out.
 */
import { madvise_pageout } from '../mm/madvise/madvise_pageout.js';
import { defineStep, hex, need, perRange } from './defineStep.js';

export default defineStep({
  name: 'pageout',
  params: ['mm', 'addr', 'nr'],
  summary:
    'MADV_PAGEOUT (`madvise_cold_or_pageout_pte_range()`): folios mapped by this mm alone are reclaimed ' +
    '(split first when the range covers part of one); folios maybe mapped shared are left alone',
  needs: { bounds: (b) => need((b.swap ?? 0) >= 1, 'swap', 'at least 1 (a swap slot to swap out to)') },
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'pageout', mm, addr, nr }]),
  apply: (k, a) => madvise_pageout(k, a.mm, a.addr, a.nr),
  format: (a) => `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_PAGEOUT)`,
  whyNot: {
    EFAULT: 'the mm does not exist or the range has a hole',
    ENOENT: 'no folio in the range was paged out (none mapped, maybe mapped shared, or maybe pinned)',
    ENOMEM: 'a folio the range pages out finds no free swap slot, or a split no free folio slot (the bounds)',
  },
});
