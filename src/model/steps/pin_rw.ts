/**
 * pin(m,a,rw): a read-write FOLL_PIN | FOLL_LONGTERM | FOLL_WRITE pin.
 */
import { pin_user_pages } from '../mm/gup/pin_user_pages.js';
import { defineStep, hex, need, perAddress, RO_RW, UNMAPPED } from './defineStep.js';

export default defineStep({
  name: 'pin_rw',
  params: ['mm', 'addr'],
  alias: { name: 'pin', words: RO_RW, value: 1, labelled: true },
  summary: 'an R/W pin (FOLL_WRITE: `pin_user_pages()` faults for write first)',
  needs: { bounds: (b) => need(b.pins >= 1, 'pins', 'at least 1 (a pin entry)') },
  instances: (cfg) => perAddress(cfg, (mm, addr) => ({ kind: 'pin_rw', mm, addr })),
  apply: (k, a) => pin_user_pages(k, a.mm, a.addr, true),
  format: (a) => `pin_user_pages(mm${a.mm}, ${hex(a.addr)}, FOLL_LONGTERM | FOLL_WRITE)  R/W pin`,
  whyNot: {
    EFAULT: UNMAPPED,
    EEXIST: 'a live pin already names this address',
    ENOMEM: 'every pin entry is in use, or the write fault needs a folio slot and none is free',
  },
});
