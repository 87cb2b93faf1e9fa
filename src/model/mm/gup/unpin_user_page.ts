/**
 * unpin_user_page - drop a FOLL_PIN pin
 *
 * Models:   mm/gup.c unpin_user_page() -> gup_put_folio(FOLL_PIN); 5.7+ pin accounting (docs/kernel-rules.md §2.11).
 * Context:  one step; AnonExclusive is left as it is.
 * Return:   0, or 'EINVAL' if that pin entry is empty or a FOLL_GET reference (put_page() drops those).
 * Deviates: as pin_user_pages(): one reference per pin and an exact `_pincount` on every folio.
 */

import { folio_put } from '../../include/mm.js';
import type { Folio, Kernel } from '../../include/mm_types.js';
import { pin_remove } from './pin_table.js';

export function unpin_user_page(k: Kernel, idx: number): 0 | 'EINVAL' {
  const pins = k.pin;
  const pin = pins[idx];
  if (pin === undefined || !pin.live || pin.get) return 'EINVAL';
  const slot = pin.folio;
  const folio = k.folio[slot] as Folio;
  folio._pincount -= 1;
  pin_remove(pins, idx);
  folio_put(k, slot);
  return 0;
}
