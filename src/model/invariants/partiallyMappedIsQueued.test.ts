/**
 * partiallyMappedIsQueued (docs/kernel-rules.md §2.12): a large folio mapped in part, with no PMD mapping it
 * whole, is on the deferred-split queue. On states the kernel's steps make and on states broken by hand, with
 * the words explain() gives. (Its mutation run showed only decide.test.ts ever broke it, and never read the
 * words.)
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  folioOf,
  fork,
  invariantVerdict,
  kernelAfter,
  pin,
  pmdOf,
  splitPmd,
  THP_SWAP_OPS,
  thp,
  zap,
} from '../../../test/helpers.js';
import type { Kernel } from '../include/mm_types.js';
import { CORE_OPS } from '../steps/index.js';
import partiallyMappedIsQueued from './partiallyMappedIsQueued.js';

const verdict = (k: Kernel) => invariantVerdict(partiallyMappedIsQueued, k);

// The flag is kept only while a scheme decides (decide.ts); per-page mapcounts queue as the kernel does.
const decided = { era: '6.15', decider: 'page-mapcount' } as const;
const twoFolios = config({ ops: CORE_OPS, va: 8, pt: 4, large: 4, mms: 1, ...decided });

describe('partiallyMappedIsQueued', () => {
  it('holds where the kernel queued the folio a partial zap left mapped in part', () => {
    const k = kernelAfter(twoFolios, [fault(0, 0), zap(0, 1, 2)]);
    expect(folioOf(k, 0).partially_mapped).toBe(1);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a folio mapped in part and never queued breaks it, its unmapped pages named', () => {
    const k = kernelAfter(twoFolios, [fault(0, 0), zap(0, 1, 2)]);
    folioOf(k, 0).partially_mapped = 0;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: pages 1,2 of 4 are unmapped, but the folio was never queued for deferred split'],
    });
  });

  it("counts only the folio's own pages: a neighbouring folio's first page mapped does not complete it", () => {
    // Folio 0 lacks only its last page; the folio in the next slot maps its first. Reading one page past
    // the folio would count that page and call folio 0 whole.
    const k = kernelAfter(twoFolios, [fault(0, 0), fault(0, 4), zap(0, 3, 1)]);
    expect(k.mm[0]?.pte[4]?.folio).toBe(1);
    folioOf(k, 0).partially_mapped = 0;
    expect(verdict(k)).toEqual({
      ok: false,
      lines: ['folio 0: pages 3 of 4 are unmapped, but the folio was never queued for deferred split'],
    });
  });

  it('a folio no page table maps any more is not mapped in part: a pin keeps it, unqueued, and it holds', () => {
    const k = kernelAfter(twoFolios, [fault(0, 0), pin(0, 0), zap(0, 0, 4)]);
    expect(folioOf(k, 0).used).toBe(true);
    expect(folioOf(k, 0).partially_mapped).toBe(0);
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('pages unmapped in one mm but mapped in another leave the folio whole', () => {
    const k = kernelAfter(config({ ops: CORE_OPS, mms: 2, ...decided }), [fault(0, 0), fork(0), zap(1, 0, 2)]);
    folioOf(k, 0).partially_mapped = 0;
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });

  it('a folio a huge PMD maps is whole, though PTEs of another mm map only part of it', () => {
    // The child splits its PMD and drops one of its PTEs; the parent's PMD still maps every page.
    const c = config({ ops: THP_SWAP_OPS, mms: 2, va: 4, pt: 2, map: 4, large: 2, ...decided });
    const k = kernelAfter(c, [thp(0, 2), fork(0), splitPmd(1, 2), zap(1, 3, 1)]);
    expect(pmdOf(k, 0, 1).huge).toBe(true);
    expect(k.mm[1]?.pte[2]?.present).toBe(true);
    expect(k.mm[1]?.pte[3]?.present).toBe(false);
    folioOf(k, pmdOf(k, 0, 1).folio).partially_mapped = 0;
    expect(verdict(k)).toEqual({ ok: true, lines: [] });
  });
});
