/**
 * Correct rules preserve every invariant (docs/kernel-rules.md §5) along random sequences of the
 * whole model's operations on huge PMDs, folio splits, R/W pins and swap, with contents tracked.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { config, randomRun, THP_SWAP_OPS } from '../../../test/helpers.js';
import { KernelSystem } from '../../spec.js';
import type { Kernel } from '../include/mm_types.js';

/** Small bounds: two page tables of two PTEs, PMD-sized folios of two pages, two swap slots. */
const cfg = config({ mms: 2, va: 4, pt: 2, large: 2, slots: 5, pins: 1, swap: 2, data: true, ops: THP_SWAP_OPS });

/** The first invariant `k` breaks, with its explanation; [] when all hold. */
function broken(sys: KernelSystem, k: Kernel): string[] {
  const i = sys.checkKernel(k);
  return i < 0 ? [] : [sys.invariantNames[i] as string, ...sys.explain(i, k)];
}

/** Deterministic choice sequences for the reachability checks. */
const seeded = (seed: number, n = 40): number[] =>
  Array.from({ length: n }, (_, i) => (seed * 7919 + i * 104_729) % 10_007);

describe('invariants hold under the correct rules: huge PMDs, folio splits, R/W pins, swap (docs/kernel-rules.md §5)', () => {
  const sys = new KernelSystem(cfg);

  test.prop([fc.array(fc.nat(), { maxLength: 40, size: 'max' })], { numRuns: 200 })(
    'every reached state satisfies every invariant (data tracked)',
    (choices) => {
      for (const k of randomRun(cfg, choices).states) expect(broken(sys, k)).toEqual([]);
    },
  );

  it('the random runs do reach every operation, huge PMDs, swap entries and pins of THPs', () => {
    const kinds = new Set<string>();
    const seen = { pmd: false, swp: false, swpExclusive: false, pinnedThp: false, sharedPmd: false };
    for (let seed = 0; seed < 120; seed++) {
      const { states, taken } = randomRun(cfg, seeded(seed));
      for (const a of taken) kinds.add(a.kind);
      for (const k of states) {
        const pmds = k.mm.flatMap((mm) => mm.pmd.filter((p) => p.huge));
        const ptes = k.mm.flatMap((mm) => mm.pte);
        seen.pmd ||= pmds.length > 0;
        seen.sharedPmd ||= k.folio.some((f) => f.used && f._entire_mapcount > 1);
        seen.swp ||= ptes.some((p) => p.swp);
        seen.swpExclusive ||= ptes.some((p) => p.swp && p.swp_exclusive);
        seen.pinnedThp ||= k.pin.some((p) => p.live && pmds.some((d) => d.folio === p.folio));
      }
    }
    expect([...kinds].sort()).toEqual([...THP_SWAP_OPS].sort());
    expect(seen).toEqual({ pmd: true, swp: true, swpExclusive: true, pinnedThp: true, sharedPmd: true });
  });
});
