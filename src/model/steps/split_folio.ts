/**
 * split_folio(m,a): split the large folio mapped at an address into small ones.
 */
import { split_huge_page } from '../mm/huge_memory/split_huge_page.js';
import { defineStep, hex, NO_FREE_SLOT, need, perAddress, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'split_folio',
  params: ['mm', 'addr'],
  summary: '`split_huge_page()` of the folio mapped there (refused for a pinned folio)',
  needs: {
    // A large folio comes from a write fault of --large pages, or from thp (PMD-sized).
    bounds: (b) =>
      need(b.large >= 2 || (b.ops.includes('thp') && b.pt >= 2), 'large', 'at least 2 (or thp with --pt 2 or more)'),
  },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'split_folio', mm, addr })),
  apply: (k, a) => split_huge_page(k, a.mm, a.addr),
  format: (a) => `split_huge_page(folio at mm${a.mm} ${hex(a.addr)})`,
  whyNot: {
    EFAULT: UNMAPPED,
    EINVAL: 'the folio mapped there is small',
    EAGAIN: 'the folio may be pinned (can_split_folio())',
    ENOMEM: NO_FREE_SLOT,
  },
});
