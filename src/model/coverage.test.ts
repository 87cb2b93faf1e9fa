/**
 * When a coverage branch can fire (`reachable`) and what a run's coverage report says, checked against a
 * table written by hand from the kernel's rules, branch by branch: the steps that lead to it (each alone
 * suffices, none of the others does), the eras that have it, and the bounds and steps its outcome needs.
 * The counts of real runs are checked in src/coverage.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Config } from './config.js';
import { BRANCHES, type CoverageCounts, coverageReport, reachable } from './coverage.js';
import { ERAS, type Era, eraRules } from './eras.js';
import { OP_NAMES } from './steps/index.js';

interface Shape {
  readonly era: Era;
  readonly ops: readonly string[];
  readonly pins: number;
  readonly swap: number;
  readonly large: number;
}

/** What `reachable` reads of a configuration, without the geometry checks of makeConfig. */
function cfgOf(s: Shape): Config {
  // `has` reads `this.ops`, as Config's does: a script's report narrows `ops` on a derived object.
  const cfg = {
    ...s,
    rules: eraRules(s.era),
    has(this: Shape, op: string) {
      return this.ops.includes(op);
    },
  };
  return cfg as unknown as Config;
}

/** Pins, swap and large folios all possible: only what a row takes away makes a branch unreachable. */
const ROOMY = { pins: 1, swap: 1, large: 4 };

interface Row {
  readonly name: string;
  /** The steps that can run the kernel function to this outcome: each one alone, with `with`, reaches it. */
  readonly steps: readonly string[];
  /** Steps that must be enabled as well (what makes the outcome possible: fork to share, pageout to swap). */
  readonly with?: readonly string[];
  /** Any one of these steps (added to the rest) makes the outcome possible; none of them, impossible. */
  readonly oneOf?: readonly string[];
  /** The eras that have the branch (all when absent). */
  readonly eras?: readonly Era[];
  /** Bounds each of which alone (over ROOMY) makes the outcome impossible, and why. */
  readonly not?: readonly (readonly [Partial<Shape>, string])[];
  /** Bounds that make it possible though ROOMY's `large` is taken away (a THP is large folio enough). */
  readonly alsoWith?: readonly Partial<Shape>[];
}

const WRITE_FAULTS = ['wp', 'write', 'pin_rw', 'pin', 'get'];
const HUGE_FAULTS = ['write', 'pin_rw', 'pin', 'get'];
const SWAP_INS = ['write', 'read', 'pin', 'pin_rw', 'get'];
const NO_PINS: readonly [Partial<Shape>, string] = [{ pins: 0 }, 'no pin entry: nothing is ever pinned'];
const NO_SWAP: readonly [Partial<Shape>, string] = [{ swap: 0 }, 'no swap slot: nothing is ever swapped out'];

const ROWS: readonly Row[] = [
  { name: 'do_wp_page:reuse', steps: WRITE_FAULTS },
  { name: 'do_wp_page:copy', steps: WRITE_FAULTS },
  {
    name: 'do_wp_page:reuse-large',
    steps: ['wp', 'write', 'pin_rw'],
    eras: ['6.15'],
    not: [[{ large: 1 }, 'no large folio to reuse whole']],
  },
  { name: 'do_wp_page:unshare', steps: ['pin'], eras: ['5.19', '6.15'], not: [NO_PINS] },
  { name: 'do_wp_page:unshare-copy', steps: ['pin'], eras: ['5.19', '6.15'], not: [NO_PINS] },
  { name: 'do_huge_pmd_wp_page:reuse', steps: HUGE_FAULTS, with: ['thp'] },
  { name: 'do_huge_pmd_wp_page:split', steps: HUGE_FAULTS, with: ['thp', 'fork'] },
  { name: 'do_swap_page:exclusive', steps: SWAP_INS, oneOf: ['pageout', 'reclaim'], not: [NO_SWAP] },
  { name: 'do_swap_page:shared', steps: SWAP_INS, with: ['fork'], oneOf: ['pageout', 'reclaim'], not: [NO_SWAP] },
  // The swapcache keeps a folio another mm swapped in (fork), or one a reference held (get).
  { name: 'do_swap_page:swapcache', steps: SWAP_INS, with: ['pageout'], oneOf: ['fork', 'get'], not: [NO_SWAP] },
  { name: 'copy_present_pte:share', steps: ['fork'] },
  {
    name: 'copy_present_pte:copy-pinned',
    steps: ['fork'],
    oneOf: ['pin', 'pin_rw'],
    eras: ['5.9', '5.19', '6.15'],
    not: [NO_PINS],
  },
  { name: 'copy_nonpresent_pte:swap', steps: ['fork'], oneOf: ['pageout', 'reclaim'], not: [NO_SWAP] },
  { name: 'copy_huge_pmd:share', steps: ['fork'], with: ['thp'] },
  {
    name: 'copy_huge_pmd:split-pinned',
    steps: ['fork'],
    with: ['thp'],
    oneOf: ['pin', 'pin_rw'],
    eras: ['5.9', '5.19', '6.15'],
    not: [NO_PINS],
  },
  { name: 'dup_mmap:dontcopy', steps: ['fork'], with: ['dontfork'] },
  { name: 'zap_nonpresent_ptes:swap', steps: ['zap', 'munmap', 'exit'], oneOf: ['pageout', 'reclaim'], not: [NO_SWAP] },
  { name: 'zap_pte_range:pinned', steps: ['zap', 'munmap', 'exit'], oneOf: ['pin', 'pin_rw'], not: [NO_PINS] },
  {
    name: '__split_huge_pmd',
    steps: ['split_pmd', 'zap', 'munmap', 'mprotect', 'mremap', 'pageout', 'cold', 'reclaim', 'split_folio'],
    with: ['thp'],
  },
  {
    name: 'split_huge_page:split',
    steps: ['split_folio', 'pageout', 'cold', 'reclaim'],
    not: [[{ large: 1 }, 'every folio is a single page (no thp)']],
    alsoWith: [{ large: 1, ops: ['thp'] }],
  },
  {
    name: 'split_huge_page:refused-pinned',
    steps: ['split_folio', 'pageout', 'cold', 'reclaim'],
    oneOf: ['pin', 'pin_rw', 'get'],
    not: [NO_PINS, [{ large: 1 }, 'every folio is a single page (no thp)']],
    alsoWith: [{ large: 1, ops: ['thp'] }],
  },
  { name: 'shrink_folio_list:swap-out', steps: ['pageout', 'reclaim'], not: [NO_SWAP] },
  {
    name: 'shrink_folio_list:skip-pinned',
    steps: ['pageout', 'reclaim'],
    oneOf: ['pin', 'pin_rw'],
    eras: ['5.8', '5.9', '5.19', '6.15'],
    not: [NO_PINS, NO_SWAP],
  },
  { name: 'madvise_cold_or_pageout:skip-shared', steps: ['pageout', 'cold'], with: ['fork'] },
  {
    name: 'madvise_cold_or_pageout:split',
    steps: ['pageout', 'cold'],
    not: [[{ large: 1 }, 'every folio is a single page (no thp)']],
    alsoWith: [{ large: 1, ops: ['thp'] }],
  },
  { name: 'pin_user_pages:break-cow', steps: ['pin'], eras: ['5.8'], not: [NO_PINS] },
  { name: 'mprotect_fixup:writable', steps: ['mprotect'], eras: ['5.19', '6.15'] },
  { name: 'mprotect_fixup:stays-read-only', steps: ['mprotect'] },
  { name: 'move_huge_pmd', steps: ['mremap'], with: ['thp'] },
];

const branchNamed = (name: string) => {
  const b = BRANCHES.find((x) => x.name === name);
  if (b === undefined) throw new Error(`no branch ${name}`);
  return b;
};

/** Whether `row`'s branch is reachable under ROOMY bounds in `era` with `ops`, and `over` on top. */
function reach(row: Row, era: Era, ops: readonly string[], over: Partial<Shape> = {}): boolean {
  const all = [...new Set([...ops, ...(over.ops ?? [])])];
  return reachable(branchNamed(row.name), cfgOf({ era, ...ROOMY, ...over, ops: all }));
}

describe('reachable', () => {
  it('the table names every branch once', () => {
    expect(ROWS.map((r) => r.name).sort()).toEqual(BRANCHES.map((b) => b.name).sort());
  });

  for (const row of ROWS) {
    const base = [...(row.with ?? []), ...(row.oneOf?.slice(0, 1) ?? [])];
    const eras = row.eras ?? ERAS;
    describe(row.name, () => {
      it(`each of ${row.steps.join(', ')} alone leads to it, in ${eras.join(', ')} only`, () => {
        for (const era of ERAS)
          for (const s of row.steps) expect(reach(row, era, [s, ...base]), `${era} ${s}`).toBe(eras.includes(era));
      });

      it('no other step leads to it', () => {
        const others = OP_NAMES.filter((op) => !row.steps.includes(op));
        expect(reach(row, eras[0] as Era, others)).toBe(false);
      });

      if (row.with !== undefined)
        it(`needs ${row.with.join(' and ')}`, () => {
          for (const w of row.with ?? []) {
            const without = base.filter((op) => op !== w);
            expect(reach(row, eras[0] as Era, [row.steps[0] as string, ...without]), w).toBe(false);
          }
        });

      if (row.oneOf !== undefined)
        it(`needs one of ${row.oneOf.join(', ')}`, () => {
          const rest = row.with ?? [];
          for (const o of row.oneOf ?? [])
            expect(reach(row, eras[0] as Era, [row.steps[0] as string, ...rest, o]), o).toBe(true);
          expect(reach(row, eras[0] as Era, [row.steps[0] as string, ...rest])).toBe(false);
        });

      for (const [over, why] of row.not ?? [])
        it(`not with ${JSON.stringify(over)}: ${why}`, () => {
          for (const s of row.steps) expect(reach(row, eras[0] as Era, [s, ...base], over), s).toBe(false);
        });

      for (const over of row.alsoWith ?? [])
        it(`but with ${JSON.stringify(over)}`, () => {
          expect(reach(row, eras[0] as Era, [row.steps[0] as string, ...base], over)).toBe(true);
        });
    });
  }
});

describe('coverageReport', () => {
  const era: Era = '5.19';
  const counts = (steps: Record<string, number>, branches: Record<string, number>): CoverageCounts => ({
    steps,
    branches,
  });

  it('lists the enabled steps with their counts, and the reachable branches with theirs', () => {
    const cfg = cfgOf({ era, ops: ['fault', 'wp', 'zap'], ...ROOMY });
    const r = coverageReport(cfg, counts({ fault: 3, wp: 2 }, { 'do_wp_page:reuse': 2 }));
    expect(r.steps).toEqual({ fault: 3, wp: 2, zap: 0 });
    expect(r.branches).toEqual({ 'do_wp_page:reuse': 2, 'do_wp_page:copy': 0 });
    expect(r.unfired).toEqual({ steps: ['zap'], branches: ['do_wp_page:copy'] });
  });

  it('a branch taken though not reachable is still reported, and not as unfired', () => {
    const cfg = cfgOf({ era, ops: ['fault'], ...ROOMY });
    const r = coverageReport(cfg, counts({ fault: 1 }, { 'copy_present_pte:share': 1 }));
    expect(r.branches).toEqual({ 'copy_present_pte:share': 1 });
    expect(r.unfired).toEqual({ steps: [], branches: [] });
  });

  it("a script's report judges only the steps it names", () => {
    const cfg = cfgOf({ era, ops: ['fault', 'wp', 'fork'], ...ROOMY });
    const r = coverageReport(cfg, counts({ fault: 1 }, {}), ['fault']);
    expect(r.steps).toEqual({ fault: 1 });
    expect(r.branches).toEqual({});
    expect(r.unfired).toEqual({ steps: [], branches: [] });
  });
});
