/**
 * pin_user_pages() before 5.19: the zero page is not pinned (pin_user_pages.ts "Deviates:"; in the kernel
 * follow_page_pte() hands out the zero page itself, which the model cannot pin: it has no folio, and before
 * 5.19 no unshare fault replaces it, mm/gup.c).
 */
import { describe, it } from 'vitest';
import { config, expectRefused, kernelAfter, pin, read } from '../../../../test/helpers.js';
import type { Bounds } from '../../config.js';

const cfg = (over: Partial<Bounds> = {}) =>
  config({ mms: 1, va: 4, pt: 4, large: 1, slots: 4, pins: 1, ops: ['fault', 'read', 'pin', 'unpin'], ...over });

describe('pin_user_pages(): the zero page before 5.19', () => {
  for (const era of ['5.7', '5.9'] as const) {
    it(`${era}: a R/O pin of an address mapped to the zero page is refused: EFAULT`, () => {
      expectRefused(kernelAfter(cfg({ era }), [read(0, 0)]), pin(0, 0), 'EFAULT');
    });
  }
});
