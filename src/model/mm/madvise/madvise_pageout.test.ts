/**
 * madvise_pageout(): which large folio MADV_PAGEOUT splits when the range covers part of it. The kernel asks
 * whether the folio may be mapped shared: 6.15 by the MM-ID (folio_maybe_mapped_shared(), 1da190f4d0a6's
 * series), every earlier era by an estimate from the page at the address (page_mapcount(page) != 1 up to
 * 6.4, folio_estimated_sharers() 6.5-6.14: the first page's mapcount). A folio another mm maps only in its
 * tail pages tells the two apart: the estimate says "exclusive" and splits, the MM-ID says "shared".
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  folioOf,
  fork,
  kernelAfter,
  pageout,
  pteOf,
  THP_SWAP_OPS,
  write,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import type { Era } from '../../eras.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ mms: 2, va: 4, pt: 4, large: 4, swap: 4, ops: [...THP_SWAP_OPS, 'pageout'], ...over });

// mm0 faults a 4-page folio, forks; the child unmaps page 0 and keeps pages 1-3.
const tailShared = [write(0, 0), fork(0), zap(1, 0, 1)];

describe('madvise_pageout(): a large folio the range covers in part', () => {
  for (const era of ['5.7', '5.8', '5.9', '5.19'] as Era[]) {
    it(`${era}: the estimate reads page 0, mapped once: the folio is split and page 0 paged out`, () => {
      const k = kernelAfter(cfg({ era }), tailShared);
      const slot = pteOf(k, 0, 0).folio;
      expect(folioOf(k, slot).nr_pages).toBe(4);
      expect(applyAction(k, pageout(0, 0, 1))).toBe(0);
      expect(pteOf(k, 0, 0).swp).toBe(true);
      expect([1, 2, 3].map((a) => folioOf(k, pteOf(k, 0, a).folio).nr_pages)).toEqual([1, 1, 1]);
    });
  }

  it('6.15: the MM-ID knows the child maps pages 1-3: maybe shared, neither split nor paged out (ENOENT)', () => {
    const k = kernelAfter(cfg({ era: '6.15' }), tailShared);
    expectRefused(k, pageout(0, 0, 1), 'ENOENT');
  });
});
