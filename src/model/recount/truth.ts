/**
 * The ground truth: counts recomputed from the page tables, which every maintained counter must equal.
 *
 * Computed once per checked state into preallocated arrays (docs/kernel-rules.md §3: ptemaps(page), pmdmaps,
 * the mappings per mm, and the (VMA, page table) pairs of the tuple proposal), then read by each invariant
 * and each mapcount scheme.
 */
import type { Config } from '../config.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../state/schema.js';
import { sameVma } from './vma.js';

export class Truth {
  /** ptemaps[slot * large + page]: present PTEs, over all mms, mapping that page. */
  readonly ptemaps: Int32Array;
  /** tuples[slot]: distinct (VMA, page table) pairs holding a PTE or huge PMD that maps the folio. */
  readonly tuples: Int32Array;
  /** pmdmaps[slot]: huge PMDs, over all mms, mapping the folio. */
  readonly pmdmaps: Int32Array;
  /** mmmaps[slot * mms + m]: PTEs and PMDs of mm m mapping the folio. */
  readonly mmmaps: Int32Array;
  /** The allocated slots, ascending: used[0 .. nrUsed). Invariants iterate these, not every slot. */
  readonly used: Int32Array;
  nrUsed = 0;
  private readonly seen: Int32Array;
  private readonly vmaStart: Int32Array;
  private stamp = 0;
  readonly large: number;
  private readonly mms: number;
  private readonly va: number;
  private readonly nrPt: number;
  /** Distinct (VMA, page table) pairs per folio: (mm, vm_start, table). */
  private readonly pairs: number;
  private readonly countTuples: boolean;

  constructor(cfg: Config) {
    this.large = cfg.folioPages;
    this.mms = cfg.mms;
    this.va = cfg.va;
    this.nrPt = cfg.nrPt;
    this.pairs = cfg.mms * cfg.va * cfg.nrPt;
    this.ptemaps = new Int32Array(cfg.slots * cfg.folioPages);
    this.tuples = new Int32Array(cfg.slots);
    this.used = new Int32Array(cfg.slots);
    this.pmdmaps = new Int32Array(cfg.slots);
    this.mmmaps = new Int32Array(cfg.slots * cfg.mms);
    // Only configurations with mapcount schemes pay for the pairs (their table grows with mms * va * tables).
    this.countTuples = cfg.schemes.length > 0;
    this.seen = new Int32Array(this.countTuples ? cfg.slots * this.pairs : 0);
    this.vmaStart = new Int32Array(cfg.va);
  }

  /** Recomputes every count from `k`'s page tables. */
  recount(k: Kernel): void {
    const { ptemaps, tuples, seen, large, mmmaps, vmaStart, mms, countTuples } = this;
    const { pt, va, tracksVmas } = k.cfg;
    // Loops, not fill(): for these few words a call of the builtin cost more than the stores (recount
    // 263 -> 226 ns a state on core-safe-s5, measured alone over 3,000 of its states).
    for (let i = 0; i < ptemaps.length; i++) ptemaps[i] = 0;
    for (let i = 0; i < tuples.length; i++) tuples[i] = 0;
    for (let i = 0; i < mmmaps.length; i++) mmmaps[i] = 0;
    this.stamp += 1;
    if (this.stamp === 0x7fffffff) {
      seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let nrUsed = 0;
    for (let s = 0; s < k.folio.length; s++) if ((k.folio[s] as Folio).used) this.used[nrUsed++] = s;
    this.nrUsed = nrUsed;
    const pmdmaps = this.pmdmaps;
    for (let i = 0; i < pmdmaps.length; i++) pmdmaps[i] = 0;
    for (let m = 0; m < k.mm.length; m++) {
      const mm = k.mm[m] as Mm;
      // vm_start of every page's VMA: with one VMA (no operation changes them) it is 0 throughout.
      if (tracksVmas && countTuples) {
        for (let a = 0; a < va; a++) vmaStart[a] = a > 0 && sameVma(mm, a - 1, a) ? (vmaStart[a - 1] as number) : a;
      }
      for (let t = 0; t < mm.pmd.length; t++) {
        const pmd = mm.pmd[t] as Pmd;
        if (!pmd.huge || pmd.folio < 0 || pmd.folio >= pmdmaps.length) continue;
        pmdmaps[pmd.folio] = (pmdmaps[pmd.folio] as number) + 1;
        mmmaps[pmd.folio * mms + m] = (mmmaps[pmd.folio * mms + m] as number) + 1;
        if (!countTuples) continue;
        const pair = this.pair(pmd.folio, m, tracksVmas ? (vmaStart[t * pt] as number) : 0, t);
        if (seen[pair] !== stamp) {
          seen[pair] = stamp;
          tuples[pmd.folio] = (tuples[pmd.folio] as number) + 1;
        }
      }
      for (let a = 0; a < mm.pte.length; a++) {
        const pte = mm.pte[a] as Pte;
        if (!pte.present) continue;
        const s = pte.folio;
        if (s < 0 || s >= tuples.length || pte.page < 0 || pte.page >= large) continue; // ptesValid reports it
        const i = s * large + pte.page;
        ptemaps[i] = (ptemaps[i] as number) + 1;
        mmmaps[s * mms + m] = (mmmaps[s * mms + m] as number) + 1;
        if (!countTuples) continue;
        const pair = this.pair(s, m, tracksVmas ? (vmaStart[a] as number) : 0, (a / pt) | 0);
        if (seen[pair] !== stamp) {
          seen[pair] = stamp;
          tuples[s] = (tuples[s] as number) + 1;
        }
      }
    }
  }

  /**
   * The index in `seen` of folio `slot`'s pair (mm `m`, the VMA starting at page `start`, page table `table`):
   * one formula for the PMDs and the PTEs, so that a huge PMD and the PTEs of one table name the same pair.
   */
  private pair(slot: number, m: number, start: number, table: number): number {
    return slot * this.pairs + (m * this.va + start) * this.nrPt + table;
  }

  /** PTE mappings of one page. */
  maps(slot: number, page: number): number {
    return this.ptemaps[slot * this.large + page] as number;
  }

  /** Every mapping of one page: its PTEs and the huge PMDs mapping its folio. */
  allMaps(slot: number, page: number): number {
    return (this.ptemaps[slot * this.large + page] as number) + (this.pmdmaps[slot] as number);
  }

  /** maps(folio): every PTE and PMD mapping any page of the folio (docs/kernel-rules.md §3). */
  folioMaps(slot: number): number {
    let n = 0;
    for (let m = 0; m < this.mms; m++) n += this.mmmaps[slot * this.mms + m] as number;
    return n;
  }

  /** Mappings of the folio by mm `m`. */
  mmMaps(slot: number, m: number): number {
    return this.mmmaps[slot * this.mms + m] as number;
  }

  /** |mms(folio)|: the mms with at least one mapping of the folio. */
  mmsMapping(slot: number): number {
    let n = 0;
    for (let m = 0; m < this.mms; m++) if ((this.mmmaps[slot * this.mms + m] as number) > 0) n += 1;
    return n;
  }
}
