/**
 * unpin_user_page - drop a FOLL_PIN pin
 *
 * Models:   mm/gup.c unpin_user_page() -> gup_put_folio(FOLL_PIN); 5.7+ pin accounting (kernel-mm.md §2.11).
 * Context:  one step; AnonExclusive is left as it is.
 * Return:   0, or 'EINVAL' if that pin entry is empty.
 * Deviates: as pin_user_pages(): one reference per pin and an exact `_pincount` on every folio.
 */

import { folio_put } from '../../include/mm.js';
import type { Folio, Kernel, Pin } from '../../include/mm_types.js';
import { copyPin } from '../../plain.js';

export function unpin_user_page(k: Kernel, idx: number): 0 | 'EINVAL' {
  const pins = k.pin;
  const pin = pins[idx];
  if (pin === undefined || !pin.live) return 'EINVAL';
  const slot = pin.folio;
  const folio = k.folio[slot] as Folio;
  folio._pincount -= 1;
  for (let i = idx; i + 1 < pins.length; i++) copyPin(pins[i + 1] as Pin, pins[i] as Pin);
  const tail = pins[pins.length - 1] as Pin;
  tail.live = false;
  tail.mm = 0;
  tail.addr = 0;
  tail.folio = 0;
  tail.page = 0;
  tail.attached = false;
  folio_put(k, slot);
  return 0;
}
