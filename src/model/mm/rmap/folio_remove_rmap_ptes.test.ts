/**
 * folio_remove_rmap_ptes() (mm/rmap.c __folio_remove_rmap(), RMAP_LEVEL_PTE): each page loses one mapping,
 * and a page whose mapcount would go below "unmapped" is a kernel warning (the model's bad-mapcount check:
 * a PTE cleared twice, or one that never mapped the page).
 */
import { describe, expect, it } from 'vitest';
import { config, fault, folioOf, kernelAfter, pageOf } from '../../../../test/helpers.js';
import { KernelWarning } from '../../debug.js';
import { folio_remove_rmap_pte, folio_remove_rmap_ptes } from './folio_remove_rmap_ptes.js';

const cfg = config({ mms: 1, large: 4 });

describe('folio_remove_rmap_ptes', () => {
  it('each page of the range loses one mapping, the others keep theirs', () => {
    const k = kernelAfter(cfg, [fault(0, 0)]);
    folio_remove_rmap_ptes(k, folioOf(k, 0), 1, 2, 0, 1);
    expect(folioOf(k, 0).pages.map((p) => p._mapcount)).toEqual([1, 0, 0, 1]);
  });

  it('a page that is not mapped cannot lose a mapping: a kernel warning', () => {
    const k = kernelAfter(cfg, [fault(0, 0)]);
    folio_remove_rmap_pte(k, folioOf(k, 0), 2, 0, 2);
    expect(pageOf(k, 0, 2)._mapcount).toBe(0);
    expect(() => folio_remove_rmap_pte(k, folioOf(k, 0), 2, 0, 2)).toThrow(KernelWarning);
  });
});
