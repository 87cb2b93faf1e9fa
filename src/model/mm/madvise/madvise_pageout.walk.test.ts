/**
 * madvise_cold_or_pageout_pte_range(): the huge-PMD branch, the PTE batch of 6.10+ (3931b871c493) and the
 * figures, cases written for survivors of mutation testing (docs/mutation-testing.md). The batch only
 * chooses between "the folio whole" and "split, then page by page": for an exclusive folio both end in the
 * same state, so the decisions counted (pageout-decisions) tell them apart.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  fork,
  kernelAfter,
  mremap,
  munmap,
  pageout,
  pmdOf,
  pteOf,
  THP_SWAP_OPS,
  thp,
  write,
  zap,
} from '../../../../test/helpers.js';
import { type Action, applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { activateFigures, Figures } from '../../consequences.js';
import type { Kernel } from '../../include/mm_types.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({
    mms: 2,
    va: 8,
    pt: 4,
    large: 4,
    slots: 8,
    swap: 8,
    era: '6.15',
    ops: [...THP_SWAP_OPS, 'pageout', 'munmap', 'mremap'],
    ...over,
  });

/** Applies `step` with figures counted: its result and the figures. */
function withFigures(k: Kernel, step: Action): { ret: unknown; counts: Record<string, number> } {
  const f = new Figures();
  activateFigures(f);
  try {
    const ret = applyAction(k, step);
    return { ret, counts: Object.fromEntries(f.counts) };
  } finally {
    activateFigures(undefined);
  }
}

describe('a huge PMD', () => {
  it('covered whole, then the pages after it: all paged out (the walk goes on after the PMD)', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), write(0, 4)]);
    expect(applyAction(k, pageout(0, 0, 8))).toBe(0);
    expect([0, 1, 2, 3, 4].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true, true, true]);
  });

  it('a range from inside it to its end covers it in part: split, the page before the range stays', () => {
    const k = kernelAfter(cfg(), [thp(0, 0)]);
    expect(applyAction(k, pageout(0, 1, 3))).toBe(0);
    expect(pmdOf(k, 0, 0).huge).toBe(false);
    expect(pteOf(k, 0, 0).present).toBe(true);
    expect([1, 2, 3].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true]);
  });

  it('covered whole: one decision, the folio paged out whole (not a split and four pages)', () => {
    const { ret, counts } = withFigures(kernelAfter(cfg(), [thp(0, 0)]), pageout(0, 0, 4));
    expect(ret).toBe(0);
    expect(counts).toEqual({ 'pageout-decisions': 1 });
  });

  it('6.15: a split that pages nothing out is still a change (the step is enabled, not ENOENT)', () => {
    // Page 1 was never written: the split maps it to the zero page (6.12+), so nothing is left to page out.
    const k = kernelAfter(cfg({ data: true }), [thp(0, 0)]);
    expect(applyAction(k, pageout(0, 1, 1))).toBe(0);
    expect(pmdOf(k, 0, 0).huge).toBe(false);
    expect(pteOf(k, 0, 1).swp).toBe(false);
  });
});

describe('6.10+: the PTE batch', () => {
  it('an exclusive large folio covered whole: one decision (paged out whole)', () => {
    const { ret, counts } = withFigures(kernelAfter(cfg(), [write(0, 0)]), pageout(0, 0, 4));
    expect(ret).toBe(0);
    expect(counts).toEqual({ 'pageout-decisions': 1 });
  });

  it('the batch stops at a PTE that maps nothing: covered in part, so split and paged out', () => {
    const k = kernelAfter(cfg(), [write(0, 0), zap(0, 3, 1)]);
    expect(applyAction(k, pageout(0, 0, 4))).toBe(0);
    expect([0, 1, 2].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true]);
  });

  it('the batch stops at another folio, even at the page index that would follow', () => {
    // Pages 1-3 of a second folio moved to addresses 1-3, after page 0 of the first (mremap also makes a
    // VMA boundary there, which stops the batch first).
    const k = kernelAfter(cfg(), [write(0, 0), write(0, 4), munmap(0, 1, 3), mremap(0, 5, 3, 1)]);
    expect(pteOf(k, 0, 1).folio).not.toBe(pteOf(k, 0, 0).folio);
    expect(pteOf(k, 0, 1).page).toBe(1);
    expect(applyAction(k, pageout(0, 0, 4))).toBe(0);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).swp)).toEqual([true, true, true, true]);
  });

  it('the batch stops at a page of the folio out of order: covered in part (split, then page by page)', () => {
    // Pages 1 and 2 of the folio swapped: PTEs 0-3 map pages 0, 2, 1, 3 (in three VMAs, as mremap leaves them).
    const moves = [munmap(0, 4, 4), mremap(0, 1, 1, 4), mremap(0, 2, 1, 1), mremap(0, 4, 1, 2)];
    const k = kernelAfter(cfg(), [write(0, 0), ...moves]);
    expect([0, 1, 2, 3].map((a) => pteOf(k, 0, a).page)).toEqual([0, 2, 1, 3]);
    const { ret, counts } = withFigures(k, pageout(0, 0, 4));
    expect(ret).toBe(0);
    expect(counts['pageout-decisions']).toBe(5);
  });

  it('a folio two mms map in disjoint halves: covered in part, maybe shared (MM-ID), left (ENOENT)', () => {
    // folio_mapcount() == folio_nr_pages() here, so only the batch keeps it from "covered whole".
    const k = kernelAfter(cfg({ va: 4 }), [write(0, 0), fork(0), zap(0, 2, 2), zap(1, 0, 2)]);
    expectRefused(k, pageout(0, 0, 2), 'ENOENT');
  });
});

describe('the figures', () => {
  it('a "maybe shared" answer is no decision to advise: nothing counted', () => {
    const { ret, counts } = withFigures(
      kernelAfter(cfg({ era: '5.19', va: 4 }), [write(0, 0), fork(0)]),
      pageout(0, 0, 1),
    );
    expect(ret).toBe('ENOENT');
    expect(counts).toEqual({});
  });

  it('a folio no other mm maps: decisions counted, none about a shared folio', () => {
    const { counts } = withFigures(kernelAfter(cfg({ era: '5.19', va: 4 }), [write(0, 0)]), pageout(0, 0, 1));
    expect(counts).toEqual({ 'pageout-decisions': 2 });
  });
});
