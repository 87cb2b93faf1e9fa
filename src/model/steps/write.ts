/**
 * write(m,a): a user store, faulting first when the PTE does not allow it.
 */
import { userWrite } from '../mm/memory/access.js';
import { defineStep, hex, NO_FREE_SLOT, perAddress } from './defineStep.js';

export default defineStep({
  name: 'write',
  params: ['mm', 'addr'],
  summary:
    'a user store: `handle_mm_fault(FAULT_FLAG_WRITE)` when the PTE does not allow it (anonymous fault, ' +
    'write-protect fault: reuse or copy, swap-in), then the store',
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'write', mm, addr })),
  apply: (k, a) => userWrite(k, a.mm, a.addr),
  format: (a) => `write(mm${a.mm}, ${hex(a.addr)})  user store: handle_mm_fault(FAULT_FLAG_WRITE) if needed`,
  whyNot: {
    EFAULT: 'the mm does not exist, or the address is not mapped or not writable (SIGSEGV)',
    ENOMEM: NO_FREE_SLOT,
    NOP: 'the access needs no fault and changes nothing',
  },
});
