/**
 * zap(m,a,n): MADV_DONTNEED of an aligned range.
 */
import { zap_pte_range } from '../mm/memory/zap_pte_range.js';
import { defineStep, hex, perRange, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'zap',
  params: ['mm', 'addr', 'nr'],
  summary: 'MADV_DONTNEED of an aligned range (`zap_pte_range()`, splitting a partly covered PMD first)',
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'zap', mm, addr, nr }]),
  apply: (k, a) => zap_pte_range(k, a.mm, a.addr, a.nr),
  format: (a) => `zap_pte_range(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  MADV_DONTNEED`,
  whyNot: {
    EFAULT: UNMAPPED,
    ENOENT: 'no PTE in the range is present, so nothing would change',
  },
});
