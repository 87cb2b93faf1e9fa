/**
 * A folio's references are exactly its mappings and its pins (docs/kernel-rules.md §1.5, §5 I8; bench-core
 * `refcount`), plus its FOLL_GET references and the swapcache's, and a free slot holds nothing. The model has no transient references, so ">=" is "=".
 *
 * The hot check reads the head of a free slot only: a free slot's pages are not part of the state (the
 * codec drops them and decoding zero-fills them), so they cannot reach any later state; free_folio()'s
 * clearing of them is a unit test's business.
 */

import { folio_mapcount } from '../include/mm.js';
import type { Folio, Kernel } from '../include/mm_types.js';
import { folio_get_refs } from '../mm/gup/pin_table.js';
import { folio_test_swapcache } from '../mm/swap_state.js';
import { defineInvariant } from './defineInvariant.js';

/** FOLL_GET references and the swapcache's reference (mm/swap_state.ts). */
function otherRefs(k: Kernel, s: number): number {
  return folio_get_refs(k.pin, s) + (k.swap.length > 0 && folio_test_swapcache(k, s) ? 1 : 0);
}

function freeSlotIsClear(folio: Folio): boolean {
  return folio._refcount === 0 && folio.nr_pages === 0 && folio._pincount === 0;
}

export default defineInvariant({
  name: 'refcountIsMappingsPlusPins',
  property: 'other',
  description:
    'An allocated folio has _refcount = its mappings + _pincount (+ FOLL_GET references); a free slot holds all zeros (I8; bench-core refcount).',
  holds: (k) => {
    const folios = k.folio;
    for (let s = 0; s < folios.length; s++) {
      const folio = folios[s] as Folio;
      if (folio.used) {
        // FOLL_GET references and the swapcache's count too, always: a folio that has them and whose
        // count equals mappings + pins alone has lost one. (Cheap where there are none: a walk of the few
        // pins, and no swap slot to look at in bench-core.)
        if (folio._refcount !== folio_mapcount(folio) + folio._pincount + otherRefs(k, s)) return false;
      } else if (!freeSlotIsClear(folio)) {
        return false;
      }
    }
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      const gets = folio_get_refs(k.pin, s);
      const cached = otherRefs(k, s) - gets;
      if (folio.used && folio._refcount !== folio_mapcount(folio) + folio._pincount + gets + cached) {
        out.push(
          `folio ${s}: _refcount ${folio._refcount}, but mappings ${folio_mapcount(folio)} + _pincount ${folio._pincount}` +
            (gets > 0 ? ` + FOLL_GET references ${gets}` : '') +
            (cached > 0 ? ' + the swapcache 1' : ''),
        );
      } else if (!folio.used && !freeSlotIsClear(folio)) {
        out.push(`folio slot ${s} is free but not clear`);
      }
    });
    return out;
  },
});
