/**
 * A folio's references are exactly its mappings and its pins (kernel-mm.md §1.5, §5 I8; bench-core
 * `refcount`), and a free slot holds nothing. The model has no transient references, so ">=" is "=".
 */

import { folio_mapcount } from '../include/mm.js';
import type { Folio } from '../include/mm_types.js';
import { defineInvariant } from './defineInvariant.js';

function freeSlotIsClear(folio: Folio): boolean {
  if (folio.nr_pages !== 0 || folio._refcount !== 0 || folio._pincount !== 0) return false;
  if (folio._tuple_mapcount !== 0) return false;
  for (const page of folio.pages) if (page._mapcount !== 0 || page.anon_exclusive) return false;
  return true;
}

export default defineInvariant({
  name: 'refcountIsMappingsPlusPins',
  description:
    'An allocated folio has _refcount = its mappings + _pincount; a free slot holds all zeros (I8; bench-core refcount).',
  holds: (k) => {
    for (const folio of k.folio) {
      if (folio.used) {
        if (folio._refcount !== folio_mapcount(folio) + folio._pincount) return false;
      } else if (!freeSlotIsClear(folio)) {
        return false;
      }
    }
    return true;
  },
  explain: (k) => {
    const out: string[] = [];
    k.folio.forEach((folio, s) => {
      if (folio.used && folio._refcount !== folio_mapcount(folio) + folio._pincount) {
        out.push(
          `folio ${s}: _refcount ${folio._refcount}, but mappings ${folio_mapcount(folio)} + _pincount ${folio._pincount}`,
        );
      } else if (!folio.used && !freeSlotIsClear(folio)) {
        out.push(`folio slot ${s} is free but not clear`);
      }
    });
    return out;
  },
});
