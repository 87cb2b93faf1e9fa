/**
 * (VMA, page table) tuples, as the January 2023 proposal defines them (docs/kernel-rules.md §3.2): the pair of a
 * VMA (an mm and its vm_start) and a page table, counted once per folio if it maps any page of the folio.
 * What the two tuple schemes share: their counter, its check, and the page-table scan of tuple-scan.
 */

import type { Truth } from '../recount/truth.js';
import { sameVma } from '../recount/vma.js';
import type { Folio, Kernel, Mm, Pmd, Pte } from '../state/schema.js';
import { clampWord, type SchemeWord } from './scheme.js';

/** The one counter both tuple schemes keep. Signed: a desynced naive count goes negative. */
export const TUPLE_COUNT: SchemeWord = { name: '_tuple_mapcount', min: () => -16, max: () => 15 };

/** Adds `d` to the tuple count, within its range (a count that leaves it has desynced already). */
export function tuple_count_add(k: Kernel, folio: Folio, o: number, d: number): void {
  folio.mc[o] = clampWord(k.cfg, TUPLE_COUNT, (folio.mc[o] as number) + d);
}

/** The check both tuple schemes make: the count equals the (VMA, page table) pairs of the recount. */
export function tuple_count_holds(k: Kernel, t: Truth, slot: number, o: number): boolean {
  return (k.folio[slot] as Folio).mc[o] === t.tuples[slot];
}

export function tuple_count_explain(k: Kernel, t: Truth, slot: number, o: number): string[] {
  const n = (k.folio[slot] as Folio).mc[o];
  return [`folio ${slot}: _tuple_mapcount ${n}, but ${t.tuples[slot]} (VMA, page table) pairs map it`];
}

/**
 * Whether the tuple of (mm `m`, address `addr`) still maps some page of folio `slot`, not counting the PTEs
 * `skipFrom..skipTo-1` nor, if `skipPmd`, the huge PMD: the scan the proposal needs on unmap ("are other
 * PTEs of this folio left in this page table and VMA?").
 */
export function tupleMapsFolio(
  k: Kernel,
  m: number,
  addr: number,
  slot: number,
  skipFrom: number,
  skipTo: number,
  skipPmd: boolean,
): boolean {
  const mm = k.mm[m] as Mm;
  const { pt } = k.cfg;
  const t = (addr / pt) | 0;
  const pmd = mm.pmd[t] as Pmd;
  if (!skipPmd && pmd.huge && pmd.folio === slot) return true;
  for (let a = t * pt; a < (t + 1) * pt; a++) {
    if (a >= skipFrom && a < skipTo) continue;
    const pte = mm.pte[a] as Pte;
    if (!pte.present || pte.folio !== slot) continue;
    // Without VMA tracking every page of a live mm is in its one VMA: no need to ask (the hot path).
    if (a === addr || !k.cfg.tracksVmas || (a < addr ? sameVma(mm, a, addr) : sameVma(mm, addr, a))) return true;
  }
  return false;
}
