/**
 * pin_user_pages()'s named branches (coverage.ts; README "Coverage"): what a pin step reports it took is part
 * of its behaviour (`coverage:` in a spec fails when a branch never fires). 5.8's COW break counts R/O pins
 * only (17839856fd58: FOLL_WRITE always faulted for write); gup_must_unshare() (mm/internal.h) sends only a
 * non-exclusive read-only page to the unshare fault; a huge PMD that cannot be reused falls back to
 * do_wp_page() with FAULT_FLAG_UNSHARE (do_huge_pmd_wp_page(), mm/huge_memory.c): an unshare copy.
 */
import { describe, expect, it } from 'vitest';
import { config, fault, fork, kernelAfter, mprotect, pin, pinRw, THP_SWAP_OPS, thp } from '../../../../test/helpers.js';
import type { Action } from '../../actions.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';

/** The branches `step` takes from the state after `steps` (each taken once at most here). */
function branchesOf(over: Partial<Bounds>, steps: Action[], step: Action): Record<string, number> {
  const k = kernelAfter(config({ large: 1, ...over }), steps);
  resetBranches();
  expect(applyAction(k, step)).toBe(0);
  return branchCountsByName();
}

describe('pin_user_pages(): the branches it reports', () => {
  it('5.8: a R/O pin in a writable COW mapping breaks COW (pin_user_pages:break-cow); a R/W pin is a plain write fault', () => {
    const ops = { era: '5.8', ops: ['fault', 'fork', 'pin', 'pin_rw'] } as const;
    expect(branchesOf(ops, [fault(0, 0), fork(0)], pin(0, 0))['pin_user_pages:break-cow']).toBe(1);
    expect(branchesOf(ops, [fault(0, 0), fork(0)], pinRw(0, 0))['pin_user_pages:break-cow']).toBe(0);
  });

  it('6.15: an exclusive read-only page is pinned as it is: no unshare fault', () => {
    const over = { era: '6.15', ops: ['fault', 'mprotect', 'pin'] } as const;
    const counts = branchesOf(over, [fault(0, 0), mprotect(0, 0, 1, 'ro')], pin(0, 0));
    expect(counts['do_wp_page:unshare']).toBe(0);
    expect(counts['do_wp_page:unshare-copy']).toBe(0);
  });

  it('6.15: a read-only huge PMD whose head is exclusive is pinned as it is: no unshare fault', () => {
    const over = { era: '6.15', ops: [...THP_SWAP_OPS, 'mprotect'], large: 4, swap: 2 } as const;
    const counts = branchesOf(over, [thp(0, 0), mprotect(0, 0, 4, 'ro')], pin(0, 1));
    expect(counts['do_huge_pmd_wp_page:reuse']).toBe(0);
    expect(counts['do_huge_pmd_wp_page:split']).toBe(0);
  });

  it('6.15: a shared read-only huge PMD is split and the page unshared by a copy (not a write-fault copy)', () => {
    const over = { era: '6.15', ops: THP_SWAP_OPS, large: 4, swap: 2 } as const;
    const counts = branchesOf(over, [thp(0, 0), fork(0)], pin(1, 1));
    expect(counts['do_huge_pmd_wp_page:split']).toBe(1);
    expect(counts['do_wp_page:unshare-copy']).toBe(1);
    expect(counts['do_wp_page:copy']).toBe(0);
  });
});
