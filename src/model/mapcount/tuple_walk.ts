/**
 * (VMA, page table) tuples, as the January 2023 proposal defines them (kernel-mm.md §3.2): the pair of a
 * VMA (an mm and its vm_start) and a page table, counted once per folio if it maps any page of the folio.
 */
import type { Kernel, Mm, Pmd, Pte } from '../include/mm_types.js';
import { same_vma } from '../mm/vma.js';

/**
 * Whether the tuple of (mm `m`, address `addr`) still maps some page of folio `slot`, not counting the PTEs
 * `skipFrom..skipTo-1` nor, if `skipPmd`, the huge PMD: the scan the proposal needs on unmap ("are other
 * PTEs of this folio left in this page table and VMA?").
 */
export function tuple_maps_folio(
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
    if (a === addr || (a < addr ? same_vma(mm, a, addr) : same_vma(mm, addr, a))) return true;
  }
  return false;
}
