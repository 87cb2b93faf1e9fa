/**
 * get(m,a): a FOLL_GET reference to the page, as vmsplice() into a pipe takes one (no pin, no unshare).
 */
import { get_user_pages } from '../mm/gup/get_user_pages.js';
import { defineStep, hex, need, perAddress } from './defineStep.js';

export default defineStep({
  name: 'get',
  params: ['mm', 'addr'],
  summary:
    'a FOLL_GET reference (vmsplice(); `get_user_pages()` without FOLL_PIN): `_refcount` + 1, no unshare, no `_pincount`',
  needs: { bounds: (b) => need(b.pins >= 1, 'pins', 'at least 1 (a pin entry, which a reference uses)') },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'get', mm, addr })),
  apply: (k, a) => get_user_pages(k, a.mm, a.addr),
  format: (a) => `get_user_pages(mm${a.mm}, ${hex(a.addr)}, FOLL_GET)  vmsplice() reference`,
  whyNot: {
    EFAULT: 'the mm does not exist, or the address maps no anonymous folio (none, or the zero page)',
    EEXIST: 'a live pin or reference already names this address',
    ENOMEM: 'every pin entry is in use, or a fault needs a folio slot and none is free',
  },
});
