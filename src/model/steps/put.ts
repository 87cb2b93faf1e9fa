/**
 * put(k): drop FOLL_GET reference k (the pipe drained or closed).
 */
import { put_page } from '../mm/gup/get_user_pages.js';
import { defineStep, hex, need } from './defineStep.js';

export default defineStep({
  name: 'put',
  params: ['pin'],
  summary: '`put_page()` of reference k (the pipe drained or closed)',
  needs: { bounds: (b) => need(b.pins >= 1, 'pins', 'at least 1 (a pin entry, which a reference uses)') },
  instances: (cfg) => Array.from({ length: cfg.pins }, (_, pin) => ({ kind: 'put' as const, pin })),
  apply: (k, a) => put_page(k, a.pin),
  format(a, k) {
    const pin = k?.pin[a.pin];
    const where = pin?.live ? ` of mm${pin.mm} ${hex(pin.addr)}` : '';
    return `put_page(reference ${a.pin}${where})`;
  },
  whyNot: { EINVAL: 'that entry is empty or a pin (unpin drops a pin)' },
});
