/**
 * wp(m,a): bench-core's write fault on a write-protected PTE, and the store that caused it.
 */
import { storeFreshValue } from '../mm/memory/access.js';
import { do_wp_page } from '../mm/memory/do_wp_page.js';
import { defineStep, hex, NO_FREE_SLOT, perAddress } from './defineStep.js';

export default defineStep({
  name: 'wp',
  params: ['mm', 'addr'],
  summary: "bench-core's write fault on a write-protected PTE (`do_wp_page()`: reuse or copy), then the store",
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'wp', mm, addr })),
  apply(k, a) {
    const ret = do_wp_page(k, a.mm, a.addr, 'write');
    if (ret === 0) storeFreshValue(k, a.mm, a.addr);
    return ret;
  },
  format: (a) => `do_wp_page(mm${a.mm}, ${hex(a.addr)})  write fault on a write-protected PTE`,
  whyNot: {
    EINVAL: 'the PTE is not present or already writable (wp is a write fault on a write-protected PTE)',
    ENOMEM: NO_FREE_SLOT,
  },
});
