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
  exit,
  expectRefused,
  folioOf,
  fork,
  kernelAfter,
  pageout,
  pinRw,
  pmdOf,
  pteOf,
  reclaim,
  THP_SWAP_OPS,
  thp,
  write,
  zap,
} from '../../../../test/helpers.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { activateFigures, Figures } from '../../consequences.js';
import type { Era } from '../../eras.js';
import type { Kernel } from '../../include/mm_types.js';

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

/** Applies pageout and expects it enabled: the kernel after it. */
function pagedOut(k: Kernel, addr: number, nr: number): Kernel {
  expect(applyAction(k, pageout(0, addr, nr))).toBe(0);
  return k;
}

describe('madvise_pageout(): what is paged out (madvise_cold_or_pageout_pte_range(), v6.15)', () => {
  it('an mm that exited: EFAULT (without VMAs tracked, so no later check refuses it)', () => {
    expectRefused(kernelAfter(cfg({ era: '6.15' }), [write(0, 0), fork(0), exit(1)]), pageout(1, 0, 1), 'EFAULT');
  });

  it('a range over nothing mapped pages nothing out (ENOENT); the mapped page after a hole is paged out', () => {
    const k = kernelAfter(cfg({ era: '6.15', large: 1 }), [write(0, 2)]);
    expectRefused(k, pageout(0, 0, 1), 'ENOENT');
    expect(pteOf(pagedOut(k, 0, 4), 0, 2).swp).toBe(true);
  });

  it('a small page another mm maps is left alone (folio_mapcount() != folio_nr_pages(): ENOENT)', () => {
    expectRefused(kernelAfter(cfg({ era: '6.15', large: 1 }), [write(0, 0), fork(0)]), pageout(0, 0, 1), 'ENOENT');
  });

  it('a pinned page is not paged out (reclaim skips maybe-pinned folios, 5.8+): ENOENT', () => {
    expectRefused(kernelAfter(cfg({ era: '6.15', large: 1, pins: 1 }), [pinRw(0, 0)]), pageout(0, 0, 1), 'ENOENT');
  });

  it('a large folio the range covers whole, mapped by this mm alone, is paged out whole', () => {
    const k = pagedOut(kernelAfter(cfg({ era: '6.15' }), [write(0, 0)]), 0, 4);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true, true]);
  });

  it('6.15: an exclusive large folio covered in part is split (the MM-ID says one mm) and the page paged out', () => {
    const k = pagedOut(kernelAfter(cfg({ era: '6.15' }), [write(0, 0)]), 0, 1);
    expect(pteOf(k, 0, 0).swp).toBe(true);
    expect(folioOf(k, pteOf(k, 0, 1).folio).nr_pages).toBe(1);
  });

  it('5.19: the estimate counts page 0’s mappings: shared after fork, so neither split nor paged out', () => {
    const k = kernelAfter(cfg({ era: '5.19' }), [write(0, 0), fork(0)]);
    expectRefused(k, pageout(0, 0, 1), 'ENOENT');
    expect(folioOf(k, pteOf(k, 0, 0).folio).nr_pages).toBe(4);
  });

  it('no free folio slot for the split (ENOMEM, the model’s bound), for a part and for the whole folio', () => {
    const k = kernelAfter(cfg({ era: '6.15', slots: 2 }), [write(0, 0)]);
    expectRefused(k, pageout(0, 0, 1), 'ENOMEM');
    expectRefused(k, pageout(0, 0, 4), 'ENOMEM');
    // Reclaim is not strict: it skips the folio it cannot split.
    expectRefused(k, reclaim(0, 0, 4), 'ENOENT');
  });

  it('counts each "not shared" answer, and those for a folio another mm maps (decision point pageout-shared)', () => {
    const k = kernelAfter(cfg({ era: '6.15', decider: 'tuple-naive' }), [write(0, 0), fork(0), zap(0, 1, 1)]);
    const f = new Figures();
    activateFigures(f);
    try {
      applyAction(k, pageout(0, 0, 1));
    } finally {
      activateFigures(undefined);
    }
    // mm0 unmapped page 1 of the folio, and the tuple count of (VMA, page table) pairs dropped to one:
    // "not shared", though mm1 maps the folio.
    expect(Object.fromEntries(f.counts)).toMatchObject({ 'pageout-decisions': 1, 'pageout-shared': 1 });
  });
});

describe('madvise_pageout(): a huge PMD (madvise_cold_or_pageout_huge_pmd())', () => {
  const huge = (over: Partial<Bounds> = {}) => cfg(over);

  it('covered whole and mapped by this mm alone: paged out', () => {
    const k = pagedOut(kernelAfter(huge({ era: '6.15' }), [thp(0, 0)]), 0, 4);
    expect(pmdOf(k, 0, 0).huge).toBe(false);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true, true]);
  });

  for (const era of ['5.19', '6.15'] as Era[]) {
    it(`${era}: covered whole but shared with a child: left alone (ENOENT)`, () => {
      const k = kernelAfter(huge({ era }), [thp(0, 0), fork(0)]);
      expectRefused(k, pageout(0, 0, 4), 'ENOENT');
    });
  }

  it('covered whole but pinned: reclaim skips it (ENOENT); too few swap slots for its pages: ENOMEM', () => {
    expectRefused(kernelAfter(huge({ era: '6.15', pins: 1 }), [thp(0, 0), pinRw(0, 0)]), pageout(0, 0, 4), 'ENOENT');
    expectRefused(kernelAfter(huge({ era: '6.15', swap: 2 }), [thp(0, 0)]), pageout(0, 0, 4), 'ENOMEM');
  });

  it('covered in part: the PMD is split and the page paged out', () => {
    const k = pagedOut(kernelAfter(huge({ era: '6.15' }), [thp(0, 0)]), 0, 1);
    expect(pmdOf(k, 0, 0).huge).toBe(false);
    expect(pteOf(k, 0, 0).swp).toBe(true);
    expect(pteOf(k, 0, 1).present).toBe(true);
  });
});
