/**
 * The shape of a mapcount scheme: per-folio counters kept beside the kernel's, updated by the rmap calls,
 * and checked against the same counts recomputed from the page tables after every step.
 *
 * Models:   docs/kernel-rules.md §3: each scheme the kernel has had or that was proposed is one file in this
 *           directory; `index.ts` lists them. A scheme never changes a kernel decision, with one exception
 *           the kernel itself makes: from 6.15 do_wp_page() reads the MM-ID shared bit (eras.ts).
 * Context:  `add` and `remove` run inside the rmap functions (mm/rmap.c, include/linux/rmap.h), after the
 *           kernel's per-page counts were updated and with the page tables in the state the kernel has at
 *           that call: for removals the PTEs are already cleared, for additions already set.
 *           Every call says which mm and which address it maps, because no scheme beyond per-page
 *           mapcounts can be kept from the folio alone.
 */
import type { Config } from '../config.js';
import type { Truth } from '../recount/truth.js';
import type { WordSpec } from '../state/field.js';
import type { Folio, Kernel } from '../state/schema.js';

/**
 * One per-folio counter of a scheme: its name as the kernel (or the proposal) spells it, and its range.
 * The same declaration as a counter field of the state schema (state/field.ts), so the codec stores both
 * alike: configure.ts resolves the selected schemes' words into `cfg.folioWords`.
 */
export type SchemeWord = WordSpec;

/**
 * One rmap call: `nr` mappings of pages `first..first+nr-1` of the folio, by mm `m` at addresses
 * `addr..addr+nr-1` (PTE level), or one huge PMD mapping the whole folio at `addr` (`level` pmd).
 */
export interface RmapCall {
  m: number;
  addr: number;
  first: number;
  nr: number;
  level: RmapLevel;
}

/** include/linux/rmap.h enum rmap_level: PTE mappings of some pages, or one PMD mapping the whole folio. */
export type RmapLevel = 'pte' | 'pmd';

/** Figures a scheme may gather over every explored state (a scheme's imprecision, for instance). */
export interface SchemeStats {
  /** Named counters: the scheme decides what they mean and how they are printed. */
  readonly counts: Map<string, number>;
}

export interface MapcountScheme {
  /** The `--scheme` name. */
  readonly name: string;
  /** What it counts, in one line, with the release or thread it comes from. */
  readonly summary: string;
  /** The invariant reported when the scheme disagrees with the page tables. */
  readonly invariant: string;
  /** Whether the scheme keeps state for small folios too (the kernel's large-folio counters do not). */
  readonly smallFolios: boolean;
  readonly words: readonly SchemeWord[];
  /** Words are `folio.mc[o .. o + words.length)`; a free folio's words are all zero. */
  add(k: Kernel, folio: Folio, o: number, call: RmapCall): void;
  remove(k: Kernel, folio: Folio, o: number, call: RmapCall): void;
  /**
   * Query: what this scheme answers for folio_mapcount() (its own count: mappings, pairs, or mapped
   * pages), from its words alone, as the kernel would read it.
   */
  folio_mapcount(folio: Folio, o: number): number;
  /**
   * What `folio_mapcount` counts. Only a count of mappings (`mappings`: PTEs plus PMDs, what the kernel
   * compares with the refcount) answers the kernel's folio_mapcount() queries when this scheme decides
   * (decide.ts); a count of mapped pages or of (VMA, page table) pairs answers only "mapped at all?".
   * Absent: the scheme answers no folio_mapcount() query.
   */
  readonly counts?: 'mappings' | 'pages' | 'tuples';
  /**
   * Query, optional: folio_maybe_mapped_shared(), "may more than one mm map this folio?", as the design
   * answers it (the kernel's COW reuse of large folios asks it from 6.15; MADV_PAGEOUT and pagemap too).
   * An estimate that can say "not shared" of a shared folio is allowed: deciding by it is what shows the
   * consequence.
   */
  folio_maybe_mapped_shared?(folio: Folio, o: number): boolean;
  /**
   * Query, optional: is the folio mapped in part, some pages mapped and some not (the deferred-split
   * decision of __folio_remove_rmap(), asked after `remove` ran)?
   */
  folio_partially_mapped?(folio: Folio, o: number): boolean;
  /** Hot path, must not allocate: whether the folio's words agree with the recount `t`. */
  holds(k: Kernel, t: Truth, slot: number, o: number): boolean;
  /** Slow path: the disagreement, one line per value. */
  explain(k: Kernel, t: Truth, slot: number, o: number): string[];
  /** Optional: called once per explored state for each used folio it applies to. */
  observe?(k: Kernel, t: Truth, slot: number, o: number, stats: SchemeStats): void;
  /** Optional: the gathered figures as sentences. */
  report?(stats: SchemeStats): string[];
  /** Optional: the gathered figures in a few characters, for a breakdown (e.g. "811/34,403"). */
  figure?(stats: SchemeStats): string;
}

export function defineScheme(s: MapcountScheme): MapcountScheme {
  return Object.freeze(s);
}

/** Clamp a counter to its declared range: a counter that left it has desynced already (and is reported). */
export function clampWord(cfg: Config, w: SchemeWord, v: number): number {
  const lo = w.min(cfg);
  const hi = w.max(cfg);
  return Math.min(hi, Math.max(lo, v));
}
