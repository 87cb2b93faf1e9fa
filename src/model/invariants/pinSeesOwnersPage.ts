/**
 * A pin keeps seeing the page its owner maps (docs/kernel-rules.md §5 I7; bench-core `pin-coherent`): while the
 * owner has not unmapped the pinned address, its PTE there still maps the pinned page. A COW that replaced
 * it would leave the device or pipe on a page the process no longer uses (§4 B3, B4).
 */
import type { Kernel, Pin } from '../include/mm_types.js';
import { follow_page_folio, follow_page_index } from '../mm/gup/follow_page.js';
import { defineInvariant, hex } from './defineInvariant.js';

function coherent(k: Kernel, pin: Pin): boolean {
  // A FOLL_GET reference (vmsplice()) promises no coherence: a COW may leave it on the old page.
  if (!pin.live || !pin.attached || pin.get) return true;
  const mm = k.mm[pin.mm];
  if (mm === undefined) return false;
  return follow_page_folio(k, mm, pin.addr) === pin.folio && follow_page_index(k, mm, pin.addr) === pin.page;
}

export default defineInvariant({
  name: 'pinSeesOwnersPage',
  property: 'pin',
  description:
    "A live pin whose address is still mapped names the page that the owner's PTE maps (I7; bench-core pin-coherent).",
  holds: (k) => {
    for (const pin of k.pin) if (!coherent(k, pin)) return false;
    return true;
  },
  explain: (k) =>
    k.pin
      .map((pin, i) => ({ pin, i }))
      .filter(({ pin }) => !coherent(k, pin))
      .map(({ pin, i }) => {
        const mm = k.mm[pin.mm];
        const slot = mm === undefined ? -1 : follow_page_folio(k, mm, pin.addr);
        const now =
          mm !== undefined && slot >= 0 ? `folio ${slot} page ${follow_page_index(k, mm, pin.addr)}` : 'nothing';
        return `pin ${i} holds folio ${pin.folio} page ${pin.page}, but mm${pin.mm} ${hex(pin.addr)} maps ${now}`;
      }),
});
