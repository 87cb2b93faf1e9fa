/**
 * pin(m,a): a read-only FOLL_PIN | FOLL_LONGTERM pin; scripts also write it `pin(m,a,ro)`.
 */
import { pin_user_pages } from '../mm/gup/pin_user_pages.js';
import { defineStep, hex, need, perAddress, RO_RW, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'pin',
  params: ['mm', 'addr'],
  alias: { name: 'pin', words: RO_RW, value: 0 },
  summary: 'an R/O FOLL_PIN | FOLL_LONGTERM pin (`pin_user_pages()`; unshares a non-exclusive page first)',
  needs: { bounds: (b) => need(b.pins >= 1, 'pins', 'at least 1 (a pin entry)') },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'pin', mm, addr })),
  apply: (k, a) => pin_user_pages(k, a.mm, a.addr),
  format: (a) => `pin_user_pages(mm${a.mm}, ${hex(a.addr)}, FOLL_LONGTERM)  R/O pin`,
  whyNot: {
    EFAULT: UNMAPPED,
    EEXIST: 'a live pin already names this address',
    ENOMEM: 'every pin entry is in use, or the unshare needs a copy and no folio slot is free',
  },
});
