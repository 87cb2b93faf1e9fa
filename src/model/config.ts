import { DEFAULT_ERA, type Era, type EraRules, eraRules } from './eras.js';

/**
 * Bounds of a model instance and the values derived from them.
 *
 * The model is parameterised, never specialised: bench-core (docs/bench-core.md) is one choice of
 * these bounds. A `Config` is a frozen class instance on purpose: immer does not draft class instances, so a
 * `Kernel` can carry its configuration through `produceWithPatches` without the bounds showing up in diffs.
 */

/** The user-visible bounds; every field is a CLI option of the same name. */
export interface Bounds {
  /** Most mms that may exist; mm 0 exists at the start, fork(m) creates the others. */
  readonly mms: number;
  /** Virtual pages per mm (one anonymous VMA covering addresses 0..va-1). */
  readonly va: number;
  /** PTEs per page table: address a lives in page table a div pt. */
  readonly pt: number;
  /** Pages of a large folio (a power of two dividing pt); 1 means small folios only. */
  readonly large: number;
  /** Folio slots: allocation fails (the operation is not enabled) when all are in use. */
  readonly slots: number;
  /** Most live GUP pins at any time. */
  readonly pins: number;
  /**
   * Enabled steps, by name: the step registry (steps/index.ts) names and checks them (configure.ts); the
   * configuration stays a leaf module that everything may import.
   */
  readonly ops: readonly string[];
  /** Shorthand for adding `tuple-naive` to `schemes` (bench-core's core-tuple). */
  readonly tuple?: boolean;
  /** The kernel era whose rules apply (eras.ts). Default 5.19. */
  readonly era?: Era;
  /** PG_anon_exclusive granularity: the kernel's bit per page, or one bit per folio. Default page. */
  readonly ae?: AeGranularity;
  /**
   * Mapcount schemes maintained beside the ground truth and checked after every step (mapcount/index.ts).
   * Default none; era 6.15 always adds mm-id, which its COW reuse reads.
   */
  readonly schemes?: readonly string[];
  /**
   * The scheme the kernel's mapcount-derived decisions ask instead of the era's own source (decide.ts): COW
   * reuse, deferred split, reclaim, MADV_PAGEOUT, pagemap. It is maintained, so it is added to `schemes`.
   * Default none: every decision is the era's.
   */
  readonly decider?: string;
  /**
   * A policy: a named bundle (`jan-2023`, `kernel-6.15`) or `era/ae[@decider]` (policies.ts), standing for
   * `era`, `ae` and `decider`; fields also given must agree with it. Expanded by `makeConfig`.
   */
  readonly policy?: string;
  /** Pages mapped at the start (mm 0's first VMA is 0..map-1); the rest is free address space. Default va. */
  readonly map?: number;
  /** Swap slots (0: no swap). */
  readonly swap?: number;
  /** Track page contents and check that no mm sees another's writes (data isolation). */
  readonly data?: boolean;
  /**
   * The mTHP orders a write fault may allocate (alloc_anon_folio() tries the highest whose range is empty
   * first); order 0 is always possible. Default: the order of `large` alone. Each must be below log2(pt)
   * + 1 and at most log2(large).
   */
  readonly orders?: readonly number[];
  /**
   * Store one state per renaming of the mm numbers (symmetry reduction): mms are interchangeable once
   * created, so states that differ only in which number each mm has are one state. Default off.
   */
  readonly symmetry?: boolean;
  /**
   * A read fault on an empty PTE allocates and maps a folio as a write fault does (mm/memory.c
   * do_anonymous_page() past its zero-page branch), instead of mapping the shared zero page. The kernel
   * does so where mm_forbids_zeropage() holds (s390 guests with storage keys), and some guest kernels do so
   * for every read fault (seen on a 6.18 guest booted with pvm_no_zero_page=1, which still maps the
   * zero-filled pages of a split folio to the zero page: only the fault path changes). `foliocheck kernel`
   * asks the running kernel. Default off: a read fault maps the zero page.
   */
  readonly readAllocates?: boolean;
}

export const AE_GRANULARITIES = ['page', 'folio'] as const;
export type AeGranularity = (typeof AE_GRANULARITIES)[number];

/** Why an option field (a bound, a search option) was refused: the field, what was expected, what was given. */
export interface FieldError {
  readonly field: string;
  readonly expected: string;
  readonly got: string;
}

/** A bound that was refused: the field (a field of `Bounds`, or an unknown one), what was expected, what was given. */
export type BoundsError = FieldError;

/**
 * What the layers above the configuration derive for it (configure.ts): the configuration stays a leaf
 * module that names steps and schemes only, and is handed what their registries say about them.
 */
export interface ConfigDerived {
  /** Huge PMDs can exist (some enabled step maps PMD-sized folios). */
  readonly hugePmds: boolean;
  /** PTEs can be other than none or present (zero page, swap entries) besides what swap slots imply. */
  readonly specialPtes: boolean;
  /** Some enabled step changes VMA attributes. */
  readonly changesVmas: boolean;
  /**
   * The selected mapcount schemes' per-folio words in `folio.mc` order, resolved for this configuration
   * (called once the geometry fields are set; mapcount/index.ts lays them out).
   */
  readonly folioWords: (cfg: Config) => readonly FolioWord[];
}

/** One per-folio word of a mapcount scheme, with its range under this configuration. */
export interface FolioWord {
  /** `_tuple_mapcount`, as the kernel or the proposal spells it. */
  readonly name: string;
  /** The scheme that keeps it. */
  readonly scheme: string;
  /** The word holds an mm's id (m + 1, 0 for none). */
  readonly mmId?: boolean;
  readonly min: number;
  readonly max: number;
}

/** Bounds plus derived constants; built once per model instance by `makeConfig` (configure.ts). */
export class Config implements Bounds {
  readonly mms: number;
  readonly va: number;
  readonly pt: number;
  readonly large: number;
  readonly slots: number;
  readonly pins: number;
  readonly ops: readonly string[];
  readonly map: number;
  readonly swap: number;
  readonly data: boolean;
  readonly orders: readonly number[];
  /** One state per renaming of mm numbers (`--symmetry`). */
  readonly symmetry: boolean;
  /** A read fault allocates a folio instead of mapping the zero page (`Bounds.readAllocates`). */
  readonly readAllocates: boolean;
  /** Folio orders a write fault may allocate, highest first (alloc_anon_folio() tries them in turn). */
  readonly anonOrders: readonly number[];
  /** MADV_DONTNEED sizes explored: the powers of two 1..large (docs/bench-core.md's generalisation). */
  readonly zapSizes: readonly number[];
  /** Page tables per mm. */
  readonly nrPt: number;
  /** Most pages of any folio: `pt` when PMD-sized folios exist (thp), else `large`. */
  readonly folioPages: number;
  /** Huge PMDs can exist (an enabled step maps PMD-sized folios: `thp`); read on hot paths, so a field. */
  readonly hugePmds: boolean;
  /** PTEs can be other than none or present (zero page, swap entries). */
  readonly specialPtes: boolean;
  readonly era: Era;
  /** The era's rules; read through the predicates of eras.ts. */
  readonly rules: EraRules;
  readonly ae: AeGranularity;
  /** `ae` is folio: one PG_anon_exclusive bit per folio, in the head page. */
  readonly aeFolio: boolean;
  /**
   * Selected mapcount schemes by name (mm-id added in era 6.15). Their implementations and the layout of
   * their words live in mapcount/index.ts (`schemeSlots(cfg)`), which checks the names: the configuration
   * stays a leaf module that everything may import.
   */
  readonly schemes: readonly string[];
  /** The deciding scheme (`--decide-with`), or undefined: the era decides from its own counts. */
  readonly decider?: string;
  /** Whether VMA attributes can differ from "one writable VMA over 0..va-1" (some operation changes them). */
  readonly tracksVmas: boolean;
  /** The selected schemes' per-folio words, in `folio.mc` order (`mcWords` of them). */
  readonly folioWords: readonly FolioWord[];
  readonly mcWords: number;
  /** Selected schemes that keep words (the bits of `Kernel.bad_page`). */
  readonly nrSchemes: number;

  constructor(b: Bounds, derived: ConfigDerived) {
    this.mms = b.mms;
    this.va = b.va;
    this.pt = b.pt;
    this.large = b.large;
    this.slots = b.slots;
    this.pins = b.pins;
    this.ops = [...b.ops];
    this.era = b.era ?? DEFAULT_ERA;
    this.rules = eraRules(this.era);
    this.ae = b.ae ?? 'page';
    this.aeFolio = this.ae === 'folio';
    const wanted = new Set([...(b.schemes ?? []), ...(b.tuple ? ['tuple-naive'] : [])]);
    if (this.rules.reusesLargeByMmId) wanted.add('mm-id');
    if (b.decider !== undefined) wanted.add(b.decider);
    this.schemes = [...wanted];
    if (b.decider !== undefined) this.decider = b.decider;
    this.map = b.map ?? b.va;
    this.swap = b.swap ?? 0;
    this.data = b.data ?? false;
    this.symmetry = b.symmetry ?? false;
    this.readAllocates = b.readAllocates ?? false;
    const top = Math.log2(b.large);
    const orders = b.orders ?? (top > 0 ? [top] : []);
    this.orders = [...orders];
    this.anonOrders = [...new Set([...orders, 0])].sort((x, y) => y - x);
    const sizes: number[] = [];
    for (let n = 1; n <= b.large; n *= 2) sizes.push(n);
    this.zapSizes = sizes;
    this.nrPt = b.va / b.pt;
    this.hugePmds = derived.hugePmds;
    this.specialPtes = derived.specialPtes || this.swap > 0;
    this.folioPages = this.hugePmds ? Math.max(b.pt, b.large) : b.large;
    this.tracksVmas = this.map < this.va || derived.changesVmas;
    // Set before the words are resolved: their ranges depend on the geometry above.
    this.folioWords = [];
    this.mcWords = 0;
    this.nrSchemes = 0;
    const words = derived.folioWords(this);
    this.folioWords = words;
    this.mcWords = words.length;
    this.nrSchemes = new Set(words.map((w) => w.scheme)).size;
    Object.freeze(this);
  }

  has(op: string): boolean {
    return this.ops.includes(op);
  }

  /** The bounds alone, for printing and JSON. */
  bounds(): Bounds {
    const { mms, va, pt, large, slots, pins, ops, map, swap, data, orders, era, ae, schemes, decider } = this;
    return {
      mms,
      va,
      pt,
      large,
      slots,
      pins,
      ops: [...ops],
      map,
      swap,
      data,
      orders: [...orders],
      era,
      ae,
      schemes: [...schemes],
      ...(decider !== undefined ? { decider } : {}),
      ...(this.symmetry ? { symmetry: true } : {}),
      ...(this.readAllocates ? { readAllocates: true } : {}),
    };
  }
}

export class BoundsRejected extends Error {
  readonly errors: readonly BoundsError[];
  constructor(errors: readonly BoundsError[]) {
    super(errors.map((e) => `${e.field}: expected ${e.expected}, got ${e.got}`).join('; '));
    this.name = 'BoundsRejected';
    this.errors = errors;
  }
}
