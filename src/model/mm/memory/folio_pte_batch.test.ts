/**
 * folio_pte_batch() and the limit its callers give it (docs/kernel-rules.md §6 "Batch boundaries"): a batch is
 * the run of present PTEs that map consecutive pages of one folio (mm/internal.h folio_pte_batch(): each next
 * PTE must be pte_next_pfn() of the last), and zap_pte_range() / copy_pte_range() never let it pass the end of
 * the page table they walk (their `end` is pmd_addr_end()). The PTEs are set by hand here: the steps build
 * such layouts only through mremap() of part of a large folio.
 */
import { describe, expect, it } from 'vitest';
import { config, kernelAfter, mmOf, pteOf } from '../../../../test/helpers.js';
import { folio_pte_batch, pte_batch_limit } from './folio_pte_batch.js';

/** PTE `a` of mm 0 maps page `page` of the folio in slot `folio`, read-only. */
function setPresent(k: ReturnType<typeof kernelAfter>, a: number, folio: number, page: number): void {
  Object.assign(pteOf(k, 0, a), { present: true, write: false, folio, page });
}

describe('folio_pte_batch (mm/internal.h, v6.9)', () => {
  it('a batch runs over consecutive pages of one folio, up to max_nr', () => {
    const k = kernelAfter(config({ va: 8, pt: 8 }), []);
    for (let j = 0; j < 4; j++) setPresent(k, j, 0, j);
    expect(folio_pte_batch(mmOf(k, 0), 0, 4)).toBe(4);
    expect(folio_pte_batch(mmOf(k, 0), 1, 2)).toBe(2);
  });

  it('the batch stops at a PTE of the same folio that maps a page other than the next one', () => {
    // Pages 0 and 2 of one folio side by side, then page 3: the PFN does not follow after page 0.
    const k = kernelAfter(config({ va: 8, pt: 8 }), []);
    setPresent(k, 4, 0, 0);
    setPresent(k, 5, 0, 2);
    setPresent(k, 6, 0, 3);
    expect(folio_pte_batch(mmOf(k, 0), 4, 3)).toBe(1);
    // Page 2 then page 3 do follow.
    expect(folio_pte_batch(mmOf(k, 0), 5, 2)).toBe(2);
    // Page 1 before page 0: going backwards is no batch either.
    setPresent(k, 0, 0, 1);
    setPresent(k, 1, 0, 0);
    expect(folio_pte_batch(mmOf(k, 0), 0, 2)).toBe(1);
  });

  it('the batch stops at another folio and at a PTE that is not present', () => {
    const k = kernelAfter(config({ va: 8, pt: 8 }), []);
    setPresent(k, 0, 0, 0);
    setPresent(k, 1, 1, 1);
    expect(folio_pte_batch(mmOf(k, 0), 0, 2)).toBe(1);
    setPresent(k, 4, 0, 0);
    expect(folio_pte_batch(mmOf(k, 0), 4, 2)).toBe(1);
  });
});

describe('pte_batch_limit: the end of the range and of the page table', () => {
  it('from the middle of a page table, the batch may not pass the end of that table', () => {
    // pt 4: addresses 4..7 are one table; a range 5..15 allows 5, 6, 7 only in this table.
    const k = kernelAfter(config({ va: 16, pt: 4 }), []);
    expect(pte_batch_limit(k, mmOf(k, 0), 5, 16)).toBe(3);
    expect(pte_batch_limit(k, mmOf(k, 0), 6, 16)).toBe(2);
    expect(pte_batch_limit(k, mmOf(k, 0), 4, 16)).toBe(4);
    // The range ends first.
    expect(pte_batch_limit(k, mmOf(k, 0), 5, 7)).toBe(2);
  });
});
