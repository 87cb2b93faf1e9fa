/**
 * reclaim(m,a,n): reclaim of the folios mapped in an aligned range, from every mm that maps them (what
 * `pageout` was before it followed MADV_PAGEOUT; the matrix keeps exploring it). No user-space step.
 */
import { shrink_folio_list } from '../mm/vmscan/shrink_folio_list.js';
import { defineStep, hex, need, perRange } from './defineStep.js';

export default defineStep({
  name: 'reclaim',
  params: ['mm', 'addr', 'nr'],
  summary:
    'reclaim (`shrink_folio_list()`) of the folios mapped in the range, from every mm: `try_to_unmap()` into ' +
    'swap entries with the exclusive marker (refused for maybe-pinned)',
  needs: { bounds: (b) => need((b.swap ?? 0) >= 1, 'swap', 'at least 1 (a swap slot to swap out to)') },
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'reclaim', mm, addr, nr }]),
  apply: (k, a) => shrink_folio_list(k, a.mm, a.addr, a.nr),
  format: (a) => `shrink_folio_list(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  reclaim from every mm`,
  whyNot: {
    EFAULT: 'the mm does not exist',
    ENOENT: 'no folio in the range could be swapped out (none mapped, maybe pinned, or no free swap slot)',
  },
});
