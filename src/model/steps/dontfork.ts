/**
 * dontfork(m,a,n): MADV_DONTFORK, fork() will not copy the range.
 */
import { madvise_dontfork } from '../mm/madvise/madvise_vma_behavior.js';
import { defineStep, hex, perRange } from './defineStep.js';

export default defineStep({
  name: 'dontfork',
  params: ['mm', 'addr', 'nr'],
  summary: 'MADV_DONTFORK (`madvise_vma_behavior()` sets VM_DONTCOPY)',
  needs: { vmas: true },
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'dontfork', mm, addr, nr }]),
  apply: (k, a) => madvise_dontfork(k, a.mm, a.addr, a.nr, true),
  format: (a) => `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_DONTFORK)`,
  whyNot: {
    EFAULT: 'the mm does not exist or the range has a hole',
    NOP: 'the range is MADV_DONTFORK already',
  },
});
