/**
 * split_pmd(m,a): split the huge PMD of the page table at a into PTEs.
 */
import { __split_huge_pmd } from '../mm/huge_memory/__split_huge_pmd.js';
import { defineStep, hex } from './defineStep.js';

export default defineStep({
  name: 'split_pmd',
  params: ['mm', 'addr'],
  summary: '`__split_huge_pmd()`: the huge PMD of the page table at a becomes a table of PTEs',
  instances(cfg) {
    const out: { readonly kind: 'split_pmd'; readonly mm: number; readonly addr: number }[] = [];
    for (let mm = 0; mm < cfg.mms; mm++) {
      for (let addr = 0; addr < cfg.va; addr += cfg.pt) out.push({ kind: 'split_pmd', mm, addr });
    }
    return out;
  },
  apply: (k, a) => __split_huge_pmd(k, a.mm, a.addr),
  format: (a) => `__split_huge_pmd(mm${a.mm}, ${hex(a.addr)})`,
  whyNot: { EINVAL: 'the PMD is not huge' },
});
