/**
 * follow_page(): which page of which folio an address maps, through a huge PMD or a PTE (mm/gup.c
 * follow_pmd_mask() / follow_page_pte(); docs/kernel-rules.md §1.3, §2.11).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  fault,
  fork,
  kernelAfter,
  mmOf,
  read,
  reclaim,
  splitFolio,
  THP_SWAP_OPS,
  thp,
  wp,
} from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';
import type { Kernel } from '../../include/mm_types.js';
import { follow_page_folio, follow_page_index, follow_page_writable } from './follow_page.js';

const cfg = (over: Partial<Bounds> = {}) => config({ ops: THP_SWAP_OPS, swap: 2, ...over });

/** [folio, page, writable] at each address of mm m. */
function walk(k: Kernel, m: number): [number, number, boolean][] {
  const mm = mmOf(k, m);
  return mm.pte.map((_, a) => [
    follow_page_folio(k, mm, a),
    follow_page_index(k, mm, a),
    follow_page_writable(k, mm, a),
  ]);
}

describe('follow_page (docs/kernel-rules.md §1.3)', () => {
  it('§1.3: through a huge PMD every address maps page (addr mod pt) of the PMD’s folio, writable as the PMD', () => {
    const k = kernelAfter(cfg({ va: 8, large: 1 }), [fault(0, 0), thp(0, 5)]);
    expect(walk(k, 0)).toEqual([
      [0, 0, true],
      [-1, -1, false],
      [-1, -1, false],
      [-1, -1, false],
      [1, 0, true],
      [1, 1, true],
      [1, 2, true],
      [1, 3, true],
    ]);
  });

  it('§1.3: a read-only PMD (shared at fork) is followed read-only in both mms', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), fork(0)]);
    const ro = [0, 1, 2, 3].map((j) => [0, j, false]);
    expect(walk(k, 0)).toEqual(ro);
    expect(walk(k, 1)).toEqual(ro);
  });

  it('§1.3: a PTE maps the page it names; none, zero-page and swap PTEs map no folio (-1)', () => {
    const k = kernelAfter(cfg({ large: 1 }), [
      fault(0, 0),
      fork(0),
      wp(1, 0),
      read(0, 1),
      fault(0, 2),
      reclaim(0, 2, 1),
    ]);
    expect(walk(k, 0)).toEqual([
      [0, 0, false],
      [-1, -1, false],
      [-1, -1, false],
      [-1, -1, false],
    ]);
    expect(walk(k, 1)[0]).toEqual([1, 0, true]);
  });

  it('§2.10: after a folio split each address follows to its own small folio', () => {
    const k = kernelAfter(cfg(), [thp(0, 0), splitFolio(0, 0)]);
    expect(walk(k, 0)).toEqual([
      [0, 0, true],
      [3, 0, true],
      [2, 0, true],
      [1, 0, true],
    ]);
  });
});
