/**
 * zap_pte_range() and the swapcache (docs/kernel-rules.md §2.6 step 4, §1.6): the mmu_gather drops a zapped folio
 * through free_pages_and_swap_cache() -> free_swap_cache() (mm/swap_state.c), which takes the folio out of the
 * swapcache only once it is no longer mapped (`!folio_mapped(folio)`) and no swap entry names its slot any more
 * (folio_free_swap(): `!folio_swapped()`). Whatever else holds the folio (a GUP reference) keeps it, outside the
 * swapcache.
 */
import { describe, it } from 'vitest';
import {
  clearPte,
  config,
  expectStep,
  fault,
  folioOf,
  fork,
  get,
  kernelAfter,
  pageOf,
  pinOf,
  read,
  reclaim,
  zap,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ ops: ['fault', 'zap', 'fork', 'read', 'reclaim', 'get', 'put'], swap: 2, large: 1, ...over });

describe('zap_pte_range, a swapcache folio (free_swap_cache())', () => {
  it('§2.6 free_swap_cache(): the last mapping gone and no swap entry left, the folio leaves the swapcache though a GUP reference still holds it', () => {
    // Swapped out and read back in: the swapcache folio, swap count 0 (the entry was replaced by the PTE),
    // mapped once, held by a FOLL_GET reference too: _refcount 3 (mapping, swapcache, reference).
    const before = kernelAfter(cfg(), [fault(0, 0), reclaim(0, 0, 1), read(0, 0), get(0, 0)]);
    expectStep(before, zap(0, 0, 1), (d) => {
      clearPte(d, 0, 0);
      pageOf(d, 0, 0)._mapcount = 0; // AE stays set: stale, harmless (§2.6.4)
      Object.assign(d.swap[0] ?? {}, { used: false, count: 0, data: 0, cache: false, folio: 0 });
      folioOf(d, 0)._refcount = 1; // the FOLL_GET reference's
      pinOf(d, 0).attached = false;
    });
  });

  it('§2.6 free_swap_cache(): a folio another mm still maps stays in the swapcache', () => {
    // Swapped out before the fork, read back in by both: one swapcache folio mapped by both, swap count 0.
    const before = kernelAfter(cfg(), [fault(0, 0), reclaim(0, 0, 1), fork(0), read(0, 0), read(1, 0)]);
    expectStep(before, zap(1, 0, 1), (d) => {
      clearPte(d, 1, 0);
      pageOf(d, 0, 0)._mapcount = 1;
      folioOf(d, 0)._refcount = 2; // mm0's mapping and the swapcache's
    });
  });
});
