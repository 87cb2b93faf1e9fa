/**
 * The matrix's axes as data: the standard operation mixes (bounds and depth), the properties that make its
 * columns (sets of invariants), and the policies (era, AnonExclusive granularity) that make its rows.
 */
import type { Bounds } from './model/config.js';
import { INVARIANTS } from './model/invariants/index.js';
import { PROPERTY_CLASSES, type PropertyClass } from './model/invariants/properties.js';
import { SCHEME_NAMES } from './model/mapcount/index.js';
import type { Policy } from './model/policies.js';
import type { OpName } from './model/steps/index.js';

export { type Policy, policyKey } from './model/policies.js';

/** A standard operation mix: the bounds and the steps that exercise one corner of the design space. */
export interface Mix {
  readonly name: string;
  /** What it exercises, and the kernel history it should reproduce. */
  readonly about: string;
  readonly bounds: Omit<Bounds, 'era' | 'ae' | 'schemes' | 'decider' | 'policy'>;
  /**
   * States at this depth are not expanded: "holds" means "within this many steps". Absent: the mix is
   * explored to its complete state space (every mix small enough to finish in a second or two is).
   */
  readonly depth?: number;
  /**
   * Explored with one state per renaming of the mms (state/symmetry.ts; every verdict and shortest
   * counterexample length is the same either way): set where it saves time, measured per mix (README,
   * "Symmetry"). `matrix --symmetry all|none` overrides it for every mix.
   */
  readonly symmetry?: boolean;
}

/** `matrix --symmetry`: every mix, none, or (absent) each mix's own `symmetry`. */
export type SymmetryChoice = 'all' | 'none';

/** Whether `mix` is explored with one state per renaming of the mms (only a mix of several mms can be). */
export function symmetricMix(mix: Mix, choice?: SymmetryChoice): boolean {
  if (mix.bounds.mms < 2 || choice === 'none') return false;
  return choice === 'all' || mix.symmetry === true;
}

const ops = (...names: OpName[]): readonly OpName[] => names;

export const MIXES: readonly Mix[] = [
  {
    name: 'partial-unmap',
    about:
      'one mm faults large folios and unmaps parts of them with MADV_DONTNEED (no VMA changes): §3.2 ' +
      '"map three, unmap two"',
    bounds: {
      mms: 1,
      va: 4,
      pt: 4,
      large: 4,
      slots: 4,
      pins: 0,
      data: true,
      ops: ops('fault', 'zap', 'write'),
    },
  },
  {
    name: 'fork-cow',
    about: 'fork, COW by writes on both sides, partial unmap and exit: THP fragments shared and COWed (§2.2, §2.7)',
    bounds: {
      mms: 2,
      va: 4,
      pt: 4,
      large: 4,
      slots: 6,
      pins: 0,
      data: true,
      ops: ops('fault', 'fork', 'write', 'zap', 'exit'),
    },
    depth: 7,
  },
  {
    name: 'pins',
    about: 'one mm pins its own page R/O and R/W and write-protects it (mprotect): §4 B4(a), lost R/O pins',
    bounds: {
      mms: 1,
      va: 1,
      pt: 1,
      large: 1,
      slots: 3,
      pins: 1,
      data: true,
      ops: ops('fault', 'write', 'pin', 'pin_rw', 'unpin', 'mprotect', 'zap'),
    },
  },
  {
    name: 'fork-pins',
    about: 'pins before and after fork, unmap by either side (vmsplice, io_uring, RDMA): §4 B2, B3, B4(b)',
    bounds: {
      mms: 2,
      va: 1,
      pt: 1,
      large: 1,
      slots: 4,
      pins: 1,
      data: true,
      ops: ops('fault', 'fork', 'write', 'pin', 'pin_rw', 'unpin', 'zap', 'exit'),
    },
  },
  {
    name: 'thp',
    about: 'PMD-mapped THPs through fork, pins, COW and partial zaps (PMD splits): §2.5, §4 B5',
    bounds: {
      mms: 2,
      va: 4,
      pt: 4,
      large: 4,
      slots: 5,
      pins: 1,
      data: true,
      ops: ops('thp', 'fork', 'write', 'zap', 'pin', 'unpin', 'exit'),
    },
    depth: 6,
  },
  {
    name: 'mremap-dontfork',
    about:
      'partial mremap across page tables, MADV_DONTFORK of part of a folio, fork: a folio in two page tables ' +
      'and VMAs, a partly shared folio (§2.8, §2.17)',
    bounds: {
      mms: 2,
      va: 4,
      pt: 2,
      large: 2,
      slots: 3,
      pins: 0,
      map: 2,
      data: true,
      ops: ops('fault', 'mremap', 'dontfork', 'dofork', 'fork', 'write', 'exit'),
    },
    depth: 7,
  },
  {
    name: 'swap',
    about: 'swap-out and swap-in around fork and pins (MADV_PAGEOUT, the swap exclusive marker): §2.12, §2.13',
    bounds: {
      mms: 2,
      va: 2,
      pt: 2,
      large: 2,
      slots: 4,
      pins: 1,
      swap: 2,
      data: true,
      ops: ops('fault', 'fork', 'reclaim', 'write', 'read', 'pin', 'unpin', 'exit'),
    },
    depth: 8,
  },
  {
    name: 'three-mms',
    about:
      'three mms share folios through fork, unmap and exit: where two MM-ID slots run out and the shared bit ' +
      'stays set for a folio one mm maps again (§3.4, the imprecision figure)',
    bounds: {
      mms: 3,
      va: 2,
      pt: 2,
      large: 2,
      slots: 3,
      pins: 0,
      data: true,
      ops: ops('fault', 'fork', 'zap', 'exit', 'write'),
    },
    depth: 9,
    // 2.5 times fewer states (three mms: up to six renamings); 14 runs took 42.5 and 61.5 s with it against
    // 56.9 and 86.4 s without, one thread, alternated (2026-12-03, a loaded machine).
    symmetry: true,
  },
];

/** The properties of the table, each a set of invariants (the shortest failure among them is shown). */
export interface Property {
  readonly key: PropertyClass;
  /** Column heading (short). */
  readonly title: string;
  readonly description: string;
  /** The invariants that make up the property; `desync` is the row's scheme's own. */
  readonly invariants: readonly string[];
  /** Only meaningful where PG_anon_exclusive exists (5.19 on). */
  readonly needsAnonExclusive?: boolean;
  /** Only judged when a scheme decides: the decider table's column. */
  readonly needsDecider?: boolean;
  /** Also shows steps that threw (kernel warnings, model errors). */
  readonly stepFailures?: boolean;
}

/** One column per property class, holding the invariants that declare it (invariants/properties.ts). */
export const PROPERTIES: readonly Property[] = PROPERTY_CLASSES.map((p) => ({
  ...p,
  invariants: INVARIANTS.filter((inv) => inv.property === p.key).map((inv) => inv.name),
}));

/** The era table's policies: an era and AnonExclusive granularity, the era's own counts deciding. */
export const POLICIES: readonly Policy[] = [
  { era: '5.7', ae: 'page' },
  { era: '5.8', ae: 'page' },
  { era: '5.9', ae: 'page' },
  { era: '5.19', ae: 'page' },
  { era: '5.19', ae: 'folio' },
  { era: '6.15', ae: 'page' },
  { era: '6.15', ae: 'folio' },
];

/**
 * The decider table's policies: each scheme deciding under the 6.15 rules (the first whose COW may reuse a
 * large folio, so the one where the answer to "is it shared?" matters most), per-page AE; and the January
 * 2023 proposal as written (tuple count deciding, AE per folio).
 */
export const DECIDER_POLICIES: readonly Policy[] = [
  ...SCHEME_NAMES.map((decider) => ({ era: '6.15' as const, ae: 'page' as const, decider })),
  { era: '6.15', ae: 'folio', decider: 'tuple-naive' },
];
