/**
 * Coverage (model/coverage.ts, counted by KernelSystem): counts on hand-checked scripts, what is reported as
 * never fired, and a spec whose coverage requirement is not met.
 */
import { describe, expect, it } from 'vitest';
import { explore } from './checker/explore.js';
import type { Coverage } from './checker/transitionSystem.js';
import { makeConfig } from './model/configure.js';
import { BRANCH_NAMES, BRANCHES, reachable } from './model/coverage.js';
import { PRESETS } from './model/presets.js';
import { runScriptSpec, runSpec } from './runSpec.js';
import { defineSpec, KernelSystem } from './spec.js';

const ALL = ['fault', 'zap', 'fork', 'wp', 'pin', 'unpin', 'write', 'read', 'exit', 'mprotect', 'pageout'];
const bounds = (era: '5.8' | '5.19', ops = ALL) =>
  ({ mms: 2, va: 4, pt: 4, large: 1, slots: 8, pins: 1, swap: 1, data: true, era, ops }) as const;

function scriptCoverage(era: '5.8' | '5.19', script: string): Coverage {
  const v = runScriptSpec(new KernelSystem(makeConfig(bounds(era)), 'cov'), script);
  expect(v.kind).toBe('success');
  expect(v.coverage).toBeDefined();
  return v.coverage as Coverage;
}

/** The branches taken at least once, with their counts. */
const takenOf = (c: Coverage): Record<string, number> =>
  Object.fromEntries(Object.entries(c.branches).filter(([, n]) => n > 0));

describe('coverage', () => {
  it('counts the branches of a hand-checked script (5.8: the pin breaks COW in the child)', () => {
    // fork shares the page; the child's R/O pin faults for write (5.8) and copies the shared page; the
    // zap unmaps the pinned copy; the parent's write then reuses its page (mapcount 1).
    const c = scriptCoverage('5.8', 'write(0,0); fork(0); pin(1,0,ro); zap(1,0,1); write(0,0)');
    expect(takenOf(c)).toEqual({
      'copy_present_pte:share': 1,
      'pin_user_pages:break-cow': 1,
      'do_wp_page:copy': 1,
      'zap_pte_range:pinned': 1,
      'do_wp_page:reuse': 1,
    });
    expect(c.steps).toEqual({ write: 2, fork: 1, pin: 1, zap: 1 });
    expect(c.unfired.steps).toEqual([]);
  });

  it('counts the branches of a hand-checked script (5.19: the pin unshares, swap-out and swap-in)', () => {
    // The R/O pin of the child's shared page unshares it by copying; mm 1's page is pinned, so reclaim
    // would skip it, but MADV_PAGEOUT of mm 0 swaps mm 0's page (now its alone) out. Fork cleared its
    // PG_anon_exclusive, so the swap PTE has no exclusive marker, and a read fault leaves the folio in the
    // swapcache (should_try_to_free_swap() wants a write fault): swapped in shared, read-only. The write
    // then reuses it: do_wp_page()'s folio_free_swap() drops the swapcache's reference, leaving only ours.
    const c = scriptCoverage('5.19', 'write(0,0); fork(0); pin(1,0,ro); pageout(0,0,1); read(0,0); write(0,0)');
    expect(takenOf(c)).toEqual({
      'copy_present_pte:share': 1,
      'do_wp_page:unshare-copy': 1,
      'shrink_folio_list:swap-out': 1,
      'do_swap_page:shared': 1,
      'do_wp_page:reuse': 1,
    });
    expect(c.steps).toEqual({ write: 2, fork: 1, pin: 1, pageout: 1, read: 1 });
  });

  it("a script's unfired branches are those its own steps could reach", () => {
    const c = scriptCoverage('5.19', 'write(0,0); write(0,0)');
    // Only write is named: fork's, pin's and reclaim's branches are not reachable by this script.
    expect(c.unfired.branches).toContain('do_wp_page:copy');
    expect(c.unfired.branches).not.toContain('copy_present_pte:share');
    expect(c.unfired.branches).not.toContain('do_wp_page:unshare');
  });

  it('a search counts each explored transition once per step kind, and every branch name is registered once', async () => {
    const small = { ...PRESETS['core-safe-p0'], va: 4, pt: 2, large: 2, slots: 3 };
    const sys = new KernelSystem(makeConfig(small), 'small');
    const v = await explore(sys);
    const c = v.coverage as Coverage;
    const total = Object.values(c.steps).reduce((a, b) => a + b, 0);
    expect(total).toBe(v.stats.edges);
    // No pin entry: pin and unpin never fire, and the report says so.
    expect(c.unfired.steps).toEqual(['pin', 'unpin']);
    expect(c.branches['do_wp_page:copy']).toBeGreaterThan(0);
    expect(new Set(BRANCH_NAMES).size).toBe(BRANCHES.length);
  });

  it('reachability follows the era and the bounds', () => {
    const named = (n: string) => BRANCHES.find((b) => b.name === n) as (typeof BRANCHES)[number];
    const unshare = named('do_wp_page:unshare');
    expect(reachable(unshare, makeConfig(bounds('5.19')))).toBe(true);
    expect(reachable(unshare, makeConfig(bounds('5.8')))).toBe(false);
    expect(reachable(named('pin_user_pages:break-cow'), makeConfig(bounds('5.8')))).toBe(true);
    expect(reachable(named('do_swap_page:exclusive'), makeConfig({ ...bounds('5.19'), ops: ['fault', 'read'] }))).toBe(
      false,
    );
  });

  it('a spec whose required branch never fires fails, naming it', async () => {
    const spec = defineSpec({
      name: 'needs a copy',
      about: 'a write to an exclusive page reuses it: the copy this spec requires never happens',
      bounds: bounds('5.19'),
      script: 'write(0,0); write(0,0)',
      coverage: ['do_wp_page:copy', 'write'],
      expect: { verdict: 'success' },
    });
    const r = await runSpec(spec);
    expect(r.verdict.kind).toBe('success');
    expect(r.verdict.mismatches).toEqual([
      "coverage: expected do_wp_page:copy to fire, got 0 times (the spec's coverage requirement)",
    ]);
    const met = await runSpec(defineSpec({ ...spec, script: 'write(0,0); fork(0); write(0,0)' }));
    expect(met.verdict.mismatches).toEqual([]);
  });
});
