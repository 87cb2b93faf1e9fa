/**
 * The ground truth: counts recomputed from the page tables, which every maintained counter must equal.
 *
 * Computed once per checked state into preallocated arrays (kernel-mm.md §3: ptemaps(page), and the
 * (mm, page table) pairs of the tuple proposal), then read by each invariant.
 */
import type { Config } from '../config.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../include/mm_types.js';

export class Truth {
  /** ptemaps[slot * large + page]: present PTEs, over all mms, mapping that page. */
  readonly ptemaps: Int32Array;
  /** tuples[slot]: distinct (mm, page table) pairs holding a PTE that maps a page of the folio. */
  readonly tuples: Int32Array;
  /** pmdmaps[slot]: huge PMDs, over all mms, mapping the folio. */
  readonly pmdmaps: Int32Array;
  /** The allocated slots, ascending: used[0 .. nrUsed). Invariants iterate these, not every slot. */
  readonly used: Int32Array;
  nrUsed = 0;
  private readonly seen: Int32Array;
  private stamp = 0;
  readonly large: number;
  private readonly pairs: number;

  constructor(cfg: Config) {
    this.large = cfg.folioPages;
    this.pairs = cfg.mms * cfg.nrPt;
    this.ptemaps = new Int32Array(cfg.slots * cfg.folioPages);
    this.tuples = new Int32Array(cfg.slots);
    this.used = new Int32Array(cfg.slots);
    this.pmdmaps = new Int32Array(cfg.slots);
    this.seen = new Int32Array(cfg.slots * this.pairs);
  }

  /** Recomputes every count from `k`'s page tables. */
  recount(k: Kernel): void {
    const { ptemaps, tuples, seen, large, pairs } = this;
    const { pt, nrPt } = k.cfg;
    ptemaps.fill(0);
    tuples.fill(0);
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
    pmdmaps.fill(0);
    for (let m = 0; m < k.mm.length; m++) {
      const mm = k.mm[m] as Mm;
      for (let t = 0; t < mm.pmd.length; t++) {
        const pmd = mm.pmd[t] as Pmd;
        if (!pmd.huge || pmd.folio < 0 || pmd.folio >= pmdmaps.length) continue;
        pmdmaps[pmd.folio] = (pmdmaps[pmd.folio] as number) + 1;
        const pair = pmd.folio * pairs + m * nrPt + t;
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
        const pair = s * pairs + m * nrPt + ((a / pt) | 0);
        if (seen[pair] !== stamp) {
          seen[pair] = stamp;
          tuples[s] = (tuples[s] as number) + 1;
        }
      }
    }
  }

  /** PTE mappings of one page. */
  maps(slot: number, page: number): number {
    return this.ptemaps[slot * this.large + page] as number;
  }

  /** Every mapping of one page: its PTEs and the huge PMDs mapping its folio. */
  allMaps(slot: number, page: number): number {
    return (this.ptemaps[slot * this.large + page] as number) + (this.pmdmaps[slot] as number);
  }
}
