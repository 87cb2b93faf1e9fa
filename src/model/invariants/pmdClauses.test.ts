/**
 * The PMD clauses of the invariants (docs/kernel-rules.md §5 I1, I2, I9, I12): a huge PMD counts in
 * _entire_mapcount, not in the pages' _mapcount; only the head's AE bit means anything for it; a writable
 * huge PMD needs an AE head; a huge PMD maps a whole allocated PMD-sized folio of a live mm and nothing
 * else maps that range. Each on a state broken by hand, with the words explain() gives.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  exit,
  fault,
  fork,
  kernelAfter,
  mmOf,
  pageOf,
  pin,
  pmdOf,
  pteOf,
  splitPmd,
  THP_SWAP_OPS,
  thp,
} from '../../../test/helpers.js';
import type { Bounds } from '../config.js';
import type { Kernel } from '../include/mm_types.js';
import { Truth } from '../recount/truth.js';
import anonExclusiveMappedOnce from './anonExclusiveMappedOnce.js';
import type { Invariant } from './defineInvariant.js';
import mapcountMatchesPageTables from './mapcountMatchesPageTables.js';
import ptesMapAllocatedPages from './ptesMapAllocatedPages.js';
import refcountIsMappingsPlusPins from './refcountIsMappingsPlusPins.js';
import writablePteIsExclusive from './writablePteIsExclusive.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

function holds(inv: Invariant, k: Kernel): { ok: boolean; lines: string[] } {
  const t = new Truth(k.cfg);
  t.recount(k);
  return { ok: inv.holds(k, t), lines: inv.explain(k, t) };
}

/** `inv` holds in `good`; after `breakIt` it fails and explains itself with `lines`. */
function expectCaught(inv: Invariant, good: Kernel, breakIt: (k: Kernel) => void, lines: string[]): void {
  expect(holds(inv, good)).toEqual({ ok: true, lines: [] });
  breakIt(good);
  expect(holds(inv, good)).toEqual({ ok: false, lines });
}

describe('mapcountMatchesPageTables, PMD clause (I9)', () => {
  it('I9: _entire_mapcount is the number of huge PMDs mapping the folio', () => {
    expectCaught(
      mapcountMatchesPageTables,
      kernelAfter(cfg(), [thp(0, 0), fork(0)]),
      (k) => {
        Object.assign(k.folio[0] ?? {}, { _entire_mapcount: 1 }); // a fork that forgot the child's PMD
      },
      ['folio 0: _entire_mapcount 1, but 2 huge PMDs map it'],
    );
  });

  it('I9: a PMD mapping does not count in the pages’ _mapcount', () => {
    expectCaught(
      mapcountMatchesPageTables,
      kernelAfter(cfg(), [thp(0, 0)]),
      (k) => {
        pageOf(k, 0, 1)._mapcount = 1;
      },
      ['folio 0 page 1: _mapcount 1, page tables map it 0 times'],
    );
  });

  it('I9: after a PMD split the PTEs count and the PMD no longer does', () => {
    expectCaught(
      mapcountMatchesPageTables,
      kernelAfter(cfg(), [thp(0, 0), splitPmd(0, 0)]),
      (k) => {
        Object.assign(k.folio[0] ?? {}, { _entire_mapcount: 1 }); // a split that forgot folio_remove_rmap_pmd()
      },
      ['folio 0: _entire_mapcount 1, but 0 huge PMDs map it'],
    );
  });
});

describe('refcountIsMappingsPlusPins, PMD clause (I8)', () => {
  it('I8: a huge PMD holds exactly one reference, whatever the folio’s size', () => {
    expectCaught(
      refcountIsMappingsPlusPins,
      kernelAfter(cfg(), [thp(0, 0), pin(0, 1)]),
      (k) => {
        Object.assign(k.folio[0] ?? {}, { _refcount: 5 }); // a split's +pt-1 without the PTEs
      },
      ['folio 0: _refcount 5, but mappings 1 + _pincount 1'],
    );
  });
});

describe('anonExclusiveMappedOnce, PMD clause (I2, I3)', () => {
  it('I2: the head of a THP mapped by two PMDs is not AE', () => {
    expectCaught(
      anonExclusiveMappedOnce,
      kernelAfter(cfg(), [thp(0, 0), fork(0)]),
      (k) => {
        pageOf(k, 0, 0).anon_exclusive = true; // a fork that kept the head AE
      },
      ['folio 0 page 0 is AnonExclusive but mapped 2 times'],
    );
  });

  it('I2: no page of a THP mapped by two PMDs is AE, tails included', () => {
    expectCaught(
      anonExclusiveMappedOnce,
      kernelAfter(cfg(), [thp(0, 0), fork(0)]),
      (k) => {
        pageOf(k, 0, 2).anon_exclusive = true;
      },
      ['folio 0 page 2 is AnonExclusive but mapped 2 times'],
    );
  });

  it('I2: one PMD plus one PTE of another mm are two mappings of the page', () => {
    expectCaught(
      anonExclusiveMappedOnce,
      kernelAfter(cfg(), [thp(0, 0), fork(0), splitPmd(1, 0)]),
      (k) => {
        pageOf(k, 0, 3).anon_exclusive = true;
      },
      ['folio 0 page 3 is AnonExclusive but mapped 2 times'],
    );
  });
});

describe('writablePteIsExclusive, PMD clause (I1)', () => {
  it('I1: a writable huge PMD whose head is not AE (a COW that reused a shared THP)', () => {
    expectCaught(
      writablePteIsExclusive,
      kernelAfter(cfg(), [thp(0, 0), fork(0)]),
      (k) => {
        pmdOf(k, 1, 0).write = true;
      },
      ['mm1 huge PMD 0 is writable but the head of folio 0 is not AnonExclusive'],
    );
  });

  it('I1: the head’s bit is the one that counts for a PMD: AE tails do not make a non-AE head writable', () => {
    expectCaught(
      writablePteIsExclusive,
      kernelAfter(cfg(), [thp(0, 0)]),
      (k) => {
        for (let j = 1; j < 4; j++) pageOf(k, 0, j).anon_exclusive = true;
        pageOf(k, 0, 0).anon_exclusive = false;
      },
      ['mm0 huge PMD 0 is writable but the head of folio 0 is not AnonExclusive'],
    );
  });
});

describe('ptesMapAllocatedPages, PMD clause (I12)', () => {
  it('I12: a huge PMD maps an allocated folio', () => {
    expectCaught(
      ptesMapAllocatedPages,
      kernelAfter(cfg(), [thp(0, 0)]),
      (k) => {
        pmdOf(k, 0, 0).folio = 1;
      },
      ['mm0 huge PMD 0 maps folio 1, not a whole allocated PMD-sized folio'],
    );
  });

  it('I12: a huge PMD maps only a whole PMD-sized folio, not a small one', () => {
    expectCaught(
      ptesMapAllocatedPages,
      kernelAfter(cfg({ va: 8, large: 1 }), [thp(0, 0), fault(0, 4)]),
      (k) => {
        pmdOf(k, 0, 0).folio = 1;
      },
      ['mm0 huge PMD 0 maps folio 1, not a whole allocated PMD-sized folio'],
    );
  });

  it('an mm that does not exist has no huge PMD', () => {
    expectCaught(
      ptesMapAllocatedPages,
      kernelAfter(cfg(), [thp(0, 0), fork(0), exit(1)]),
      (k) => {
        Object.assign(pmdOf(k, 1, 0), { huge: true, write: false, folio: 0 });
      },
      ['mm1 huge PMD 0 maps folio 0, not a whole allocated PMD-sized folio'],
    );
  });

  it('I12 (as its header says): under a huge PMD the PTE table holds nothing', () => {
    // A PTE of the range still maps a small folio, counts consistent: the PMD hides it from every lookup.
    const good = kernelAfter(cfg({ va: 8, large: 1 }), [thp(0, 0), fault(0, 4)]);
    expect(holds(ptesMapAllocatedPages, good)).toEqual({ ok: true, lines: [] });
    Object.assign(pteOf(good, 0, 1), { ...pteOf(good, 0, 4) });
    Object.assign(pteOf(good, 0, 4), { present: false, write: false, folio: 0, page: 0 });
    expect(mmOf(good, 0).pmd[0]?.huge).toBe(true);
    expect(holds(ptesMapAllocatedPages, good).ok).toBe(false);
  });
});
