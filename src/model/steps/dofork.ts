/**
 * dofork(m,a,n): MADV_DOFORK, fork() copies the range again.
 */
import { madvise_dontfork } from '../mm/madvise/madvise_vma_behavior.js';
import { defineStep, hex, perRange } from './defineStep.js';

export default defineStep({
  name: 'dofork',
  params: ['mm', 'addr', 'nr'],
  summary: 'MADV_DOFORK (`madvise_vma_behavior()` clears VM_DONTCOPY)',
  needs: { vmas: true },
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'dofork', mm, addr, nr }]),
  apply: (k, a) => madvise_dontfork(k, a.mm, a.addr, a.nr, false),
  format: (a) => `madvise(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, MADV_DOFORK)`,
  whyNot: {
    EFAULT: 'the mm does not exist or the range has a hole',
    NOP: 'no page of the range is MADV_DONTFORK',
  },
});
