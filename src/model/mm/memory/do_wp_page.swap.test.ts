/**
 * do_wp_page() with a swapcache (docs/kernel-rules.md §2.2, §2.8), the branches it reports and the figures it
 * counts: the cases mutation testing found unpinned (docs/mutation-testing.md, `do_wp_page.ts`).
 * Rules: mm/memory.c wp_can_reuse_anon_folio() (5.19+: `folio_ref_count(folio) > 1 + folio_test_swapcache(folio)`
 * declines, else folio_free_swap() and a refcount of 1 reuses), reuse_swap_page() (<= 5.8 in do_wp_page(): mapcount plus
 * swap count <= 1, and at exactly 1 the page leaves the swapcache), wp_page_copy() (free_swap_cache() of the
 * old folio once unmapped), __wp_can_reuse_large_anon_folio() (6.15: every reference a mapping).
 */
import { describe, expect, it } from 'vitest';
import {
  config,
  expectRefused,
  expectStep,
  fault,
  folioOf,
  fork,
  get,
  kernelAfter,
  pageOf,
  pteOf,
  read,
  reclaim,
  wp,
  write,
  zap,
} from '../../../../test/helpers.js';
import type { Action } from '../../actions.js';
import { applyAction } from '../../actions.js';
import type { Bounds } from '../../config.js';
import { activateFigures, Figures } from '../../consequences.js';
import { branchCountsByName, resetBranches } from '../../coverage.js';
import type { Kernel } from '../../include/mm_types.js';
import { do_wp_page } from './do_wp_page.js';

const OPS = ['fault', 'zap', 'fork', 'wp', 'write', 'read', 'reclaim', 'get', 'exit'] as const;
/** Small folios, two swap slots. */
const small = (over: Partial<Bounds> = {}) => config({ large: 1, swap: 2, ops: [...OPS], ...over });

/** Expected-state edit: swap slot `i` is free again, out of the swapcache. */
function slotFreed(d: Kernel, i: number): void {
  Object.assign(d.swap[i] ?? {}, { used: false, count: 0, data: 0, cache: false, folio: 0 });
}

describe('do_wp_page and the swapcache, 5.19+ (wp_can_reuse_anon_folio())', () => {
  // mm0 swapped its page back in (read: read-only, non-exclusive: the child's swap entry named it too); the
  // child then zapped its entry: the swapcache holds the only other reference, and no entry names the slot.
  const swappedInAlone = [fault(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0), zap(1, 0, 1)];

  it('a page mapped once and held by the swapcache alone is freed from it and reused (refcount 2 -> 1)', () => {
    const before = kernelAfter(small({ era: '6.15' }), swappedInAlone);
    expect(folioOf(before, 0)._refcount).toBe(2);
    expectStep(before, wp(0, 0), (d) => {
      slotFreed(d, 0);
      folioOf(d, 0)._refcount = 1;
      pageOf(d, 0, 0).anon_exclusive = true;
      pteOf(d, 0, 0).write = true;
    });
  });

  it('with a GUP reference as well it is copied, and the old folio leaves the swapcache once unmapped (free_swap_cache())', () => {
    const before = kernelAfter(small({ era: '6.15' }), [...swappedInAlone, get(0, 0)]);
    const after = kernelAfter(small({ era: '6.15' }), [...swappedInAlone, get(0, 0), wp(0, 0)]);
    expect(folioOf(before, 0)._refcount).toBe(3);
    expect(pteOf(after, 0, 0)).toMatchObject({ present: true, write: true, folio: 1, page: 0 });
    expect(after.swap[0]).toMatchObject({ used: false, cache: false });
    expect(folioOf(after, 0)._refcount).toBe(1); // the GUP reference's
  });
});

describe('do_wp_page and the swapcache, <= 5.8 (reuse_swap_page(): mapcount + swap count)', () => {
  it('a page mapped once, no swap entry left: total 1, it leaves the swapcache and is reused', () => {
    const before = kernelAfter(small({ era: '5.7' }), [fault(0, 0), reclaim(0, 0, 1), read(0, 0)]);
    expect(pteOf(before, 0, 0).write).toBe(false);
    expectStep(before, wp(0, 0), (d) => {
      slotFreed(d, 0);
      folioOf(d, 0)._refcount = 1;
      pteOf(d, 0, 0).write = true; // no PG_anon_exclusive before 5.19
    });
  });

  it('a page mapped once whose swap slot another entry still names: total 2, copied; the swapcache keeps it', () => {
    // A GUP reference (invisible to reuse_swap_page()) keeps the old folio after the copy, so that it is seen
    // still in the swapcache: nothing took it out when deciding.
    const steps = [fault(0, 0), fork(0), reclaim(0, 0, 1), read(0, 0), get(0, 0)];
    const before = kernelAfter(small({ era: '5.7' }), steps);
    const after = kernelAfter(small({ era: '5.7' }), [...steps, wp(0, 0)]);
    expect(before.swap[0]).toMatchObject({ used: true, count: 1, cache: true, folio: 0 });
    expect(pteOf(after, 0, 0)).toMatchObject({ present: true, write: true, folio: 1 });
    expect(after.swap[0]).toMatchObject({ used: true, count: 1, cache: true, folio: 0 });
    expect(folioOf(after, 0)._refcount).toBe(2); // the swapcache's and the GUP reference
  });

  it('a page not in the swapcache, mapped once: reused by mapcount, nothing to take out of the swapcache', () => {
    const before = kernelAfter(small({ era: '5.7' }), [fault(0, 0), fork(0), zap(1, 0, 1)]);
    expectStep(before, wp(0, 0), (d) => {
      pteOf(d, 0, 0).write = true;
    });
  });
});

describe('do_wp_page: the branches it reports (coverage.ts, README "Coverage")', () => {
  function branchesOf(over: Partial<Bounds>, steps: Action[], step: (k: Kernel) => 0 | string): Record<string, number> {
    const k = kernelAfter(small(over), steps);
    resetBranches();
    expect(step(k)).toBe(0);
    return branchCountsByName();
  }
  const unshared = [fault(0, 0), fork(0), zap(1, 0, 1)];

  it('a write fault that reuses counts reuse; an unshare fault that reuses counts unshare', () => {
    const w = branchesOf({}, unshared, (k) => applyAction(k, wp(0, 0)));
    expect(w['do_wp_page:reuse']).toBe(1);
    expect(w['do_wp_page:unshare']).toBe(0);
    const u = branchesOf({}, unshared, (k) => do_wp_page(k, 0, 0, 'unshare'));
    expect(u['do_wp_page:unshare']).toBe(1);
    expect(u['do_wp_page:reuse']).toBe(0);
  });

  it('6.15: reuse-large counts a large folio reused, not one declined for a GUP reference (refcount > mapcount)', () => {
    const over = { era: '6.15', large: 4 } as const;
    const reused = branchesOf(over, [fault(0, 0), fork(0), zap(1, 0, 4)], (k) => applyAction(k, wp(0, 1)));
    expect(reused['do_wp_page:reuse-large']).toBe(1);
    const held = branchesOf(over, [fault(0, 0), fork(0), zap(1, 0, 4), get(0, 2)], (k) => applyAction(k, wp(0, 1)));
    expect(held['do_wp_page:reuse-large']).toBe(0);
    expect(held['do_wp_page:copy']).toBe(1);
  });
});

describe('do_wp_page: what it refuses, and what it counts', () => {
  it('Return: EINVAL for an mm index that names no mm (no PTE)', () => {
    expectRefused(kernelAfter(small(), []), (k) => do_wp_page(k, 5, 0, 'write'), 'EINVAL');
  });

  it('a write to the zero page copies no folio: no COW copy is counted (consequences.ts)', () => {
    const k = kernelAfter(small(), [read(0, 0)]);
    expect(pteOf(k, 0, 0).zero).toBe(true);
    const f = new Figures();
    activateFigures(f);
    try {
      expect(applyAction(k, write(0, 0))).toBe(0);
    } finally {
      activateFigures(undefined);
    }
    expect(pteOf(k, 0, 0)).toMatchObject({ present: true, zero: false, write: true });
    expect(f.counts.get('cow-copies')).toBeUndefined();
  });
});
