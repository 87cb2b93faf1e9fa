/**
 * mapcountMatchesPageTables (docs/kernel-rules.md §5 I9): each page's _mapcount is the present PTEs mapping
 * it, and the pages beyond a folio's nr_pages hold zero. On states broken by hand at the folio's end and on a
 * freed slot, with the words explain() gives: a count past the end is reported whatever maps it, and what maps
 * a page that does not exist, or a freed slot, is ptesMapAllocatedPages's to report. (Its mutation run showed
 * no test ever put a count past a folio's end, nor asked explain() about a freed slot.)
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  invariantVerdict,
  kernelAfter,
  pageOf,
  pmdOf,
  pteOf,
  read,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import { CORE_OPS } from '../steps/index.js';
import mapcountMatchesPageTables from './mapcountMatchesPageTables.js';
import ptesMapAllocatedPages from './ptesMapAllocatedPages.js';

const verdict = (k: Kernel) => invariantVerdict(mapcountMatchesPageTables, k);

function ptesValid(k: Kernel): boolean {
  const t = new Truth(k.cfg);
  t.recount(k);
  return ptesMapAllocatedPages.holds(k, t);
}

/**
 * bench-core's bounds (order-2 folios) with loads: a read maps the zero page at 0x0, so the fault at 0x1
 * cannot take an aligned order-2 range and allocates a small folio, slot 0, whose pages 1..3 lie past its end.
 */
const smallFolio = (): Kernel => kernelAfter(config({ ops: [...CORE_OPS, 'read'] }), [read(0, 0), fault(0, 1)]);

/** A stray PTE at 0x2 naming page 1 of the small folio: a page it does not have. */
function strayPte(k: Kernel): void {
  Object.assign(pteOf(k, 0, 2), { present: true, write: false, folio: 0, page: 1 });
}

describe('mapcountMatchesPageTables past the end of a folio', () => {
  it('holds on a small folio in a configuration of order-2 folios', () => {
    const k = smallFolio();
    expect(k.folio[0]?.nr_pages).toBe(1);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a _mapcount on the page just past the end breaks it, even where a stray PTE maps that page', () => {
    const k = smallFolio();
    strayPte(k);
    pageOf(k, 0, 1)._mapcount = 1;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0 page 1: _mapcount 1, past the end of the folio (nr_pages 1)'],
    });
  });

  it('a stray PTE on a page past the end is not counted here: ptesMapAllocatedPages reports it', () => {
    const k = smallFolio();
    strayPte(k);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
    expect(ptesValid(k)).toBe(false);
  });
});

describe('mapcountMatchesPageTables on a freed slot', () => {
  it('a PTE or a huge PMD left on a freed slot is not counted here, in holds() or in explain(): a use after free', () => {
    const k = kernelAfter(config(), [fault(0, 0), zap(0, 0, 4)]);
    expect(k.folio[0]?.used).toBe(false);
    Object.assign(pteOf(k, 0, 0), { present: true, write: false, folio: 0, page: 0 });
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
    expect(ptesValid(k)).toBe(false);

    const thpCfg = config({ ops: THP_SWAP_OPS, mms: 1, va: 4, pt: 2, map: 4, large: 2 });
    const h = kernelAfter(thpCfg, [thp(0, 2), zap(0, 2, 2)]);
    expect(h.folio[0]?.used).toBe(false);
    Object.assign(pmdOf(h, 0, 1), { huge: true, write: false, folio: 0 });
    expect(verdict(h)).toEqual({ ok: true, lines: [] });
    expect(ptesValid(h)).toBe(false);
  });
});
