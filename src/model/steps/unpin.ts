/**
 * unpin(k): drop pin entry k.
 */
import { unpin_user_page } from '../mm/gup/unpin_user_page.js';
import { defineStep, hex, need } from './defineStep.js';

export default defineStep({
  name: 'unpin',
  params: ['pin'],
  summary: '`unpin_user_page()` of pin entry k',
  needs: { bounds: (b) => need(b.pins >= 1, 'pins', 'at least 1 (a pin entry)') },
  instances: (cfg) => Array.from({ length: cfg.pins }, (_, pin) => ({ kind: 'unpin' as const, pin })),
  apply: (k, a) => unpin_user_page(k, a.pin),
  format(a, k) {
    const pin = k?.pin[a.pin];
    const where = pin?.live ? ` of mm${pin.mm} ${hex(pin.addr)}` : '';
    return `unpin_user_page(pin ${a.pin}${where})`;
  },
  whyNot: { EINVAL: 'that pin entry is empty or a FOLL_GET reference (put drops those)' },
});
