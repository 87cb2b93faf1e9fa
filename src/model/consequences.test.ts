/**
 * The consequence figures (consequences.ts) counted directly: which mappings of a folio `mappingsOf()` finds
 * (PTEs and huge PMDs, this mm's or others'), when a COW copy is needless, PM_MMAP_EXCLUSIVE against the
 * recount, nothing counted while no figures are active, and the sentences `figureLines()` prints.
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  fork,
  kernelAfter,
  pin,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  twoMmsOneFolio,
  write,
  zap,
} from '../../test/helpers.js';
import { applyAction } from './actions.js';
import type { Bounds } from './config.js';
import {
  activateFigures,
  countCowCopy,
  countFigure,
  countingFigures,
  Figures,
  figureLines,
  mappingsOf,
  observePagemap,
} from './consequences.js';
import type { Kernel } from './include/mm_types.js';
import { Truth } from './recount/truth.js';

const bounds = twoMmsOneFolio;

/** The figures `run` counts, as a plain object. */
function figures(run: () => void): Record<string, number> {
  const f = new Figures();
  const before = activateFigures(f);
  try {
    run();
  } finally {
    activateFigures(before);
  }
  return Object.fromEntries(f.counts);
}

/** PM_MMAP_EXCLUSIVE of `k` counted against its recount. */
function pagemap(k: Kernel): Record<string, number> {
  const t = new Truth(k.cfg);
  t.recount(k);
  return figures(() => observePagemap(k, t));
}

describe('counting on and off', () => {
  it('with no figures active nothing is counted and nothing fails', () => {
    expect(countingFigures()).toBe(false);
    expect(() => countFigure('cow-copies')).not.toThrow();
    const k = kernelAfter(config(bounds()), [fault(0, 0)]);
    const t = new Truth(k.cfg);
    t.recount(k);
    expect(() => observePagemap(k, t)).not.toThrow();
    expect(() => countCowCopy(k, 0, 0, true)).not.toThrow();
  });

  it('with figures active each count adds up under its name', () => {
    expect(
      figures(() => {
        expect(countingFigures()).toBe(true);
        countFigure('cold-decisions');
        countFigure('cold-decisions', 2);
      }),
    ).toEqual({ 'cold-decisions': 3 });
  });
});

describe('mappingsOf', () => {
  const huge = (over: Partial<Bounds> = {}) => config({ ops: [...THP_SWAP_OPS], ...over });

  it('counts PTEs, and says whether an mm other than the one asking maps the folio', () => {
    const k = kernelAfter(config(bounds()), [fault(0, 0), fork(0), zap(1, 0, 1)]);
    expect(mappingsOf(k, 0, 0)).toEqual({ maps: 7, others: true });
    const alone = kernelAfter(config(bounds()), [fault(0, 0)]);
    expect(mappingsOf(alone, 0, 0)).toEqual({ maps: 4, others: false });
    expect(mappingsOf(alone, 0, 1)).toEqual({ maps: 4, others: true });
  });

  it('counts a huge PMD as one mapping of its own folio only', () => {
    const k = kernelAfter(huge(), [thp(0, 0)]);
    const slot = k.mm[0]?.pmd[0]?.folio as number;
    expect(mappingsOf(k, slot, 0)).toEqual({ maps: 1, others: false });
    const forked = kernelAfter(huge(), [thp(0, 0), fork(0)]);
    expect(mappingsOf(forked, slot, 0)).toEqual({ maps: 2, others: true });
    // Another folio: the huge PMDs are not its mappings.
    expect(mappingsOf(forked, slot + 1, 0)).toEqual({ maps: 0, others: false });
  });
});

describe('countCowCopy', () => {
  const cfg = () => config(bounds({ large: 1, data: true, era: '6.15' }));

  it('a copy of a page another mm maps is needed, even when every reference is a mapping', () => {
    const k = kernelAfter(cfg(), [fault(0, 0), fork(0)]);
    expect(mappingsOf(k, 0, 0)).toEqual({ maps: 2, others: true });
    expect(k.folio[0]?._refcount).toBe(2);
    expect(figures(() => countCowCopy(k, 0, 0, true))).toEqual({ 'cow-copies': 1 });
    expect(figures(() => expect(applyAction(k, write(0, 0))).toBe(0))).toEqual({ 'cow-copies': 1 });
  });

  it('a copy of a page this mm alone maps is needless; falsely shared when declined as "maybe shared"', () => {
    const k = kernelAfter(cfg(), [fault(0, 0)]);
    const all = { 'cow-copies': 1, 'needless-copies': 1 };
    expect(figures(() => countCowCopy(k, 0, 0, false))).toEqual(all);
    expect(figures(() => countCowCopy(k, 0, 0, true))).toEqual({ ...all, 'falsely-shared-copies': 1 });
  });

  it('a copy of a page this mm alone maps is needed when something else holds a reference (a GUP pin)', () => {
    const k = kernelAfter(config(bounds({ large: 1, era: '6.15', pins: 1, ops: ['fault', 'pin', 'write'] })), [
      fault(0, 0),
      pin(0, 0),
    ]);
    expect(mappingsOf(k, 0, 0)).toEqual({ maps: 1, others: false });
    expect(k.folio[0]?._refcount).toBe(2);
    expect(figures(() => countCowCopy(k, 0, 0, true))).toEqual({ 'cow-copies': 1 });
  });
});

describe('observePagemap', () => {
  // mm0 faults four pages and forks; the child unmaps page 0: page 0 is mapped once, the others twice.
  const tail = [fault(0, 0), fork(0), zap(1, 0, 1)];

  it('per-page mapcounts (the era) are right about every mapped page', () => {
    expect(pagemap(kernelAfter(config(bounds({ era: '6.15' })), tail))).toEqual({
      'pagemap-pages': 7,
      'pagemap-wrong': 0,
    });
    expect(pagemap(kernelAfter(config(bounds({ era: '6.15' })), [fault(0, 0)]))).toEqual({
      'pagemap-pages': 4,
      'pagemap-wrong': 0,
    });
  });

  it('MM-ID deciding calls page 0 shared with its folio: one wrong bit of seven', () => {
    expect(pagemap(kernelAfter(config(bounds({ era: '6.15', decider: 'mm-id' })), tail))).toEqual({
      'pagemap-pages': 7,
      'pagemap-wrong': 1,
    });
  });

  it('a page mapped by one PTE is not exclusive while another mm maps its folio by a huge PMD', () => {
    // mm0 splits its PMD into four PTEs; the child keeps the huge PMD. MM-ID calls the folio shared: right.
    const cfg = config({ ops: [...THP_SWAP_OPS], era: '6.15', decider: 'mm-id' });
    const k = kernelAfter(cfg, [thp(0, 0), fork(0), splitPmd(0, 0)]);
    expect(k.mm[1]?.pmd[0]?.huge).toBe(true);
    expect(pagemap(k)).toEqual({ 'pagemap-pages': 4, 'pagemap-wrong': 0 });
  });

  it("the era counts a huge PMD of another mm in the page's precise mapcount (folio_precise_page_mapcount())", () => {
    // The same state under the era's own per-page counts and under page-mapcount deciding, 5.19 and 6.15:
    // the page's _mapcount is 1 (mm0's PTE), its folio's _entire_mapcount 1 (mm1's PMD), so not exclusive.
    for (const over of [{ era: '6.15' }, { era: '6.15', decider: 'page-mapcount' }, { era: '5.19' }] as const) {
      const k = kernelAfter(config({ ops: [...THP_SWAP_OPS], ...over }), [thp(0, 0), fork(0), splitPmd(0, 0)]);
      expect(k.mm[1]?.pmd[0]?.huge).toBe(true);
      expect(pagemap(k)).toEqual({ 'pagemap-pages': 4, 'pagemap-wrong': 0 });
    }
  });

  it('an exited mm has no pages to count', () => {
    const k = kernelAfter(config(bounds({ era: '6.15' })), [...tail, { kind: 'exit', mm: 1 }]);
    expect(pagemap(k)).toEqual({ 'pagemap-pages': 4, 'pagemap-wrong': 0 });
  });
});

describe('figureLines', () => {
  const counts = new Map<string, number>([
    ['cow-copies', 1234],
    ['needless-copies', 5],
    ['pagemap-pages', 10],
    ['pagemap-wrong', 2],
    ['reclaim-kept-mapped', 3],
  ]);

  it('each part as a share of its whole, then reclaim; absent figures are zero', () => {
    expect(figureLines('mm-id', counts)).toEqual([
      'decided by mm-id: ' +
        '5 of 1,234 COW copies were needless (the faulting mm alone mapped the folio, nothing else held it); ' +
        '0 of 1,234 COW copies were made because "maybe shared" was answered for a folio the faulting mm alone mapped; ' +
        '2 of 10 PM_MMAP_EXCLUSIVE bits of mapped pages (summed over explored states) were wrong; ' +
        '0 of 0 MADV_PAGEOUT decisions to page out or split were about folios another mm maps; ' +
        '0 of 0 MADV_COLD decisions to deactivate or split were about folios another mm maps; ' +
        '3 reclaims that left a mapped folio mapped (the decider said unmapped)',
    ]);
  });

  it('names the era when no scheme decides', () => {
    const [line] = figureLines(undefined, new Map());
    expect(line).toMatch(/^decided by the era: 0 of 0 COW copies were needless /);
    expect(line).toMatch(/; 0 reclaims that left a mapped folio mapped \(the decider said unmapped\)$/);
  });
});
