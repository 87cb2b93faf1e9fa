/**
 * mprotect(m,a,n,ro|rw): write-protect an aligned range, or allow writes to it again.
 */
import { mprotect_fixup } from '../mm/mprotect/mprotect_fixup.js';
import { defineStep, hex, perRange, RO_RW } from './defineStep.js';

export default defineStep({
  name: 'mprotect',
  params: ['mm', 'addr', 'nr', 'rw'],
  words: { rw: RO_RW },
  summary:
    '`mprotect_fixup()`: write-protect, or re-allow writes (a PTE becomes writable only if its page is exclusive)',
  needs: { vmas: true },
  instances: (cfg) =>
    perRange(cfg, (mm, addr, nr) => [
      { kind: 'mprotect', mm, addr, nr, rw: 0 },
      { kind: 'mprotect', mm, addr, nr, rw: 1 },
    ]),
  apply: (k, a) => mprotect_fixup(k, a.mm, a.addr, a.nr, a.rw === 1),
  format: (a) => `mprotect_fixup(mm${a.mm}, ${hex(a.addr)}, ${a.nr}, ${a.rw ? 'PROT_READ|PROT_WRITE' : 'PROT_READ'})`,
  whyNot: {
    EFAULT: 'the mm does not exist or the range has a hole',
    NOP: 'the range already has that protection',
  },
});
