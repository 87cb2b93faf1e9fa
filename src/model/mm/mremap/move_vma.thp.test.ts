/**
 * move_vma() of a range a huge PMD maps (docs/kernel-rules.md §2.8, move_huge_pmd()): a whole, aligned PMD
 * moves as one entry; anything else splits the PMD first, a wholly covered one too when the destination is
 * not aligned. Mutation testing found these paths unexercised (docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { config, kernelAfter, mremap, pmdOf, pteOf, THP_SWAP_OPS, thp } from '../../../../test/helpers.js';

const cfg = config({ ops: [...THP_SWAP_OPS, 'mremap'], swap: 2, va: 12, pt: 4, map: 4 });

describe('move_vma of a huge PMD (docs/kernel-rules.md §2.8)', () => {
  it('move_huge_pmd(): a whole, aligned PMD moves as it is; no split, no counter changes', () => {
    const before = kernelAfter(cfg, [thp(0, 0)]);
    const after = kernelAfter(cfg, [thp(0, 0), mremap(0, 0, 4, 4)]);
    expect(pmdOf(after, 0, 1)).toMatchObject({ huge: true, write: pmdOf(before, 0, 0).write, folio: 0 });
    expect(pmdOf(after, 0, 0)).toMatchObject({ huge: false, write: false, folio: 0 });
    expect(after.folio[0]).toEqual(before.folio[0]);
    for (let a = 4; a < 8; a++) expect(pteOf(after, 0, a).present).toBe(false);
  });

  it('move_huge_pmd() from a PMD other than the first: moved again, still one entry', () => {
    const after = kernelAfter(cfg, [thp(0, 0), mremap(0, 0, 4, 4), mremap(0, 4, 4, 8)]);
    expect(pmdOf(after, 0, 2)).toMatchObject({ huge: true, folio: 0 });
    expect(pmdOf(after, 0, 1).huge).toBe(false);
  });

  it('a part of a PMD: the PMD is split first, and the PTEs move', () => {
    const after = kernelAfter(cfg, [thp(0, 0), mremap(0, 0, 2, 4)]);
    expect(pmdOf(after, 0, 0).huge).toBe(false);
    expect(pmdOf(after, 0, 1).huge).toBe(false);
    expect(pteOf(after, 0, 4)).toMatchObject({ present: true, folio: 0, page: 0 });
    expect(pteOf(after, 0, 5)).toMatchObject({ present: true, folio: 0, page: 1 });
    expect(pteOf(after, 0, 2)).toMatchObject({ present: true, folio: 0, page: 2 });
    expect(pteOf(after, 0, 0).present).toBe(false);
  });

  it('a whole PMD to an unaligned address: split first, then its four PTEs move', () => {
    const after = kernelAfter(cfg, [thp(0, 0), mremap(0, 0, 4, 5)]);
    for (const t of [0, 1, 2]) expect(pmdOf(after, 0, t).huge).toBe(false);
    for (let i = 0; i < 4; i++) expect(pteOf(after, 0, 5 + i)).toMatchObject({ present: true, folio: 0, page: i });
  });
});
