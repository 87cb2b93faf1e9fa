/**
 * fault(m,a): bench-core's write fault on an empty PTE, and the store that caused it.
 */

import { storeFreshValue } from '../mm/memory/access.js';
import { do_anonymous_page } from '../mm/memory/do_anonymous_page.js';
import { defineStep, hex, NO_FREE_SLOT, perAddress, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'fault',
  params: ['mm', 'addr'],
  summary:
    "bench-core's write fault on an empty PTE (`do_anonymous_page()`, a large folio where the aligned range " +
    'is empty and in one VMA), then the store',
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'fault', mm, addr })),
  apply(k, a) {
    const ret = do_anonymous_page(k, a.mm, a.addr);
    if (ret === 0) storeFreshValue(k, a.mm, a.addr);
    return ret;
  },
  format: (a) => `do_anonymous_page(mm${a.mm}, ${hex(a.addr)})  write fault on an empty PTE`,
  whyNot: {
    EFAULT: UNMAPPED,
    EEXIST: 'the PTE is not none (fault is a write fault on an empty PTE; wp handles a write-protected one)',
    ENOMEM: NO_FREE_SLOT,
  },
});
