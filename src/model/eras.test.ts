/**
 * eras.ts: the era names (`--era` reads them through isEra) and each era's rules carrying its own name,
 * which splitMapsZeroFilledToZeroPage() reads (mutation testing found both unpinned: docs/mutation-testing.md).
 */
import { describe, expect, it } from 'vitest';
import { ERAS, eraRules, isEra, splitMapsZeroFilledToZeroPage } from './eras.js';

describe('eras', () => {
  it('isEra accepts exactly the five era names, not a release between them', () => {
    for (const e of ['5.7', '5.8', '5.9', '5.19', '6.15']) expect(isEra(e)).toBe(true);
    for (const s of ['5.18', '6.14', '', '6.15 ', 'era']) expect(isEra(s)).toBe(false);
  });

  it("each era's rules name that era", () => {
    for (const e of ERAS) expect(eraRules(e).era).toBe(e);
  });

  it('zero-filled subpages go to the zero page on a split from 6.15 only (b1f202060afe, 6.12)', () => {
    expect(ERAS.filter((e) => splitMapsZeroFilledToZeroPage({ rules: eraRules(e) }))).toEqual(['6.15']);
  });
});
