/**
 * split_pmd(m,a): split the huge PMD of the page table at a into PTEs.
 */
import { __split_huge_pmd } from '../mm/huge_memory/__split_huge_pmd.js';
import { defineStep, hex, need, perTable } from './defineStep.js';

export default defineStep({
  name: 'split_pmd',
  params: ['mm', 'addr'],
  summary: '`__split_huge_pmd()`: the huge PMD of the page table at a becomes a table of PTEs',
  needs: {
    // Only thp maps a huge PMD (do_huge_pmd_anonymous_page()); without it there is never one to split.
    bounds: (b) =>
      need(b.pt >= 2, 'pt', 'at least 2 (a huge PMD maps a folio of --pt pages)') ??
      need(b.ops.includes('thp'), 'ops', 'thp as well (only thp maps a huge PMD to split)'),
  },
  instances: (cfg) => perTable(cfg, (mm, addr) => ({ kind: 'split_pmd', mm, addr })),
  apply: (k, a) => __split_huge_pmd(k, a.mm, a.addr),
  format: (a) => `__split_huge_pmd(mm${a.mm}, ${hex(a.addr)})`,
  whyNot: { EINVAL: 'the PMD is not huge' },
});
