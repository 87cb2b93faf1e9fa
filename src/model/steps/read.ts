/**
 * read(m,a): a user load, faulting first when nothing is mapped (the zero page, or a folio with
 * --read-allocates) or swapped out.
 */
import { userRead } from '../mm/memory/access.js';
import { defineStep, hex, NO_FREE_SLOT, perAddress, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'read',
  params: ['mm', 'addr'],
  summary:
    'a user load: `handle_mm_fault()` when the PTE does not allow it (a read maps the zero page, or a folio ' +
    'with `--read-allocates`; swap-in); ' +
    'a read that needs no fault changes nothing',
  // A read fault maps the zero page without an anon_vma (do_anonymous_page()), which fork then does not
  // copy (vma_needs_copy()): whether a VMA has one is VMA state, so the state tracks VMAs.
  needs: { specialPtes: true, vmas: true },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'read', mm, addr })),
  apply: (k, a) => userRead(k, a.mm, a.addr),
  format: (a) => `read(mm${a.mm}, ${hex(a.addr)})  user load: handle_mm_fault() if needed`,
  whyNot: {
    EFAULT: UNMAPPED,
    ENOMEM: NO_FREE_SLOT,
    NOP: 'the access needs no fault and changes nothing',
  },
});
