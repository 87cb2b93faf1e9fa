/**
 * Coverage: the named decision branches of the kernel functions (reuse or copy, unshare, PMD split, swap-in
 * exclusive or not, ...), each counted by a one-line `taken(ID)` where the kernel function takes it.
 *
 * A branch is declared once here: its name (`function:outcome`), what it means, and when it is reachable in
 * principle: by which steps (any of them enabled) and under which rules of the era and bounds. A run reports
 * how often each branch was taken; a reachable one never taken is printed as a warning (the bounds do not
 * exercise it), and a spec may require branches (`coverage:` in a spec file).
 *
 * The counters are one module-level Uint32Array indexed by the branch's number: `taken()` is one typed-array
 * increment, no lookup and no allocation, because it runs on the search's hot path (bench core-safe-s5).
 * They count on the thread that runs the kernel code: a search zeroes them when it starts (after the
 * initial state) and reads them when it ends; a parallel search sums its workers' (parallel.ts). Two
 * searches interleaved on one thread (which no command does) would mix their branch counts.
 */
import type { Config } from './config.js';
import {
  forkCopiesPinned,
  gupBreaksCow,
  gupUnshares,
  hasAnonExclusive,
  reclaimSkipsPinned,
  reusesLargeByMmId,
} from './eras.js';

/** One named decision branch of a kernel function. */
export interface Branch {
  /** `function:outcome`, or the function's name when the branch is the function running at all. */
  readonly name: string;
  readonly summary: string;
  /** Steps that can lead here: the branch is reachable only if one of them is enabled. */
  readonly steps: readonly string[];
  /** Further conditions of the era and bounds under which it is reachable (none: always). */
  readonly when?: (cfg: Config) => boolean;
}

const registry: Branch[] = [];

/** Registers a branch; its number is what `taken()` counts it by. */
function branch(b: Branch): number {
  registry.push(b);
  return registry.length - 1;
}

// Steps that run a write fault on a present page, and those that swap a page in.
const WRITE_FAULTS = ['wp', 'write', 'pin_rw', 'pin', 'get'];
// bench-core's `wp` calls do_wp_page() directly: only handle_mm_fault() and GUP reach a huge PMD.
const HUGE_FAULTS = ['write', 'pin_rw', 'pin', 'get'];
const SWAP_INS = ['write', 'read', 'pin', 'pin_rw', 'get'];
const SWAP_OUTS = ['pageout', 'reclaim'];
const pins = (c: Config): boolean => c.pins > 0 && (c.has('pin') || c.has('pin_rw'));
const swaps = (c: Config): boolean => c.swap > 0 && SWAP_OUTS.some((s) => c.has(s));
const larges = (c: Config): boolean => c.large > 1 || c.has('thp');

export const WP_REUSE = branch({
  name: 'do_wp_page:reuse',
  summary: 'a write fault reuses the page (exclusive, or the era says nobody else holds it)',
  steps: WRITE_FAULTS,
});
export const WP_COPY = branch({
  name: 'do_wp_page:copy',
  summary: 'a write fault copies the page (or the zero page) into a fresh one',
  steps: WRITE_FAULTS,
});
export const WP_REUSE_LARGE = branch({
  name: 'do_wp_page:reuse-large',
  summary: 'a non-exclusive page of a large folio reused because MM-ID says one mm maps it (6.15)',
  steps: ['wp', 'write', 'pin_rw'],
  when: (c) => reusesLargeByMmId(c) && c.large > 1,
});
export const WP_UNSHARE = branch({
  name: 'do_wp_page:unshare',
  summary: 'an unshare fault (R/O pin) marks the page exclusive without copying (5.19+)',
  steps: ['pin'],
  when: (c) => gupUnshares(c) && c.pins > 0,
});
export const WP_UNSHARE_COPY = branch({
  name: 'do_wp_page:unshare-copy',
  summary: 'an unshare fault (R/O pin) copies the page (5.19+)',
  steps: ['pin'],
  when: (c) => gupUnshares(c) && c.pins > 0,
});
export const HUGE_WP_REUSE = branch({
  name: 'do_huge_pmd_wp_page:reuse',
  summary: 'a write or unshare fault on a huge PMD reuses the THP',
  steps: HUGE_FAULTS,
  when: (c) => c.has('thp'),
});
export const HUGE_WP_FALLBACK = branch({
  name: 'do_huge_pmd_wp_page:split',
  summary: 'a write or unshare fault on a huge PMD splits it and faults the page',
  steps: HUGE_FAULTS,
  when: (c) => c.has('thp') && c.has('fork'),
});
export const SWAPIN_EXCLUSIVE = branch({
  name: 'do_swap_page:exclusive',
  summary: 'a swap-in maps the page exclusive (the exclusive marker, or the only swap reference)',
  steps: SWAP_INS,
  when: swaps,
});
export const SWAPIN_SHARED = branch({
  name: 'do_swap_page:shared',
  summary: 'a swap-in maps the page read-only and not exclusive (the entry is shared)',
  steps: SWAP_INS,
  when: (c) => swaps(c) && c.has('fork'),
});
export const SWAPIN_SWAPCACHE = branch({
  name: 'do_swap_page:swapcache',
  summary: 'a swap-in finds the folio still in the swapcache (another mm swapped it in, or a reference kept it)',
  steps: SWAP_INS,
  when: (c) => swaps(c) && (c.has('fork') || c.has('get')),
});
export const FORK_SHARE = branch({
  name: 'copy_present_pte:share',
  summary: 'fork shares a present page with the child, write-protected in both',
  steps: ['fork'],
});
export const FORK_COPY_PINNED = branch({
  name: 'copy_present_pte:copy-pinned',
  summary: 'fork gives the child a copy of a maybe-pinned (exclusive) page (5.9+)',
  steps: ['fork'],
  when: (c) => forkCopiesPinned(c) && pins(c),
});
export const FORK_SWAP = branch({
  name: 'copy_nonpresent_pte:swap',
  summary: 'fork shares a swap entry, clearing its exclusive marker',
  steps: ['fork'],
  when: swaps,
});
export const FORK_HUGE_SHARE = branch({
  name: 'copy_huge_pmd:share',
  summary: 'fork shares a huge PMD with the child',
  steps: ['fork'],
  when: (c) => c.has('thp'),
});
export const FORK_HUGE_SPLIT = branch({
  name: 'copy_huge_pmd:split-pinned',
  summary: 'fork splits a maybe-pinned huge PMD and copies page by page (5.9+)',
  steps: ['fork'],
  when: (c) => c.has('thp') && forkCopiesPinned(c) && pins(c),
});
export const FORK_DONTCOPY = branch({
  name: 'dup_mmap:dontcopy',
  summary: 'fork leaves out a VM_DONTCOPY (MADV_DONTFORK) range',
  steps: ['fork'],
  when: (c) => c.has('dontfork'),
});
export const ZAP_SWAP = branch({
  name: 'zap_nonpresent_ptes:swap',
  summary: 'a zap drops a swap entry',
  steps: ['zap', 'munmap', 'exit'],
  when: swaps,
});
export const ZAP_PINNED = branch({
  name: 'zap_pte_range:pinned',
  summary: 'a zap unmaps a pinned page: the pin keeps the page, detached from the mapping',
  steps: ['zap', 'munmap', 'exit'],
  when: pins,
});
export const SPLIT_PMD = branch({
  name: '__split_huge_pmd',
  summary: 'a huge PMD becomes a table of PTEs',
  steps: ['split_pmd', 'zap', 'munmap', 'mprotect', 'mremap', 'pageout', 'cold', 'reclaim', 'split_folio'],
  when: (c) => c.has('thp'),
});
export const SPLIT_FOLIO = branch({
  name: 'split_huge_page:split',
  summary: 'a large folio is split into small ones',
  steps: ['split_folio', 'pageout', 'cold', 'reclaim'],
  when: larges,
});
export const SPLIT_FOLIO_REFUSED = branch({
  name: 'split_huge_page:refused-pinned',
  summary: 'a split is refused: the folio is pinned or holds a FOLL_GET reference',
  steps: ['split_folio', 'pageout', 'cold', 'reclaim'],
  when: (c) => larges(c) && c.pins > 0 && ['pin', 'pin_rw', 'get'].some((s) => c.has(s)),
});
export const RECLAIM_SWAP_OUT = branch({
  name: 'shrink_folio_list:swap-out',
  summary: 'reclaim unmaps a folio into swap entries and frees it',
  steps: SWAP_OUTS,
  when: (c) => c.swap > 0,
});
export const RECLAIM_SKIP_PINNED = branch({
  name: 'shrink_folio_list:skip-pinned',
  summary: 'reclaim leaves a maybe-pinned folio alone (5.8+)',
  steps: SWAP_OUTS,
  when: (c) => reclaimSkipsPinned(c) && c.swap > 0 && pins(c),
});
export const ADVISE_SKIP_SHARED = branch({
  name: 'madvise_cold_or_pageout:skip-shared',
  summary: 'MADV_PAGEOUT or MADV_COLD leaves a folio that may be mapped shared alone',
  steps: ['pageout', 'cold'],
  when: (c) => c.has('fork'),
});
export const ADVISE_SPLIT = branch({
  name: 'madvise_cold_or_pageout:split',
  summary: 'MADV_PAGEOUT or MADV_COLD splits a large folio the range covers in part',
  steps: ['pageout', 'cold'],
  when: larges,
});
export const GUP_BREAK_COW = branch({
  name: 'pin_user_pages:break-cow',
  summary: 'a R/O pin in a COW mapping faults for write first (5.8)',
  steps: ['pin'],
  when: (c) => gupBreaksCow(c) && c.pins > 0,
});
export const MPROTECT_WRITABLE = branch({
  name: 'mprotect_fixup:writable',
  summary: 'mprotect(PROT_WRITE) makes a PTE writable: its page is exclusive (5.19+)',
  steps: ['mprotect'],
  when: hasAnonExclusive,
});
export const MPROTECT_STAYS_RO = branch({
  name: 'mprotect_fixup:stays-read-only',
  summary: 'mprotect(PROT_WRITE) leaves a PTE read-only: its page is not exclusive',
  steps: ['mprotect'],
});
export const MREMAP_HUGE = branch({
  name: 'move_huge_pmd',
  summary: 'mremap moves a whole huge PMD',
  steps: ['mremap'],
  when: (c) => c.has('thp'),
});

/** Every branch, in the order of their numbers. */
export const BRANCHES: readonly Branch[] = registry;
export const BRANCH_NAMES: readonly string[] = registry.map((b) => b.name);

/** Times each branch was taken on this thread since `resetBranches`. */
export const branchCounts = new Uint32Array(registry.length);

/** Counts branch `id` as taken `n` times (one increment: this runs on the search's hot path). */
export function taken(id: number, n = 1): void {
  branchCounts[id] = (branchCounts[id] as number) + n;
}

export function resetBranches(): void {
  branchCounts.fill(0);
}

/** Whether a branch can be taken under `cfg`: one of its steps is enabled and its conditions hold. */
export function reachable(b: Branch, cfg: Config): boolean {
  return b.steps.some((s) => cfg.has(s)) && (b.when?.(cfg) ?? true);
}

/** Counts by name: per step kind (transitions that took it) and per branch (times taken). */
export interface CoverageCounts {
  readonly steps: Readonly<Record<string, number>>;
  readonly branches: Readonly<Record<string, number>>;
}

/** Counts under a configuration, and what never fired though it could (enabled steps, reachable branches). */
export interface CoverageReport extends CoverageCounts {
  readonly unfired: { readonly steps: readonly string[]; readonly branches: readonly string[] };
}

/** This thread's branch counters by name (every branch, taken or not). */
export function branchCountsByName(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [i, b] of BRANCHES.entries()) out[b.name] = branchCounts[i] as number;
  return out;
}

/**
 * A run's coverage under `cfg`: the enabled step kinds with their counts, the branches reachable under
 * `cfg` (and any other taken) with theirs, and what never fired though it could. `ops`: the step kinds a
 * script names, when a script ran (only those could fire).
 */
export function coverageReport(full: Config, counts: CoverageCounts, ops?: readonly string[]): CoverageReport {
  // A script's configuration: the same but for the steps enabled (`has` reads `ops`).
  const cfg: Config = ops === undefined ? full : Object.create(full, { ops: { value: ops } });
  const steps: Record<string, number> = {};
  for (const op of cfg.ops) steps[op] = counts.steps[op] ?? 0;
  const branches: Record<string, number> = {};
  const never: string[] = [];
  for (const b of BRANCHES) {
    const n = counts.branches[b.name] ?? 0;
    const canFire = reachable(b, cfg);
    if (canFire || n > 0) branches[b.name] = n;
    if (canFire && n === 0) never.push(b.name);
  }
  return {
    steps,
    branches,
    unfired: { steps: cfg.ops.filter((op) => steps[op] === 0), branches: never },
  };
}
