/**
 * munmap(m,a,n): unmap an aligned range; the VMAs shrink or split.
 */
import { do_vmi_munmap } from '../mm/mmap/do_vmi_munmap.js';
import { defineStep, hex, perRange } from './defineStep.js';

export default defineStep({
  name: 'munmap',
  params: ['mm', 'addr', 'nr'],
  summary: 'as zap, and the VMAs shrink or split (`do_vmi_munmap()`)',
  needs: { vmas: true },
  instances: (cfg) => perRange(cfg, (mm, addr, nr) => [{ kind: 'munmap', mm, addr, nr }]),
  apply: (k, a) => do_vmi_munmap(k, a.mm, a.addr, a.nr),
  format: (a) => `do_vmi_munmap(mm${a.mm}, ${hex(a.addr)}, ${a.nr})  munmap`,
  whyNot: {
    EFAULT: 'the mm does not exist',
    NOP: 'nothing in the range is mapped, so nothing would change',
  },
});
