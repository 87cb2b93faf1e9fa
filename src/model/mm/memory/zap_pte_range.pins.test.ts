/**
 * zap_pte_range() and the pins of the zapped addresses (docs/kernel-rules.md §2.6, §2.11, §5 I15): a pin keeps its
 * page after its owner unmaps the address (a vmsplice() pipe, §4 B2); from then on nobody may write that page, so
 * with data tracking the pin must go on seeing what the page holds at the moment of the zap.
 */
import { describe, expect, it } from 'vitest';
import {
  clearPte,
  config,
  expectStep,
  fault,
  fork,
  freeSlotZeroed,
  get,
  kernelAfter,
  mmOf,
  pin,
  pinOf,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Action } from '../../actions.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';

describe('zap_pte_range: the pins of the zapped range', () => {
  it('§2.11 + I15: a FOLL_GET reference left on the old page by a COW keeps, once detached, the content that page holds', () => {
    // mm0 writes value 1, forks, takes a FOLL_GET reference on the shared page (no unshare for FOLL_GET), then
    // writes value 2: the COW gives mm0 a copy; the reference stays on the old page, which mm1 maps and reads
    // as value 1. When mm0 zaps the address, the reference holds the old page, with value 1.
    const over: Partial<Bounds> = { ops: ['fault', 'zap', 'fork', 'write', 'get', 'put'], large: 1, data: true };
    const before = kernelAfter(config(over), [write(0, 0), fork(0), get(0, 0), write(0, 0)]);
    const held = mmOf(before, 1).expect[0] as number;
    expect(pinOf(before, 0).expect).not.toBe(held); // mm0's second store updated its record of the reference
    expectStep(before, zap(0, 0, 1), (d) => {
      clearPte(d, 0, 0);
      freeSlotZeroed(d, 1); // mm0's copy, mapped nowhere else
      mmOf(d, 0).expect[0] = 0;
      Object.assign(pinOf(d, 0), { attached: false, expect: held });
    });
  });

  it('zap_pte_range:pinned counts a zap of a pinned mapping only: not a later zap of a new page at the pin’s old address', () => {
    const branchesOf = (steps: Action[], step: Action): Record<string, number> => {
      const k = kernelAfter(config({ large: 1 }), steps);
      resetBranches();
      expect(applyAction(k, step)).toBe(0);
      return branchCountsByName();
    };
    expect(branchesOf([fault(0, 0), pin(0, 0)], zap(0, 0, 1))['zap_pte_range:pinned']).toBe(1);
    // The pin was detached by the first zap; the address was faulted again, a new page the pin does not hold.
    expect(branchesOf([fault(0, 0), pin(0, 0), zap(0, 0, 1), fault(0, 0)], zap(0, 0, 1))['zap_pte_range:pinned']).toBe(
      0,
    );
  });
});
