/**
 * madvise_cold_or_pageout_pte_range() for MADV_COLD (step `cold`) and MADV_PAGEOUT (step `pageout`): what is
 * split, what is left alone, the per-VMA walk, and the figures counted when a scheme decides.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  dontfork,
  exit,
  fault,
  fork,
  kernelAfter,
  pinRw,
  pteOf,
  thp,
  write,
  zap,
} from '../../../../test/helpers.js';
import { type Action, applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { activateFigures, Figures } from '../../consequences.js';
import type { Folio, Kernel, Pte } from '../../include/mm_types.js';
import { invariantsFor } from '../../invariants/index.js';
import { Truth } from '../../recount/truth.js';

const cold = (mm: number, addr: number, nr: number): Action => ({ kind: 'cold', mm, addr, nr });
const pageout = (mm: number, addr: number, nr: number): Action => ({ kind: 'pageout', mm, addr, nr });

const cfg = (over: Partial<Bounds> = {}) =>
  config({
    mms: 2,
    va: 4,
    pt: 4,
    large: 4,
    slots: 8,
    pins: 1,
    swap: 4,
    data: true,
    ops: ['fault', 'write', 'read', 'fork', 'exit', 'zap', 'dontfork', 'cold', 'pageout', 'thp', 'pin_rw'],
    ...over,
  });

/** The number of pages of the folio mm `m` maps at `a` (0: none). */
function nrPagesAt(k: Kernel, m: number, a: number): number {
  const pte = k.mm[m]?.pte[a] as Pte;
  return pte.present ? (k.folio[pte.folio] as Folio).nr_pages : 0;
}

function holds(k: Kernel): string[] {
  const t = new Truth(k.cfg);
  t.recount(k);
  return invariantsFor(k.cfg)
    .filter((inv) => !inv.holds(k, t))
    .map((inv) => inv.name);
}

describe('MADV_COLD', () => {
  it('splits an exclusive large folio the range covers in part, and swaps nothing out', () => {
    const k = kernelAfter(cfg(), [fault(0, 0), cold(0, 0, 2)]);
    for (const a of [0, 1, 2, 3]) expect(nrPagesAt(k, 0, a)).toBe(1);
    expect(k.swap.every((s) => !s.used)).toBe(true);
    expect(holds(k)).toEqual([]);
  });

  it('6.15 (6.10+): changes nothing the model keeps for a folio it covers whole (deactivation is LRU state)', () => {
    const c = cfg({ era: '6.15' });
    const k = kernelAfter(c, [fault(0, 0)]);
    const before = JSON.stringify(k);
    expect(applyAction(k, cold(0, 0, 4))).toBe(0);
    expect(JSON.stringify(k)).toBe(before);
  });

  it('leaves a folio that may be mapped shared alone, even covered in part', () => {
    const k = kernelAfter(cfg(), [fault(0, 0), fork(0)]);
    const before = JSON.stringify(k);
    expect(applyAction(k, cold(0, 0, 2))).toBe(0);
    expect(JSON.stringify(k)).toBe(before);
    // Once the child is gone, the same advice splits it.
    expect(applyAction(k, exit(1))).toBe(0);
    expect(applyAction(k, cold(0, 0, 2))).toBe(0);
    expect(nrPagesAt(k, 0, 3)).toBe(1);
  });

  it('walks per VMA: a folio across a VMA boundary is covered in part from either side, so it is split', () => {
    // Found on 6.18 by `foliocheck kernel --random`: the batch of PTEs stops at vm_end.
    const k = kernelAfter(cfg(), [fault(0, 0), dontfork(0, 0, 1), cold(0, 0, 4)]);
    expect(nrPagesAt(k, 0, 0)).toBe(1);
    expect(nrPagesAt(k, 0, 1)).toBe(1);
  });

  it('a huge PMD: left whole when maybe shared; split (folio and PMD) when exclusive and covered in part', () => {
    const shared = kernelAfter(cfg(), [thp(0, 0), fork(0), cold(0, 0, 2)]);
    expect(shared.mm[0]?.pmd[0]?.huge).toBe(true);
    const alone = kernelAfter(cfg(), [thp(0, 0), cold(0, 0, 2)]);
    expect(alone.mm[0]?.pmd[0]?.huge).toBe(false);
    expect(nrPagesAt(alone, 0, 3)).toBe(1);
    expect(holds(alone)).toEqual([]);
  });

  it('a pinned huge PMD covered in part: split_folio() fails and the PMD is left as it is', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), pinRw(0, 0)]);
    const before = JSON.stringify(k);
    expect(applyAction(k, cold(0, 0, 2))).toBe(0);
    expect(JSON.stringify(k)).toBe(before);
  });

  it('MADV_PAGEOUT runs the same walk and pages out what MADV_COLD would only deactivate', () => {
    const k = kernelAfter(cfg(), [fault(0, 0), write(0, 1), pageout(0, 0, 2)]);
    expect(k.mm[0]?.pte[0]?.swp).toBe(true);
    expect(k.mm[0]?.pte[1]?.swp).toBe(true);
    expect(nrPagesAt(k, 0, 2)).toBe(1);
  });
});

describe('MADV_COLD decisions when a scheme decides (decision point pageout-shared)', () => {
  function figuresOf(c: ReturnType<typeof cfg>, setup: readonly Action[], step: Action): Figures {
    const k = kernelAfter(c, setup);
    const f = new Figures();
    activateFigures(f);
    try {
      expect(applyAction(k, step)).toBe(0);
    } finally {
      activateFigures(undefined);
    }
    return f;
  }

  it('MM-ID: the split and the one page left, two decisions, about a folio no other mm maps', () => {
    // 6.15 rules: the split maps the zero-filled pages 1-3 to the zero page, so page 0 is the only folio
    // the walk finds after the split.
    const f = figuresOf(cfg({ policy: 'kernel-6.15' }), [fault(0, 0)], cold(0, 0, 2));
    expect(f.counts.get('cold-decisions')).toBe(2);
    expect(f.counts.get('cold-shared') ?? 0).toBe(0);
  });

  it('the January 2023 proposal: after a partial MADV_DONTNEED and fork, "not shared" splits a folio the child maps', () => {
    // The tuple count forgets the zapped page's table, so the folio reads as mapped by one (VMA, table).
    const f = figuresOf(cfg({ policy: 'jan-2023' }), [fault(0, 0), zap(0, 0, 1), fork(0)], cold(0, 1, 2));
    expect(f.counts.get('cold-shared')).toBeGreaterThanOrEqual(1);
  });
});

/**
 * The era 5.19 (5.19-6.14) walks as v6.9 did: mm/madvise.c madvise_cold_or_pageout_pte_range() at v6.9
 * (2f406263e3e9, 6.5; cc864ebba5f6, 6.9) splits every large folio it meets, covered whole or in part:
 *   if (folio_test_large(folio)) { if (folio_estimated_sharers(folio) > 1) break; ...
 *           err = split_folio(folio); ... if (err) break; ... pte--; addr -= PAGE_SIZE; continue; }
 * and `break` ends the walk of that page table. 3931b871c493 (6.10) advises a folio covered whole without
 * splitting it and goes on after a shared one (`continue`): the era 6.15 here.
 */
describe('5.19 (v6.9): every large folio is split, or ends the walk of its page table', () => {
  it('MADV_COLD splits an exclusive large folio it covers whole (6.10+ leaves it whole)', () => {
    const k = kernelAfter(cfg(), [fault(0, 0), cold(0, 0, 4)]);
    for (const a of [0, 1, 2, 3]) expect(nrPagesAt(k, 0, a)).toBe(1);
    expect(kernelAfter(cfg({ era: '6.15' }), [fault(0, 0), cold(0, 0, 4)]).folio[0]?.nr_pages).toBe(4);
    expect(holds(k)).toEqual([]);
  });

  it('covered whole, another mm mapping only its tail pages: split, and page 0 paged out (6.10+: ENOENT)', () => {
    // folio_estimated_sharers() reads page 0, which only mm0 maps; 6.10+ see folio_mapcount() 7 != 4.
    const tailShared = [write(0, 0), fork(0), zap(1, 0, 1)];
    const k = kernelAfter(cfg(), tailShared);
    expect(applyAction(k, pageout(0, 0, 4))).toBe(0);
    expect(pteOf(k, 0, 0).swp).toBe(true);
    for (const a of [1, 2, 3]) expect(pteOf(k, 0, a).present && nrPagesAt(k, 0, a) === 1).toBe(true);
    expect(applyAction(kernelAfter(cfg({ era: '6.15' }), tailShared), pageout(0, 0, 4))).toBe('ENOENT');
  });

  // Two 2-page folios in one page table: mm0's first is shared with a child, its second is its own.
  const c2 = (over: Partial<Bounds> = {}) => cfg({ large: 2, ...over });
  const sharedThenOwn = [write(0, 0), fork(0), write(0, 2)];

  it('a folio maybe mapped shared ends the walk of its page table: the folio after it is left (ENOENT)', () => {
    const k = kernelAfter(c2(), sharedThenOwn);
    expect(nrPagesAt(k, 0, 2)).toBe(2);
    expect(applyAction(k, pageout(0, 0, 4))).toBe('ENOENT');
    expect(pteOf(k, 0, 2).present).toBe(true);
    // 6.10+ go on after it (`continue`) and page the second folio out.
    const later = kernelAfter(c2({ era: '6.15' }), sharedThenOwn);
    expect(applyAction(later, pageout(0, 0, 4))).toBe(0);
    expect(pteOf(later, 0, 2).swp).toBe(true);
  });

  it('a large folio whose split fails (pinned) ends the walk of its page table too', () => {
    const k = kernelAfter(c2(), [pinRw(0, 0), write(0, 2)]);
    expect(nrPagesAt(k, 0, 0)).toBe(2);
    expect(applyAction(k, pageout(0, 0, 4))).toBe('ENOENT');
    expect(pteOf(k, 0, 2).present).toBe(true);
  });

  it('the walk of the next VMA goes on, in the same page table (walk_page_range() calls the walker per VMA)', () => {
    const k = kernelAfter(c2(), [...sharedThenOwn, dontfork(0, 2, 2)]);
    expect(applyAction(k, pageout(0, 0, 4))).toBe(0);
    expect([2, 3].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true]);
  });

  it('no free folio slot for the split of a folio covered whole: ENOMEM (the model’s bound)', () => {
    const k = kernelAfter(cfg({ slots: 2 }), [write(0, 0)]);
    expect(applyAction(k, pageout(0, 0, 4))).toBe('ENOMEM');
  });

  it('the walk of the next page table goes on', () => {
    const k = kernelAfter(c2({ va: 8 }), [...sharedThenOwn, write(0, 4)]);
    expect(applyAction(k, pageout(0, 0, 8))).toBe(0);
    expect(pteOf(k, 0, 2).present).toBe(true);
    expect([4, 5].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true]);
  });
});
